#!/usr/bin/env bash
# Runs every EcgClip test project (restoring and building as needed) and ends with one line
# "N passed, N failed, N skipped" summed over all projects. Exit code 0 only when nothing failed.
# Usage: bash scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Dsp]
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
config="${CONFIG:-Release}"
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

projects=(tests/*/*.Tests.csproj)
status=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  dotnet test "$project" -c "$config" --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=1
done

passed=0; failed=0; skipped=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  trx="$results/$name.trx"
  if [[ ! -f "$trx" ]]; then
    echo "no test results for $name (build failure or crash): counted as 1 failed" >&2
    failed=$((failed + 1)); continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  e=$(get error); t=$(get timeout); a=$(get aborted)
  # A crashed test host writes zero counters and a RunInfo error: count the aborted project as 1 failed, not 0.
  if [[ $((f + e + t + a)) -eq 0 ]] && grep -q 'The active test run was aborted' "$trx"; then
    echo "$name: test run aborted (test host crashed): counted as 1 failed" >&2; a=1
  fi
  passed=$((passed + p)); failed=$((failed + f + e + t + a)); skipped=$((skipped + total - executed))
done
[[ $failed -gt 0 ]] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
