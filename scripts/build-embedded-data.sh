#!/usr/bin/env bash
# Rebuilds the embedded default data set (src/EcgClip.Signal/EmbeddedData/ptbxl) from a PTB-XL folder.
# Usage: bash scripts/build-embedded-data.sh [ptbxl-folder]   (default: ../shared/data/ptbxl)
# Takes about 2.5 minutes on 2 cores (Brotli quality 11).
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-../shared/data/ptbxl}"
out=src/EcgClip.Signal/EmbeddedData/ptbxl
dotnet run --project src/EcgClip.Cli -c Release -- dataset pack --source "ptbxl:$src" --out "$out" --json
cp "$src/LICENSE.txt" "$out/LICENSE.txt"
