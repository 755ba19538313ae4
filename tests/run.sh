#!/bin/sh
# Runs each cmocka test program given, then prints the cases passed and
# failed over all of them (cmocka's own lines say which case failed).
pass=0 fail=0 broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log")
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log")
    pass=$((pass + ${p:-0}))
    fail=$((fail + ${f:-0}))
    # A crash or a failed setup counts even when no case said FAILED.
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        fail=$((fail + 1))
        broken="$broken $(basename "$t")"
    fi
done
[ -n "$broken" ] && echo "programs that stopped early:$broken"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
