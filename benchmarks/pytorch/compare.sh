#!/usr/bin/env bash
# Same-run comparison of `ecgclip bench` with PyTorch doing the same work (bench_resnet1d.py), interleaved so that
# both sides see the same machine state. Needs python3-torch (apt). Prints one line per measurement and a ratio table.
# Usage: bash benchmarks/pytorch/compare.sh [rounds=3] [modes="train infer"] [backbones="resnet18 resnet34"] [precisions="float32 bf16"]
set -euo pipefail
cd "$(dirname "$0")/../.."
py="${PYTHON:-/usr/bin/python3}"   # Debian's python3-torch; a pyenv python3 on PATH does not see it
rounds="${1:-3}"; modes="${2:-train infer}"; backbones="${3:-resnet18 resnet34}"; precisions="${4:-float32 bf16}"
args=(--batch-size "${BATCH:-32}" --length "${LENGTH:-2500}" --threads "${THREADS:-2}" --steps "${STEPS:-5}" --warmup "${WARMUP:-2}")
dotnet build src/EcgClip.Cli -c Release -v q -nologo > /dev/null
cli=(dotnet src/EcgClip.Cli/bin/Release/net10.0/ecgclip.dll)
out=$(mktemp)
for r in $(seq "$rounds"); do
  for m in $modes; do for b in $backbones; do for p in $precisions; do
    e=$("${cli[@]}" bench "$m" --backbone "$b" --precision "$p" "${args[@]}" --json | tail -n 1)
    t=$("$py" benchmarks/pytorch/bench_resnet1d.py "$m" --backbone "$b" --precision "$p" "${args[@]}" | tail -n 1)
    echo "$e"; echo "$t"
    echo "$m $b $p $(echo "$e" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["ecg_per_s"])') $(echo "$t" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["ecg_per_s"])')" >> "$out"
  done; done; done
done
echo
echo "mode backbone precision | ecgclip ECG/s (min-max) | pytorch ECG/s (min-max) | ratio of medians"
"$py" - "$out" <<'PY'
import sys, statistics as st, collections
rows = collections.defaultdict(lambda: ([], []))
for line in open(sys.argv[1]):
    m, b, p, e, t = line.split()
    rows[(m, b, p)][0].append(float(e)); rows[(m, b, p)][1].append(float(t))
for (m, b, p), (e, t) in rows.items():
    print(f"{m} {b} {p} | {st.median(e):.1f} ({min(e):.1f}-{max(e):.1f}) | {st.median(t):.1f} ({min(t):.1f}-{max(t):.1f}) | {st.median(e) / st.median(t):.2f}x")
PY
rm -f "$out"
