#!/bin/sh
# Golden files: scenario -> `vmatlas run --show …` text -> diff against tests/golden/.
# Regenerate after an intended change with: UPDATE_GOLDEN=1 meson test -C build golden
set -u
src="$VMATLAS_SRCDIR"
fail=0
while read -r name scenario args; do
  [ -z "$name" ] && continue
  case "$name" in \#*) continue ;; esac
  expected="$src/tests/golden/$name.txt"
  # shellcheck disable=SC2086
  # checkpoint sizes follow sizeof() of engine structs (and the machine's
  # word size): the golden files say only that they are there
  actual=$("$VMATLAS" run "$src/$scenario" $args |
           sed -E 's/("(checkpoint_bytes|bytes)": )[0-9]+/\1N/')
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$actual" > "$expected"
    continue
  fi
  if ! printf '%s\n' "$actual" | diff -u "$expected" - ; then
    echo "golden $name differs" >&2
    fail=1
  else
    echo "ok $name"
  fi
done < "$src/tests/golden/cases.txt"
exit $fail
