#!/usr/bin/env bash
# Same-run comparison of `ecgclip bench` with PyTorch doing the same work (bench_resnet1d.py), interleaved so that
# both sides see the same machine state. Needs python3-torch (apt). Prints one line per measurement, the load average
# before each round, and a table of medians, ranges and the ratio of medians (ecgclip / pytorch), in wall-clock ECG/s
# and in processor time per step (pytorch / ecgclip: > 1 means ecgclip needs less CPU for the same work; on a machine
# shared with other jobs this ratio is far steadier than the wall-clock one).
# Usage: bash benchmarks/pytorch/compare.sh [rounds=3] [modes="train infer"] [backbones="resnet18 resnet34"] [precisions="float32 bf16"]
# VARIANTS="default;--unoptimised;--allocator default" measures several ecgclip flag sets in the same rounds
# ("default" = no extra flags); each variant gets its own rows in the table. PYTORCH_ENV="OMP_WAIT_POLICY=PASSIVE" runs
# the PyTorch side with that environment (ecgclip sets OMP_WAIT_POLICY=PASSIVE itself unless the environment sets it).
set -euo pipefail
cd "$(dirname "$0")/../.."
py="${PYTHON:-/usr/bin/python3}"   # Debian's python3-torch; a pyenv python3 on PATH does not see it
rounds="${1:-3}"; modes="${2:-train infer}"; backbones="${3:-resnet18 resnet34}"; precisions="${4:-float32 bf16}"
IFS=';' read -r -a variants <<< "${VARIANTS:-default}"
args=(--batch-size "${BATCH:-32}" --length "${LENGTH:-2500}" --threads "${THREADS:-2}" --steps "${STEPS:-5}" --warmup "${WARMUP:-2}")
[[ "${NO_BUILD:-0}" == 1 ]] || dotnet build src/EcgClip.Cli -c Release -v q -nologo > /dev/null
cli=(dotnet src/EcgClip.Cli/bin/Release/net10.0/ecgclip.dll)
out=$(mktemp)
value() { "$py" -c 'import json,sys; j=json.loads(sys.stdin.read().strip().splitlines()[-1]); print(j["ecg_per_s"], j.get("cpu_seconds_per_step", 0), sep="|")'; }
for r in $(seq "$rounds"); do
  echo "round $r: $(uptime)"
  for m in $modes; do for b in $backbones; do for p in $precisions; do
    t=$(env ${PYTORCH_ENV:-} "$py" benchmarks/pytorch/bench_resnet1d.py "$m" --backbone "$b" --precision "$p" "${args[@]}" | tail -n 1)
    echo "$t"; tv=$(echo "$t" | value)
    for v in "${variants[@]}"; do
      extra=(); [[ "$v" == default ]] || read -r -a extra <<< "$v"
      e=$("${cli[@]}" bench "$m" --backbone "$b" --precision "$p" "${args[@]}" "${extra[@]}" --json | tail -n 1)
      echo "$e"
      echo "$m|$b|$p|${v}|$(echo "$e" | value)|$tv" >> "$out"
    done
  done; done; done
done
echo "end: $(uptime)"
echo
echo "mode backbone precision [variant] | ecgclip ECG/s median (min-max) | pytorch ECG/s median (min-max) | ratio of medians (min-max of per-round ratios) | cpu-time ratio pytorch/ecgclip median (min-max)"
"$py" - "$out" <<'PY'
import sys, statistics as st, collections
rows = collections.defaultdict(lambda: ([], []))
for line in open(sys.argv[1]):
    m, b, p, v, e, ec, t, tc = line.strip().split("|")
    rows[(m, b, p, v)][0].append((float(e), float(ec))); rows[(m, b, p, v)][1].append((float(t), float(tc)))
for (m, b, p, v), (es, ts) in rows.items():
    e = [x for x, _ in es]; t = [x for x, _ in ts]
    r = [x / y for x, y in zip(e, t)]
    c = [y / x for (_, x), (_, y) in zip(es, ts) if x > 0]
    cpu = f"{st.median(c):.2f}x ({min(c):.2f}-{max(c):.2f})" if c else "-"
    print(f"{m} {b} {p} [{v}] | {st.median(e):.1f} ({min(e):.1f}-{max(e):.1f}) | {st.median(t):.1f} ({min(t):.1f}-{max(t):.1f}) | "
          f"{st.median(e) / st.median(t):.2f}x ({min(r):.2f}-{max(r):.2f}) | cpu {cpu}")
PY
rm -f "$out"
