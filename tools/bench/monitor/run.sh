#!/usr/bin/env bash
# Monitor latency: db writer commit -> change-stream subscriber at 10,000 and 100,000 changes/s, with missed
# changes before and after resynchronisation, against raw NetMQ PUB/SUB at the same rate. Prints a markdown fragment.
#   run.sh           2 s per run, 3 runs per contender and rate
#   run.sh --small   0.5 s per run, 2 runs
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SECONDS_PER_RUN=2; RUNS=3
[ "${1:-}" = "--small" ] && { SECONDS_PER_RUN=0.5; RUNS=2; }
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release -nologo -v q "$HERE/Megatest.Bench.Monitor.csproj" >&2
"$HERE/bin/Release/net10.0/Megatest.Bench.Monitor" "$SECONDS_PER_RUN" "$RUNS" 10000 100000
