#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite with its default out-of-process toolchain in a short job and compares the means
# with benchmarks/baseline.json. Fails only on a gross regression (more than FACTOR times slower, default 3).
# Usage: bash scripts/bench.sh [--update]   (--update rewrites the baseline from this run)
#        BENCH_FILTER='*Metrics*' bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
factor="${BENCH_FACTOR:-3}"
filter="${BENCH_FILTER:-*}"
artifacts="artifacts/benchmarks"
rm -rf "$artifacts"
dotnet build benchmarks/EcgClip.Benchmarks -c Release
dotnet run -c Release --no-build --project benchmarks/EcgClip.Benchmarks -- \
  --filter "$filter" --job short --warmupCount 2 --iterationCount 3 --exporters json --artifacts "$artifacts" \
  --stopOnFirstError
update=""
[[ "${1:-}" == "--update" ]] && update="--update"
dotnet run -c Release --no-build --project benchmarks/EcgClip.Benchmarks -- \
  --compare benchmarks/baseline.json "$artifacts/results" "$factor" $update
