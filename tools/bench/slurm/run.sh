#!/usr/bin/env bash
# Slurm throughput: tests per second of `megatest -run` through Slurm in agent-job mode ([slurm] mode agent-jobs:
# a few Slurm jobs each run an agent that runs many tests) against one job per test ([slurm] mode job-per-test:
# each test is its own Slurm job running a one-shot agent), same area of N trivial tests, same machine, alternating.
# Needs a running Slurm (tools/slurm/start-slurm.sh, as root). Prints a markdown fragment.
#   run.sh           100 tests, 3 runs of each mode
#   run.sh --small   20 tests, 1 run of each mode
#   SLURM_BENCH_TESTS=N SLURM_BENCH_RUNS=R override both.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
TESTS=100; RUNS=3
[ "${1:-}" = "--small" ] && { TESTS=20; RUNS=1; }
TESTS=${SLURM_BENCH_TESTS:-$TESTS}; RUNS=${SLURM_BENCH_RUNS:-$RUNS}
command -v sinfo >/dev/null && sinfo -h -o %T | grep -qE 'idle|mixed|alloc' \
  || { echo "Slurm is not running: run tools/slurm/start-slurm.sh as root first" >&2; exit 1; }
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release -nologo -v q "$ROOT/src/Megatest.Cli/Megatest.Cli.csproj" >&2
MEGATEST="$ROOT/src/Megatest.Cli/bin/Release/net10.0/megatest"
CPUS=$(nproc)

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/slurm-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# make_area DIR MODE: N tests of one trivial ezstep, sent to Slurm.
make_area() {
  local dir=$1 mode=$2 max slots
  if [ "$mode" = agent-jobs ]; then max=2; slots=$((CPUS * 2)); else max=$((CPUS * 8)); slots=1; fi
  mkdir -p "$dir/runs"
  cat > "$dir/megatest.config" <<CONF
[fields]
KEY TEXT

[setup]
linktree #{getenv MT_RUN_AREA_HOME}/links

[disks]
disk0 #{getenv MT_RUN_AREA_HOME}/runs

[jobtools]
launcher slurm

[slurm]
mode $mode
partition debug
time-limit 10
max-agent-jobs $max
slots $slots
idle-exit 10
CONF
  printf '[default]\n' > "$dir/runconfigs.config"
  for i in $(seq 1 "$TESTS"); do
    mkdir -p "$dir/tests/t$i"
    printf '[ezsteps]\nstep1 echo ok\n' > "$dir/tests/t$i/testconfig"
  done
}
make_area "$WORK/agent-jobs" agent-jobs
make_area "$WORK/job-per-test" job-per-test
: > "$WORK/agent-jobs.t"; : > "$WORK/job-per-test.t"

run_mode() { # run_mode MODE RUN
  local mode=$1 n=$2 area="$WORK/$1" t0 t1 done
  t0=$(now)
  ( cd "$area" && timeout 600 "$MEGATEST" -run -target bench -runname "r$n" -testpatt % > "$WORK/run.out" 2> "$WORK/run.err" ) \
    || { echo "$mode run $n failed:" >&2; tail -20 "$WORK/run.err" >&2; exit 1; }
  t1=$(now)
  done=$(sqlite3 "$area/megatest.db" "SELECT count(*) FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = 'r$n' AND t.state = 'COMPLETED' AND t.status = 'PASS'")
  [ "$done" = "$TESTS" ] || { echo "$mode run $n: $done of $TESTS tests COMPLETED/PASS" >&2; tail -n 20 "$WORK/run.out" "$WORK/run.err" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$WORK/$mode.t"
  echo "slurm $mode, $TESTS tests, run $n: $(tail -1 "$WORK/$mode.t") s" >&2
}

for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) = 1 ]; then run_mode agent-jobs "$i"; run_mode job-per-test "$i"; else run_mode job-per-test "$i"; run_mode agent-jobs "$i"; fi
done

A=$(median < "$WORK/agent-jobs.t"); J=$(median < "$WORK/job-per-test.t")
AR=$(awk -v n="$TESTS" -v s="$A" 'BEGIN {printf "%.1f", n/s}')
JR=$(awk -v n="$TESTS" -v s="$J" 'BEGIN {printf "%.1f", n/s}')
RATIO=$(awk -v a="$AR" -v b="$JR" 'BEGIN {printf "%.1f", a/b}')
PART=$(sinfo -h -o '%P %C' | head -1)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# Slurm: agent-job mode vs one job per test"
echo
echo "$TESTS trivial tests (one \`echo\` ezstep each) run with \`megatest -run\` through the single-node Slurm of"
echo "\`tools/slurm/start-slurm.sh\` (partition/CPUs A/I/O/T: \`$PART\`), medians of $RUNS alternating runs of each mode"
echo "(wall time of the whole \`-run\`, job submission and agent start included). Load average after: $LOAD."
echo
echo "| Mode | Slurm jobs | Median time (s) | Tests/s |"
echo "|---|---|---:|---:|"
echo "| agent-jobs (agent jobs of $((CPUS * 2)) slots, at most 2 at once) | a few | $A | $AR |"
echo "| job-per-test (one-shot agent per test, up to $((CPUS * 8)) jobs at once) | $TESTS | $J | $JR |"
echo
echo "Agent-job mode runs **${RATIO}x** the tests per second of one job per test."
