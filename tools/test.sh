#!/bin/sh
# The whole test suite: every suite of the normal build (benchmarks excluded),
# then the engine, command-line, render and ui-model suites in a second build
# with -Db_sanitize=address,undefined (leaks of GTK's libraries: tools/lsan.supp).
# Ends with one line "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0

count() {
  # meson's summary lines: "Ok: N", "Fail: N", "Timeout: N", …
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$1" | tail -1)
  bad=0
  for key in Fail Timeout "Unexpected Pass"; do
    n=$(sed -n "s/^$key: *\([0-9]*\).*/\1/p" "$1" | tail -1)
    bad=$((bad + ${n:-0}))
  done
  passed=$((passed + ${ok:-0}))
  failed=$((failed + bad))
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

meson test -C "$top/build" --no-suite bench --print-errorlogs 2>&1 | tee "$log"
count "$log"

asan="$top/build-asan"
if [ ! -f "$asan/build.ninja" ]; then
  meson setup "$asan" "$top" --buildtype=debug -Db_sanitize=address,undefined >/dev/null
fi
if ninja -C "$asan" >/dev/null; then
  # The engine, the command line, the renderer and the GUI's model; the
  # window's own suite (ui) is left out: its frame-time checks do not hold
  # in a debug build under ASan (run it by hand, with the same options and
  # ASAN_OPTIONS=fast_unwind_on_malloc=0, so that GLib's quark table, made
  # in its constructor, matches the suppression's _dl_init).
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    LSAN_OPTIONS="suppressions=$top/tools/lsan.supp" \
    meson test -C "$asan" --suite engine --suite cli --suite render --suite ui-model \
      --print-errorlogs 2>&1 | tee "$log"
  count "$log"
else
  echo "sanitizer build failed" >&2
  failed=$((failed + 1))
fi

# The README's main command, headless: it must run the tour and succeed.
if env -u DISPLAY -u WAYLAND_DISPLAY "$top/go" > "$log" 2>&1 && grep -q "==> buddyinfo <==" "$log"; then
  echo "ok: ./go (headless main job)"
  passed=$((passed + 1))
else
  echo "FAIL: ./go (headless main job)" >&2
  cat "$log" >&2
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
