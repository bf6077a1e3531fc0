#!/usr/bin/env bash
# DAG throughput: the real `megatest -run` (embedded default) on an area of GROUPS x 100 tests of one trivial ezstep
# (chains, fan-out, fan-in, items; see gen.sh) against GNU make -j$(nproc) running the same DAG with the same
# per-test work, alternating. Prints a markdown fragment.
#   run.sh           100 groups = 10,000 tests, 3 runs each
#   run.sh --small   5 groups = 500 tests, 2 runs each
#   DAG_GROUPS=N DAG_RUNS=N override the size and the number of runs
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
GROUPS_N=100; RUNS=3
[ "${1:-}" = "--small" ] && { GROUPS_N=5; RUNS=2; }
GROUPS_N="${DAG_GROUPS:-$GROUPS_N}"; RUNS="${DAG_RUNS:-$RUNS}"
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release -nologo -v q "$ROOT/src/Megatest.Cli/Megatest.Cli.csproj" >&2
MEGATEST="$ROOT/src/Megatest.Cli/bin/Release/net10.0/megatest"
JOBS="$(nproc)"
TESTS=$((GROUPS_N * 100))
ROWS=$((GROUPS_N * 101))   # each group's itemized test also has its toplevel row

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dag-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$HERE/gen.sh" "$GROUPS_N" "$WORK"
AREA="$WORK/area"; MK="$WORK/make"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rate() { awk -v n="$TESTS" -v s="$1" 'BEGIN {printf "%.0f", n/s}'; }

run_make() {
  rm -rf "$MK/out"; mkdir -p "$MK/out"
  local t0 t1; t0=$(now)
  /usr/bin/time -f "%U %S" -o "$WORK/mcpu" make -s -j"$JOBS" -C "$MK" > /dev/null
  t1=$(now)
  local n; n=$(find "$MK/out" -name '*.step1.log' | wc -l)
  [ "$n" = "$TESTS" ] || { echo "make produced $n of $TESTS logs" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$WORK/make.t"
  awk '{print $1 + $2}' "$WORK/mcpu" >> "$WORK/make.cpu"
}

run_ours() {
  rm -rf "$AREA/megatest.db" "$AREA/megatest.db-wal" "$AREA/megatest.db-shm" "$AREA/runs" "$AREA/links"
  mkdir -p "$AREA/runs"
  local t0 t1; t0=$(now)
  ( cd "$AREA" && /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$MEGATEST" -run -target linux -runname bench -testpatt % > "$WORK/run.out" 2> "$WORK/run.err" ) \
    || { echo "megatest -run failed:" >&2; tail -20 "$WORK/run.err" >&2; exit 1; }
  t1=$(now)
  # Everything recorded: every row COMPLETED/PASS, a start and an end step row per executed test.
  local done steps
  done=$(sqlite3 "$AREA/megatest.db" "SELECT count(*) FROM tests WHERE state = 'COMPLETED' AND status = 'PASS'")
  steps=$(sqlite3 "$AREA/megatest.db" "SELECT count(*) FROM test_steps")
  [ "$done" = "$ROWS" ] && [ "$steps" = "$((TESTS * 2))" ] || { echo "database holds $done COMPLETED/PASS rows of $ROWS and $steps step rows of $((TESTS * 2))" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$WORK/ours.t"
  awk '{print $1}' "$WORK/rss" >> "$WORK/rss.all"
  awk '{print $2 + $3}' "$WORK/rss" >> "$WORK/ours.cpu"
}

: > "$WORK/make.t"; : > "$WORK/ours.t"; : > "$WORK/rss.all"; : > "$WORK/make.cpu"; : > "$WORK/ours.cpu"
for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) = 1 ]; then run_make; run_ours; else run_ours; run_make; fi
  echo "dag run $i: make $(tail -1 "$WORK/make.t") s, megatest $(tail -1 "$WORK/ours.t") s" >&2
done

M=$(median < "$WORK/make.t"); O=$(median < "$WORK/ours.t")
MR=$(rate "$M"); OR=$(rate "$O")
RATIO=$(awk -v a="$OR" -v b="$MR" 'BEGIN {printf "%.2f", a/b}')
RSS=$(sort -g "$WORK/rss.all" | tail -1)
cpu_ms() { awk -v n="$TESTS" -v s="$1" 'BEGIN {printf "%.2f", s * 1000 / n}'; }
MC=$(cpu_ms "$(median < "$WORK/make.cpu")"); OC=$(cpu_ms "$(median < "$WORK/ours.cpu")")
CRATIO=$(awk -v a="$OC" -v b="$MC" 'BEGIN {printf "%.2f", a/b}')
MET=$(awk -v r="$RATIO" 'BEGIN {print (r >= 0.5) ? "**Met**" : "**Missed**"}')
cat <<MD
- DAG: ${TESTS} executed tests in ${GROUPS_N} groups (root → 95-way fan-out + one test of 3 items → fan-in; each group's root waits on
  the fan-in 10 groups back, so 10 chains); ${ROWS} test rows in the database (itemized tests have a toplevel row too)
- Per-test work on both sides: one step, \`echo ok\` into STEP.log (\`step1 echo ok\` as an ezstep; \`@echo ok > out/T.step1.log\` as a make recipe)
- Median of ${RUNS} alternating runs, wall time including start-up; ours is checked afterwards: all ${ROWS} rows COMPLETED/PASS and $((TESTS * 2)) test_steps rows
- CPU ms/test: user + system CPU of the command and all its children (bash, echo) per executed test, from \`/usr/bin/time\`: independent of how busy the machine is
- Peak RSS of the \`megatest -run\` process (db writer, coordinator and agent inside): $((RSS / 1024)) MiB

| contender | command | median s | runs (s) | tests/s | CPU ms/test | vs baseline (rate) | vs baseline (CPU/test) |
|---|---|---:|---|---:|---:|---:|---:|
| baseline | \`make -j${JOBS}\` | ${M} | $(paste -sd, "$WORK/make.t" | sed 's/,/, /g') | ${MR} | ${MC} | 1.00 | 1.00 |
| ours | \`megatest -run -target linux -runname bench -testpatt %\` | ${O} | $(paste -sd, "$WORK/ours.t" | sed 's/,/, /g') | ${OR} | ${OC} | ${RATIO} | ${CRATIO} |

Goal: at least half of make's rate, everything recorded in the database. ${MET} (${RATIO}).
MD
