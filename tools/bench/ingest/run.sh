#!/usr/bin/env bash
# Status ingest: status packets from sender processes over TCP into the db writer (durable, acknowledged),
# against raw batched SQLite upserts of the same rows, alternating. Prints a markdown fragment.
#   run.sh           50,000 rows, 4 senders, 5 runs
#   run.sh --small   10,000 rows, 4 senders, 2 runs
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROWS=50000; RUNS=5
[ "${1:-}" = "--small" ] && { ROWS=10000; RUNS=2; }
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release -nologo -v q "$HERE/Megatest.Bench.Ingest.csproj" >&2
"$HERE/bin/Release/net10.0/Megatest.Bench.Ingest" run "$ROWS" 4 "$RUNS" 1000
