#!/bin/sh
# VM Atlas in one command.
#   ./go         set up (Debian packages, configure, build) and run the explorer
#   ./go test    set up and run the whole test suite, then the engine tests
#                again under AddressSanitizer + UndefinedBehaviorSanitizer
set -eu
top=$(cd "$(dirname "$0")" && pwd)
"$top/tools/setup.sh"

case "${1:-run}" in
  run)
    shift 2>/dev/null || true
    exec "$top/build/app/vmatlas" "$@"
    ;;
  test)
    exec "$top/tools/test.sh"
    ;;
  *)
    echo "usage: ./go [run [ARGS…] | test]" >&2
    exit 2
    ;;
esac
