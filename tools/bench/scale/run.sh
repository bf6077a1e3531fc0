#!/usr/bin/env bash
# Scale: runs of many items (db writer and coordinator in their own processes, peak memory from VmHWM, a simulated
# agent that runs no processes), and -list-runs on a database of RUNS x TESTS test rows. Prints a markdown fragment.
#   run.sh           items 10,000 / 100,000 (each stopped after SCALE_LIMIT s, default 150), -list-runs on 100 x 10,000 rows
#   run.sh --small   500 items, -list-runs on 10 x 1,000 rows
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SIZES="10000 100000"; LIMIT="${SCALE_LIMIT:-150}"; RUNS=100; TESTS=10000; ROUNDS=5
if [ "${1:-}" = "--small" ]; then SIZES="500"; LIMIT=60; RUNS=10; TESTS=1000; ROUNDS=2; fi
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release -nologo -v q "$HERE/Megatest.Bench.Scale.csproj" >&2
  dotnet build -c Release -nologo -v q "$ROOT/src/Megatest.Cli/Megatest.Cli.csproj" >&2
fi
BENCH="$HERE/bin/Release/net10.0/Megatest.Bench.Scale"
MEGATEST="$ROOT/src/Megatest.Cli/bin/Release/net10.0/megatest"

echo "#### Runs of many items"
echo
echo "- One test with N items (\`[items]\` A × B), the real CoordinatorService and DbWriterService each in its own process,"
echo "  peak memory = VmHWM of that process (idle = right after start); a simulated agent with 8 slots that speaks the real"
echo "  protocol (RUNNING, COMPLETED/PASS, acks, TestEnded) but starts no processes; each run stopped after ${LIMIT} s"
echo "- Reference: the goal, 500 MiB per role (there is no external baseline for memory)"
echo
echo "| items | tests ended | wall s | items/s | coordinator peak MiB | db writer peak MiB | database MiB | CPU s: coordinator / db writer / agent+client | outcome |"
echo "|---:|---|---:|---:|---|---|---:|---|---|"
ROWS=""
for n in $SIZES; do
  echo "items run $n (limit ${LIMIT} s)..." >&2
  row="$("$BENCH" run "$n" 8 "$LIMIT")"
  echo "$row"
  ROWS="$ROWS$row"$'\n'
done
echo
echo "$ROWS" | awk -F'|' 'NF > 5 { split($6, c, " "); split($7, w, " "); if (c[1] + 0 > mc) mc = c[1] + 0; if (w[1] + 0 > mw) mw = w[1] + 0; n = $2 }
  END { printf "Goal: under 500 MiB each. Largest peaks: coordinator %d MiB, db writer %d MiB: %s (see the outcome column for how far each run got).\n", mc, mw, (mc < 500 && mw < 500) ? "**met** for the sizes measured" : "**missed**" }'
echo
echo "#### -list-runs on a large database"
echo
"$BENCH" listruns "$MEGATEST" "$RUNS" "$TESTS" "$ROUNDS"
