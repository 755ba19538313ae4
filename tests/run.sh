#!/bin/sh
# Runs each cmocka test program given, KIT_TEST_JOBS at a time (default:
# one more than the number of processors), then prints the cases passed,
# failed and skipped over all of them (cmocka's own lines say which case
# failed; a skipped case printed why, e.g. that it needs root).
#
# Most programs spend their time waiting for a kitd or a peer, not on a
# processor, so running several at once is what keeps CI well under 15
# minutes. Each program writes to its own log; a finished program's log is
# printed whole, under a lock, so outputs never interleave. Bounded waits
# in the fixtures stretch by KIT_TIME_SCALE (th_secs), which is raised
# while programs share the machine.
#
# With KIT_VALGRIND set (make check-valgrind: the valgrind command and its
# options) each program runs under it, and so do the kitd and kitctl it
# starts: the fixtures put $KIT_WRAP before them. Every process writes its
# own log, which says nothing unless valgrind found something (-q); a
# program whose processes wrote any counts as failed, and the logs are
# shown, so an error in a kitd whose exit status no test reads still fails.
# Valgrind runs one program at a time: it is slow enough on its own.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
jobs=${KIT_TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=2
if [ -n "${KIT_VALGRIND:-}" ]; then
    jobs=1
    # Bounded waits in the fixtures stretch by this much (th_secs).
    export KIT_TIME_SCALE="${KIT_TIME_SCALE:-10}"
else
    export KIT_TIME_SCALE="${KIT_TIME_SCALE:-2}"
fi

# Seconds since the epoch, to the millisecond where date can.
now() { date +%s.%N 2>/dev/null | cut -c1-14; }

# Shows each non-empty valgrind log of the program in $1; false if any.
vg_clean() {
    clean=0
    for f in "$1"/*.log; do
        [ -s "$f" ] || continue
        echo "valgrind (${1##*/}, process ${f##*/}):"
        cat "$f"
        clean=1
    done
    return $clean
}

# Runs program $1 as number $2: its output, time and counts go to
# $work/$2.{log,res}, and its log is printed once it has finished (not
# $n: that is the caller's, the number of programs).
run_one() {
    t=$1 k=$2 name=$(basename "$1") started=$(now)
    out="$work/$k.log"
    if [ -n "${KIT_VALGRIND:-}" ]; then
        mkdir "$work/vg.$k"
        export KIT_WRAP="$KIT_VALGRIND --log-file=$work/vg.$k/%p.log"
        $KIT_WRAP "$t" >"$out" 2>&1
    else
        "$t" >"$out" 2>&1
    fi
    rc=$?
    awk -v a="$started" -v b="$(now)" -v n="$name" \
        'BEGIN { printf "%s: %.1f s\n", n, b - a }' >>"$out"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out")
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out")
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out")
    # A crash, a failed setup or what valgrind found counts even when no
    # case said FAILED.
    why=""
    if [ -n "${KIT_VALGRIND:-}" ] && ! vg_clean "$work/vg.$k" >>"$out"; then
        why=faulted
    elif [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        why=broken
    fi
    echo "${p:-0} ${f:-0} ${s:-0} $name $why" >"$work/$k.res"
    flock "$work/print.lock" cat "$out"
}

# The slowest programs go first (tests/slow lists them, slowest first),
# so none starts last and keeps the run waiting; then the rest as given.
# Each slot takes the next program as soon as it is free.
slow="$(dirname "$0")/slow"
for t in "$@"; do echo "$t"; done >"$work/given"
{
    [ -f "$slow" ] && grep -v '^#' "$slow" | while read -r name; do
        grep "/$name\$" "$work/given"
    done
    if [ -f "$slow" ]; then
        grep -v '^#' "$slow" | sed 's|^|/|; s|$|$|' >"$work/slow.re"
        grep -v -f "$work/slow.re" "$work/given"
    else
        cat "$work/given"
    fi
} >"$work/list"
n=$(wc -l <"$work/list")
echo 1 >"$work/next"

# Prints the number of the next program to run, and counts it taken.
next_job() {
    flock "$work/next.lock" sh -c \
        'i=$(cat "$1"); echo $((i + 1)) >"$1"; echo "$i"' sh "$work/next"
}

slot=0
while [ "$slot" -lt "$jobs" ]; do
    (
        while i=$(next_job) && [ "$i" -le "$n" ]; do
            run_one "$(sed -n "${i}p" "$work/list")" "$i"
        done
    ) &
    slot=$((slot + 1))
done
wait

pass=0 fail=0 skip=0 broken="" faulted=""
for r in "$work"/*.res; do
    [ -f "$r" ] || continue
    read -r p f s name why <"$r"
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    case "$why" in
    broken) fail=$((fail + 1)) broken="$broken $name" ;;
    faulted) fail=$((fail + 1)) faulted="$faulted $name" ;;
    esac
done
[ "$n" -eq "$(ls "$work" | grep -c '\.res$')" ] || {
    echo "run.sh: some programs did not report"
    fail=$((fail + 1))
}
[ -n "$broken" ] && echo "programs that stopped early:$broken"
[ -n "$faulted" ] && echo "programs valgrind found errors in:$faulted"
summary="tests: $pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary="$summary, $skip skipped (see SKIPPED above)"
echo "$summary"
[ "$fail" -eq 0 ]
