#!/usr/bin/env bash
# Ack latency: control packets to the coordinator and status packets to the db writer, round trip p50/p99,
# against raw NetMQ round trips, alternating blocks. Prints a markdown fragment.
#   run.sh           5 blocks of 5,000 round trips per contender
#   run.sh --small   2 blocks of 1,000
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COUNT=5000; RUNS=5
[ "${1:-}" = "--small" ] && { COUNT=1000; RUNS=2; }
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release -nologo -v q "$HERE/Megatest.Bench.Ack.csproj" >&2
"$HERE/bin/Release/net10.0/Megatest.Bench.Ack" "$COUNT" "$RUNS"
