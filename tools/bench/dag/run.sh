#!/usr/bin/env bash
# DAG throughput: the real `megatest -run` (embedded default) on an area of GROUPS x 100 tests of one trivial ezstep
# (chains, fan-out, fan-in, items; see gen.sh) against GNU make -j$(nproc) running the same DAG with the same
# per-test work, alternating. Prints a markdown fragment.
#   run.sh           2,000 tests x 3 runs each, then 10,000 tests once each with ours stopped after 150 s
#   run.sh --small   500 tests x 2 runs each
#   DAG_LIMIT=S      the time limit of the 10,000-test run (default 150)
#   DAG_GROUPS=G     only one table: G x 100 tests, DAG_RUNS runs (default 1) each, no time limit
#   DAG_SHM=1        both contenders' areas, make's output and our run directories on /dev/shm (tmpfs) instead of
#                    ${TMPDIR:-/tmp}: the file system's cost per file left out (off by default)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release -nologo -v q "$ROOT/src/Megatest.Cli/Megatest.Cli.csproj" >&2
MEGATEST="$ROOT/src/Megatest.Cli/bin/Release/net10.0/megatest"
JOBS="$(nproc)"
LIMIT="${DAG_LIMIT:-150}"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# bench GROUPS RUNS LIMIT_S (0: none): prints one table. With a limit, a run of ours that does not finish in time is
# stopped and reported with the tests it completed.
bench() {
  local GROUPS_N=$1 RUNS=$2 MAXS=$3
  local TESTS=$((GROUPS_N * 100)) ROWS=$((GROUPS_N * 101))   # each group's itemized test also has a toplevel row
  local BASE="${TMPDIR:-/tmp}"
  [ -n "${DAG_SHM:-}" ] && [ "${DAG_SHM}" != 0 ] && BASE=/dev/shm
  WORK="$(mktemp -d "$BASE/dag-bench.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  "$HERE/gen.sh" "$GROUPS_N" "$WORK"
  local AREA="$WORK/area" MK="$WORK/make"
  : > "$WORK/make.t"; : > "$WORK/ours.t"; : > "$WORK/rss.all"; : > "$WORK/make.cpu"; : > "$WORK/ours.cpu"; : > "$WORK/done"

  # A run's files are moved aside rather than deleted before the next run, and deleted with the rest at the end: on ext4
  # without a journal (this machine's /tmp) inodes freed in the last ~30 s are skipped when new ones are allocated
  # (recently_deleted), so every file the next run creates would pay for the previous run's deletions.
  mkdir -p "$WORK/trash"
  aside() { local p; for p in "$@"; do { [ -e "$p" ] || [ -L "$p" ]; } && mv "$p" "$(mktemp -d "$WORK/trash/XXXXXX")/"; done; return 0; }

  run_make() {
    aside "$MK/out"; mkdir -p "$MK/out"
    local t0 t1; t0=$(now)
    /usr/bin/time -f "%U %S" -o "$WORK/mcpu" make -s -j"$JOBS" -C "$MK" > /dev/null
    t1=$(now)
    local n; n=$(find "$MK/out" -name '*.step1.log' | wc -l)
    [ "$n" = "$TESTS" ] || { echo "make produced $n of $TESTS logs" >&2; exit 1; }
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$WORK/make.t"
    awk '{print $1 + $2}' "$WORK/mcpu" >> "$WORK/make.cpu"
  }

  run_ours() {
    rm -f "$AREA/megatest.db" "$AREA/megatest.db-wal" "$AREA/megatest.db-shm"
    aside "$AREA/runs" "$AREA/links" "$AREA/lt"
    mkdir -p "$AREA/runs"
    local t0 t1 rc=0 to=""
    [ "$MAXS" != 0 ] && to="timeout $MAXS"
    t0=$(now)
    ( cd "$AREA" && /usr/bin/time -f "%M %U %S" -o "$WORK/rss" $to "$MEGATEST" -run -target linux -runname bench -testpatt % > "$WORK/run.out" 2> "$WORK/run.err" ) || rc=$?
    t1=$(now)
    local done steps
    done=$(sqlite3 "$AREA/megatest.db" "SELECT count(*) FROM tests WHERE state = 'COMPLETED' AND status = 'PASS' AND NOT (item_path = '' AND testname LIKE '%_c')")
    if [ "$rc" = 124 ]; then
      echo "$done" >> "$WORK/done"   # stopped at the limit: report what was completed
      awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$WORK/ours.t"
      return
    fi
    [ "$rc" = 0 ] || { echo "megatest -run failed ($rc):" >&2; tail -20 "$WORK/run.err" >&2; exit 1; }
    # Everything recorded: every row COMPLETED/PASS, a start and an end step row per executed test.
    done=$(sqlite3 "$AREA/megatest.db" "SELECT count(*) FROM tests WHERE state = 'COMPLETED' AND status = 'PASS'")
    steps=$(sqlite3 "$AREA/megatest.db" "SELECT count(*) FROM test_steps")
    [ "$done" = "$ROWS" ] && [ "$steps" = "$((TESTS * 2))" ] || { echo "database holds $done COMPLETED/PASS rows of $ROWS and $steps step rows of $((TESTS * 2))" >&2; exit 1; }
    echo "$TESTS" >> "$WORK/done"
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$WORK/ours.t"
    awk '{print $1}' "$WORK/rss" >> "$WORK/rss.all"
    awk '{print $2 + $3}' "$WORK/rss" >> "$WORK/ours.cpu"
  }

  for i in $(seq 1 "$RUNS"); do
    if [ $((i % 2)) = 1 ]; then run_make; run_ours; else run_ours; run_make; fi
    echo "dag $TESTS tests, run $i: make $(tail -1 "$WORK/make.t") s, megatest $(tail -1 "$WORK/ours.t") s ($(tail -1 "$WORK/done") tests done)" >&2
  done

  local M O MR OR RATIO DONE
  M=$(median < "$WORK/make.t"); O=$(median < "$WORK/ours.t"); DONE=$(median < "$WORK/done")
  MR=$(awk -v n="$TESTS" -v s="$M" 'BEGIN {printf "%.0f", n/s}')
  OR=$(awk -v n="$DONE" -v s="$O" 'BEGIN {printf "%.0f", n/s}')
  RATIO=$(awk -v a="$OR" -v b="$MR" 'BEGIN {printf "%.2f", a/b}')
  local cpu_ms MC OC="–" CRATIO="–" RSS="–" NOTE=""
  cpu_ms() { awk -v n="$TESTS" -v s="$1" 'BEGIN {printf "%.2f", s * 1000 / n}'; }
  MC=$(cpu_ms "$(median < "$WORK/make.cpu")")
  if [ -s "$WORK/ours.cpu" ]; then
    OC=$(cpu_ms "$(median < "$WORK/ours.cpu")")
    CRATIO=$(awk -v a="$OC" -v b="$MC" 'BEGIN {printf "%.2f", a/b}')
    RSS="$(( $(sort -g "$WORK/rss.all" | tail -1) / 1024 )) MiB"
  fi
  [ "$DONE" != "$TESTS" ] && NOTE=" — **stopped at the ${MAXS} s limit with ${DONE} of ${TESTS} tests completed**; tests/s = completed / ${MAXS} s"
  cat <<MD
#### ${TESTS} tests

- DAG: ${TESTS} executed tests in ${GROUPS_N} groups (root → 95-way fan-out + one test of 3 items → fan-in; each group's root waits on
  the fan-in 10 groups back, so up to 10 chains); ${ROWS} test rows in the database (itemized tests have a toplevel row too)
- Median of ${RUNS} alternating run(s), wall time including start-up; a finished run of ours is checked afterwards: all ${ROWS} rows COMPLETED/PASS and $((TESTS * 2)) test_steps rows
- Peak RSS of the \`megatest -run\` process (db writer, coordinator and agent inside): ${RSS}

| contender | command | median s | runs (s) | tests/s | CPU ms/test | vs baseline (rate) | vs baseline (CPU/test) |
|---|---|---:|---|---:|---:|---:|---:|
| baseline | \`make -j${JOBS}\` | ${M} | $(paste -sd, "$WORK/make.t" | sed 's/,/, /g') | ${MR} | ${MC} | 1.00 | 1.00 |
| ours | \`megatest -run -target linux -runname bench -testpatt %\` | ${O} | $(paste -sd, "$WORK/ours.t" | sed 's/,/, /g') | ${OR} | ${OC} | ${RATIO} | ${CRATIO} |

Goal: at least half of make's rate, everything recorded in the database. $(awk -v r="$RATIO" 'BEGIN {print (r >= 0.5) ? "**Met**" : "**Missed**"}') (${RATIO})${NOTE}.

MD
  rm -rf "$WORK"; trap - EXIT
}

echo "- Per-test work on both sides: one step, \`echo ok\` into STEP.log (\`step1 echo ok\` as an ezstep; \`@echo ok > out/T.step1.log\` as a make recipe)"
[ -n "${DAG_SHM:-}" ] && [ "${DAG_SHM}" != 0 ] && echo "- Both contenders' files on /dev/shm (tmpfs)"
echo "- CPU ms/test: user + system CPU of the command and all its children (bash, echo) per executed test, from \`/usr/bin/time\`: independent of how busy the machine is"
echo
if [ -n "${DAG_GROUPS:-}" ]; then
  bench "$DAG_GROUPS" "${DAG_RUNS:-1}" 0
elif [ "${1:-}" = "--small" ]; then
  bench 5 2 0
else
  bench 20 3 0
  bench 100 1 "$LIMIT"
fi
