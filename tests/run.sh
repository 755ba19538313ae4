#!/bin/sh
# Runs each test binary given; prints PASS/FAIL per binary and a summary.
# cmocka prints its own per-case lines; the last line counts binaries.
pass=0 fail=0 failed=""
for t in "$@"; do
    if "$t"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed="$failed $(basename "$t")"
    fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "test programs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
