#!/bin/sh
# The engine links GLib only: no GTK, GDK, Cairo or Pango header may appear under engine/.
dir="$1"
if grep -rnE '#include[[:space:]]*[<"](gtk|gdk|cairo|pango)' "$dir"; then
  echo "engine/ must not include GTK, GDK, Cairo or Pango headers" >&2
  exit 1
fi
if grep -nE 'gtk|cairo|pango' "$dir/meson.build"; then
  echo "engine/meson.build must not depend on GTK, Cairo or Pango" >&2
  exit 1
fi
echo "engine/ uses GLib only"
