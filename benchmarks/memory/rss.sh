#!/usr/bin/env bash
# Resident memory of a long pretraining run: `ecgclip pretrain` with a tiny model (tiny-model.json: ResNet [1,1]x[8,16],
# 1-layer text tower) on the embedded PTB-XL data, --limit 64 --batch-size 8 --threads 1, so 8 steps per epoch and a
# validation (plus a best checkpoint when it improves) after each. Reads rss_mb from the run's metrics.jsonl and
# prints the value at step FROM, the minimum and maximum between FROM and TO and their deviation from the FROM value;
# exits 1 when either lies outside +-LIMIT percent (the issue: flat within 5% from step 100 to 1,000).
# Usage: bash benchmarks/memory/rss.sh [steps=1000] [from=100] [limit_percent=5]
#   RSS_MODEL=resnet18 runs the full-size model instead: ResNet-18 + the default text tower on PTB-XL at 100 Hz
#   (PTBXL=dir, default ../shared/data/ptbxl), batch 32, 2 threads, a validation every 46 steps (~12 min for 1,000 steps).
#   ECGCLIP_DLL=path/to/ecgclip.dll skips the build; RUN_DIR=dir keeps the run (default: a temporary folder).
#   Allocator settings in the environment (DOTNET_GCgen0size, MALLOC_MMAP_THRESHOLD_, ...) reach the run and are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
steps="${1:-1000}"; from="${2:-100}"; limit="${3:-5}"
dll="${ECGCLIP_DLL:-}"
if [[ -z "$dll" ]]; then
  nice -n 19 dotnet build src/EcgClip.Cli -c Release -v quiet -nologo >&2
  dll="src/EcgClip.Cli/bin/Release/net10.0/ecgclip.dll"
fi
run="${RUN_DIR:-$(mktemp -d -t ecgclip-rss-XXXXXX)}"
[[ -n "${RUN_DIR:-}" ]] || trap 'rm -rf "$run"' EXIT
rm -rf "$run/metrics.jsonl" "$run/checkpoints"
settings=$(env | grep -E '^(DOTNET_GC|MALLOC_)' | tr '\n' ' ' || true)
echo "pretrain: $steps steps, ${RSS_MODEL:-tiny} model, run folder $run, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a), settings: ${settings:-defaults}" >&2
if [[ "${RSS_MODEL:-tiny}" == resnet18 ]]; then
  ptbxl="${PTBXL:-../shared/data/ptbxl}"
  [[ -f "$ptbxl/ptbxl_database.csv" ]] || { echo "error: no PTB-XL at $ptbxl (set PTBXL=dir)" >&2; exit 2; }
  what=(--data "ptbxl:$ptbxl" --fs 100 --backbone resnet18 --threads 2)
else
  what=(--config benchmarks/memory/tiny-model.json --limit 64 --batch-size 8 --threads 1)
fi
nice -n 19 dotnet "$dll" pretrain "${what[@]}" --steps "$steps" --seed 0 --out "$run" --json < /dev/null > "$run/summary.json"

grep '"kind":"step"' "$run/metrics.jsonl" | sed -E 's/.*"step":([0-9]+),.*"rss_mb":([0-9.]+).*/\1 \2/' |
awk -v from="$from" -v to="$steps" -v limit="$limit" '
  $1 == from { ref = $2 }
  $1 >= from && $1 <= to {
    n++
    if (min == "" || $2 < min) { min = $2; smin = $1 }
    if (max == "" || $2 > max) { max = $2; smax = $1 }
  }
  END {
    if (ref == "" || n == 0) { print "no rss_mb at step " from " in metrics.jsonl" > "/dev/stderr"; exit 2 }
    lo = 100 * (min - ref) / ref; hi = 100 * (max - ref) / ref
    printf "rss_mb at step %d: %.1f MiB; steps %d-%d (%d rows): min %.1f (step %d, %+.2f%%), max %.1f (step %d, %+.2f%%), range %.1f MiB\n", from, ref, from, to, n, min, smin, lo, max, smax, hi, max - min
    if (lo < -limit || hi > limit) { printf "FAIL: outside +-%s%% of the step-%d value\n", limit, from; exit 1 }
    printf "OK: within +-%s%% of the step-%d value\n", limit, from
  }'
