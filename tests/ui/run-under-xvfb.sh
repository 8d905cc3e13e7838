#!/bin/sh
# Runs a UI test under a private X server.  No skipping: a machine without
# xvfb-run fails here (tools/setup.sh installs it).
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "Bail out! xvfb-run not found: install xvfb and xauth (tools/setup.sh)"
  exit 1
fi
for tool in xdotool import; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Bail out! $tool not found: install xdotool and imagemagick (tools/setup.sh)"
    exit 1
  fi
done
exec xvfb-run -a -s "-screen 0 1280x800x24" "$@"
