#!/bin/sh
# Bad input: each case must exit 2, print the expected message on stderr and nothing on stdout.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect_error "message fragment" vmatlas-args...
expect_error() {
  want="$1"; shift
  "$VMATLAS" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ] || ! grep -qF -- "$want" "$tmp/err" || [ -s "$tmp/out" ]; then
    echo "FAIL: vmatlas $* -> rc=$rc" >&2
    echo "  wanted stderr containing: $want" >&2
    sed 's/^/  stderr: /' "$tmp/err" >&2
    sed 's/^/  stdout: /' "$tmp/out" >&2
    fail=1
  else
    echo "ok: vmatlas $*"
  fi
}

scenario() { printf '%b' "$2" > "$tmp/$1"; }

scenario typo.vms 'machine ram=64M\nallok a order=0\n'
expect_error "typo.vms:2:1: unknown statement" run "$tmp/typo.vms"
scenario order.vms 'alloc a order=x\n'
expect_error "order.vms:1:9:" run "$tmp/order.vms"
scenario size.vms 'machine ram=12Q\n'
expect_error "size.vms:1:9:" run "$tmp/size.vms"
scenario free.vms 'alloc a order=0\nfree b\n'
expect_error "free.vms:2:1: free b: there is no allocation named" run "$tmp/free.vms"
scenario double.vms 'alloc a order=0\nfree a\nfree a\n'
expect_error "double.vms:3:1: free a: “a” was already freed (double free)" run "$tmp/double.vms"
scenario gfp.vms 'alloc a order=0 gfp=GFP_KERNAL\n'
expect_error "gfp.vms:1:1: gfp: “GFP_KERNAL” is not a GFP flag" run "$tmp/gfp.vms"
scenario maxorder.vms 'machine profile=linux-2.4.21\nalloc a order=10\n'
expect_error "orders 0 to 9" run "$tmp/maxorder.vms"
scenario cma.vms 'machine ram=1G cma=16M\n'
expect_error "Linux 3.5" run "$tmp/cma.vms"
scenario expr.vms 'alloc a order=0\nexpect a.virt === 3\n'
expect_error "expr.vms:2:" run "$tmp/expr.vms"
scenario query.vms 'alloc a order=0\nexpect a.colour == 3\n'
expect_error "query.vms:2:1:" run "$tmp/query.vms"
scenario string.vms 'say "unterminated\n'
expect_error "string.vms:1:5:" check "$tmp/string.vms"
expect_error "No such file or directory" run "$tmp/missing.vms"
expect_error "--ram: " layout --ram lots
expect_error "profile=linux-9: allowed values are linux-2.4.21, linux-2.6.9, linux-6.1" layout --profile linux-9
expect_error "unknown option --colour" run "$tmp/typo.vms" --colour red
expect_error "--show bogus: unknown view" run "$tmp/free.vms" --show bogus
expect_error "--until x: expected an op number" run "$tmp/free.vms" --until x
expect_error "split: linux-2.6.9 has a fixed 3G/1G split" layout --split 2G/2G
expect_error "unknown subcommand" frobnicate
expect_error "vmalloc: linux-2.4.21 has no vmalloc= option" layout --profile linux-2.4.21 --vmalloc 256M
scenario vfree.vms 'vmalloc a 100\nvfree a\nvfree a\n'
expect_error "vfree.vms:3:1: vfree a: Trying to vfree() nonexistent vm area (it was already freed: double vfree)" run "$tmp/vfree.vms"
scenario vfree2.vms 'vfree ghost\n'
expect_error "vfree2.vms:1:1: vfree ghost: Trying to vfree() nonexistent vm area" run "$tmp/vfree2.vms"
scenario vfree3.vms 'alloc p order=0\nvfree p\n'
expect_error "is a pages allocation, not a vmalloc area" run "$tmp/vfree3.vms"
scenario kmapped.vms 'machine ram=1G\nvmalloc v 8K\nkmap m v[1]\nvfree v\n'
expect_error "kmapped.vms:4:1: vfree v: “v” is still kmapped by “m”; kunmap it first" run "$tmp/kmapped.vms"
scenario kunmap.vms 'kunmap nobody\n'
expect_error "kunmap.vms:1:1:" run "$tmp/kunmap.vms"
scenario kmalloc.vms 'kmalloc k 100 gfp=GFP_HIGHUSER\n'
expect_error "__GFP_HIGHMEM" run "$tmp/kmalloc.vms"
expect_error "--show lookup=0xZZ: “0xZZ” is not a 32-bit address" run "$tmp/free.vms" --show lookup=0xZZ
# --until N.M (op N, micro-step M) and saved sessions
scenario two.vms 'alloc a order=0\nalloc b order=1\n'
expect_error "--until 2.x: expected an op number N" run "$tmp/two.vms" --until 2.x
expect_error "--until 2.: expected an op number N" run "$tmp/two.vms" --until 2.
expect_error "--until 1.2.3: expected an op number N" run "$tmp/two.vms" --until 1.2.3
expect_error "--until 0.1: ops are numbered from 1" run "$tmp/two.vms" --until 0.1
expect_error "--until 3.0: " run "$tmp/two.vms" --until 3.0
expect_error "--until 1.999: op 1 has" run "$tmp/two.vms" --until 1.999
scenario far.vms '# vmatlas session 1\nalloc a order=0\n# position 5\n'
expect_error "far.vms:3:12: position 5 is beyond the 1 ops" run "$tmp/far.vms"
scenario junk.vms '# vmatlas session 1\nalloc a order=0\n# position x\n'
expect_error "junk.vms:3:12: “x” is not a position" run "$tmp/junk.vms"
exit $fail
