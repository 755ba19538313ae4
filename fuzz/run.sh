#!/bin/sh
# Runs libFuzzer targets one after another and says what each reached:
#
#   sh fuzz/run.sh BUILD fuzz|smoke SECONDS TARGET...
#
# Each target reads its committed seeds (fuzz/corpus/TARGET) and writes
# what it finds to a scratch corpus in BUILD, never to the seeds: `fuzz`
# keeps BUILD/corpus/TARGET from run to run; `smoke` starts an empty one
# each time, so CI runs the same way every time. Crashes, leaks and
# time-outs are saved as BUILD/artifacts/TARGET-*; the exit status is 1
# if any target found one.
set -u
build=$1 mode=$2 secs=$3
shift 3
failed=""
mkdir -p "$build/artifacts"
for t in "$@"; do
    corpus=$build/corpus/$t
    [ "$mode" = smoke ] && corpus=$build/smoke/$t && rm -rf "$corpus"
    mkdir -p "$corpus"
    dict=""
    [ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
    log=$build/$t.log
    # shellcheck disable=SC2086
    "$build/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
        $dict "$corpus" "fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(sed -n 's/.*DONE *cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p' "$log")
    if [ "$rc" -eq 0 ]; then
        printf 'fuzz %-9s ok: %s runs, %s/s, %s\n' "$t" "${runs:-?}" \
            "${rate:-?}" "${cov:-?}"
    else
        failed="$failed $t"
        echo "fuzz $t FAILED (exit $rc); the end of $log:"
        tail -n 40 "$log"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed (inputs in $build/artifacts; fuzz/README.md" \
         "says how to reproduce them)"
    exit 1
fi
