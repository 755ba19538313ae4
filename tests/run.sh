#!/bin/sh
# Runs each cmocka test program given, then prints the cases passed,
# failed and skipped over all of them (cmocka's own lines say which case
# failed; a skipped case printed why, e.g. that it needs root).
#
# With KIT_VALGRIND set (make check-valgrind: the valgrind command and its
# options) each program runs under it, and so do the kitd and kitctl it
# starts: the fixtures put $KIT_WRAP before them. Every process writes its
# own log, which says nothing unless valgrind found something (-q); a
# program whose processes wrote any counts as failed, and the logs are
# shown, so an error in a kitd whose exit status no test reads still fails.
pass=0 fail=0 skip=0 broken="" faulted=""
log=$(mktemp)
vgdir=""
if [ -n "$KIT_VALGRIND" ]; then
    vgdir=$(mktemp -d)
    # Bounded waits in the fixtures stretch by this much (th_secs).
    export KIT_TIME_SCALE="${KIT_TIME_SCALE:-10}"
fi
trap 'rm -f "$log"; [ -n "$vgdir" ] && rm -rf "$vgdir"' EXIT

# Shows each non-empty valgrind log of program $1; false if there was one.
vg_clean() {
    clean=0
    for f in "$vgdir/$1"/*.log; do
        [ -s "$f" ] || continue
        echo "valgrind ($1, process ${f##*/}):"
        cat "$f"
        clean=1
    done
    return $clean
}

# Seconds since the epoch, to the millisecond where date can.
now() { date +%s.%N 2>/dev/null | cut -c1-14; }

for t in "$@"; do
    name=$(basename "$t")
    started=$(now)
    if [ -n "$vgdir" ]; then
        mkdir "$vgdir/$name"
        export KIT_WRAP="$KIT_VALGRIND --log-file=$vgdir/$name/%p.log"
        $KIT_WRAP "$t" >"$log" 2>&1
    else
        "$t" >"$log" 2>&1
    fi
    rc=$?
    cat "$log"
    # Where a slow suite spends its time (CI must stay well under 15 min).
    awk -v a="$started" -v b="$(now)" -v n="$name" \
        'BEGIN { printf "%s: %.1f s\n", n, b - a }'
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log")
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log")
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log")
    pass=$((pass + ${p:-0}))
    skip=$((skip + ${s:-0}))
    fail=$((fail + ${f:-0}))
    # A crash, a failed setup or what valgrind found counts even when no
    # case said FAILED.
    if [ -n "$vgdir" ] && ! vg_clean "$name"; then
        fail=$((fail + 1))
        faulted="$faulted $name"
    elif [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        fail=$((fail + 1))
        broken="$broken $name"
    fi
done
[ -n "$broken" ] && echo "programs that stopped early:$broken"
[ -n "$faulted" ] && echo "programs valgrind found errors in:$faulted"
summary="tests: $pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary="$summary, $skip skipped (see SKIPPED above)"
echo "$summary"
[ "$fail" -eq 0 ]
