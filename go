#!/bin/sh
# VM Atlas in one command.
#   ./go         set up (Debian packages, configure, build) and run the explorer
#   ./go ARGS…   the same, then vmatlas ARGS… (./go layout --ram 512M)
#   ./go test    set up and run the whole test suite, then the engine tests
#                again under AddressSanitizer + UndefinedBehaviorSanitizer
set -eu
top=$(cd "$(dirname "$0")" && pwd)
"$top/tools/setup.sh"

case "${1:-run}" in
  run)
    # a failed `shift` would end a POSIX sh script: only shift an argument that is there
    if [ $# -gt 0 ]; then shift; fi
    exec "$top/build/app/vmatlas" "$@"
    ;;
  test)
    exec "$top/tools/test.sh"
    ;;
  *)
    exec "$top/build/app/vmatlas" "$@"   # ./go layout --ram 512M, ./go FILE.vms, …
    ;;
esac
