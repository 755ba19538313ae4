#!/bin/sh
# Runs each cmocka test program given, then prints the cases passed,
# failed and skipped over all of them (cmocka's own lines say which case
# failed; a skipped case printed why, e.g. that it needs root).
pass=0 fail=0 skip=0 broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log")
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log")
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log")
    pass=$((pass + ${p:-0}))
    skip=$((skip + ${s:-0}))
    fail=$((fail + ${f:-0}))
    # A crash or a failed setup counts even when no case said FAILED.
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        fail=$((fail + 1))
        broken="$broken $(basename "$t")"
    fi
done
[ -n "$broken" ] && echo "programs that stopped early:$broken"
summary="tests: $pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary="$summary, $skip skipped (see SKIPPED above)"
echo "$summary"
[ "$fail" -eq 0 ]
