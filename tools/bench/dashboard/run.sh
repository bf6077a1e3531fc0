#!/usr/bin/env bash
# Scale benchmark of the web dashboard: first page of the runs view over a 100,000-test run in a
# database of 1,000,000 test rows, against plain SQLite reads of the same rows.
#   run.sh           full size, writes RESULTS.md beside this script
#   run.sh --small   100,000 rows / a 10,000-test run, quick (CI); prints the results, leaves RESULTS.md alone
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/RESULTS.md"
ARGS=()
case "${1:-}" in
  --small) ARGS=(--small); OUT="" ;;
  "") ;;
  *) echo "usage: $0 [--small]" >&2; exit 2 ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dashboard-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [ -z "${NO_BUILD:-}" ]; then
  echo "building (Release)..." >&2
  dotnet build -c Release -nologo -v q "$HERE/Megatest.Bench.Dashboard.csproj" >&2
fi
REPORT="$("$HERE/bin/Release/net10.0/Megatest.Bench.Dashboard" "$WORK" "${ARGS[@]}")"
echo "$REPORT"
if [ -n "$OUT" ]; then
  echo "$REPORT" > "$OUT"
  echo "wrote $OUT" >&2
fi
