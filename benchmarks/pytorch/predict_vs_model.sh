#!/usr/bin/env bash
# The predictor with the checkpoint's own preprocessing (`ecgclip predict`: read each WFDB file, map leads, resample,
# band-pass, z-score, encode, heads) against PyTorch's eager model alone on ready tensors of the same shape, interleaved.
# Predictor ECG/s = (files - 1) / (wall of all files - wall of one file): start-up and model loading cancel out.
# Usage: bash benchmarks/pytorch/predict_vs_model.sh <model dir> [rounds=3] [files=200] [record folder]
# The model folder comes from `ecgclip train-heads` (its encoder config gives backbone and input length). Needs
# python3-torch (Debian's PyTorch 1.13) for the peer; PTB-XL 500 Hz records from ../shared/data by default.
set -euo pipefail
cd "$(dirname "$0")/../.."
model="${1:?model folder from ecgclip train-heads}"; rounds="${2:-3}"; n="${3:-200}"
records="${4:-../shared/data/ptbxl/records500}"
py="${PYTHON:-/usr/bin/python3}"
cli=(dotnet src/EcgClip.Cli/bin/Release/net10.0/ecgclip.dll)
mapfile -t files < <(find "$records" -name '*.hea' | sort | head -n "$n")
[[ ${#files[@]} -ge 2 ]] || { echo "error: fewer than 2 WFDB headers under $records" >&2; exit 2; }
length="${LENGTH:-1000}"; backbone="${BACKBONE:-resnet18}"
wall() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN { print b - a }'; }
for r in $(seq "$rounds"); do
  echo "round $r: $(uptime)"
  t=$(env OMP_WAIT_POLICY=PASSIVE "$py" benchmarks/pytorch/bench_resnet1d.py infer --backbone "$backbone" --precision float32 \
      --batch-size 32 --length "$length" --threads 2 --steps 15 --warmup 3 | tail -n 1)
  pt=$(echo "$t" | "$py" -c 'import json,sys; print(json.loads(sys.stdin.read())["ecg_per_s"])')
  one=$(wall "${cli[@]}" predict "${files[0]}" --model "$model" --json)
  all=$(wall "${cli[@]}" predict "${files[@]}" --model "$model" --json)
  awk -v n="${#files[@]}" -v all="$all" -v one="$one" -v pt="$pt" 'BEGIN {
    ours = (n - 1) / (all - one)
    printf "predictor %.1f ECG/s (%d files %.2f s, 1 file %.2f s) | pytorch model alone %.1f ECG/s | ratio %.2fx\n", ours, n, all, one, pt, ours / pt }' 
done
