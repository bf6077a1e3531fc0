#!/usr/bin/env bash
# Builds megatest and runs the example area (tools/example/area) end to end in a scratch directory.
# Usage: tools/run-example.sh [WORKDIR]   (MEGATEST_EXE=path skips the build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/megatest-example.XXXXXX)}
if [ -z "${MEGATEST_EXE:-}" ]; then
  dotnet build "$repo/src/Megatest.Cli" -c Release -v quiet -nologo
  MEGATEST_EXE="$repo/src/Megatest.Cli/bin/Release/net10.0/megatest"
fi
rm -rf "$work/area"
mkdir -p "$work"
cp -r "$repo/tools/example/area" "$work/area"
mkdir -p "$work/area/runs"
cd "$work/area"
"$MEGATEST_EXE" -run -target linux/1.0 -runname example -testpatt %
"$MEGATEST_EXE" -list-runs example -target linux/1.0
echo "The area, its database (megatest.db) and its run directories are in $work/area"
