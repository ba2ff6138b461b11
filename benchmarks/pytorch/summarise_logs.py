#!/usr/bin/python3
"""Summarises compare.sh logs (one or more files): per configuration and EcgClip variant, the number of pairs, median
and range of both sides' ECG/s, of the per-pair wall-clock ratio (ecgclip / pytorch) and of the processor-time ratio
(pytorch / ecgclip). Each EcgClip line is paired with the PyTorch line before it (compare.sh's order).
Usage: /usr/bin/python3 benchmarks/pytorch/summarise_logs.py benchmarks/pytorch/results/2026-12-03/*.txt
"""
import collections
import json
import statistics as st
import sys

rows = collections.defaultdict(list)
for path in sys.argv[1:]:
    py = None
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"): continue
        j = json.loads(line)
        if j.get("peer") == "pytorch": py = j; continue
        if py is None: continue
        var = ("folded" if j.get("inference_form") else "module") if j["mode"] == "infer" else "train"
        var += "" if j.get("allocator", "applied") == "applied" else "+defaultalloc"
        var += "+" + j.get("omp_wait_policy", "spin") if "omp_wait_policy" in j else ""
        rows[(j["mode"], j["backbone"], j["precision"], var)].append((j["ecg_per_s"], j.get("cpu_seconds_per_step", 0), py["ecg_per_s"], py.get("cpu_seconds_per_step", 0)))
for k, v in rows.items():
    e = [x[0] for x in v]; t = [x[2] for x in v]
    r = [x[0] / x[2] for x in v]; c = [x[3] / x[1] for x in v if x[1] > 0]
    if not c:
        continue
    print(f"{' '.join(k)} | n={len(v)} | ecgclip {st.median(e):.1f} ({min(e):.1f}-{max(e):.1f}) | pytorch {st.median(t):.1f} ({min(t):.1f}-{max(t):.1f}) | wall ratio med {st.median(r):.2f} ({min(r):.2f}-{max(r):.2f}) | cpu ratio {st.median(c):.2f} ({min(c):.2f}-{max(c):.2f})")
