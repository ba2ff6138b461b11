#!/usr/bin/env python3
"""Developer check (not run by CI): fresh random data -> `ecgclip metrics --json` vs scikit-learn 1.2.

    /usr/bin/python3 tests/EcgClip.Eval.Tests/Fixtures/check_cli_against_sklearn.py path/to/ecgclip.dll [n] [tasks] [B] [seed]

Builds data with heavy ties, a handful of distinct score values, float32 and float64 scores, tasks with one
positive and with none; prints max |diff| of per-task PRAUC/AUROC and the CI width ratio against a percentile
bootstrap built on sklearn with the same number of resamples, and the timing of both.
"""
import json, os, subprocess, sys, tempfile, time, warnings
import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

warnings.simplefilter("ignore")
dll = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
t = int(sys.argv[3]) if len(sys.argv) > 3 else 20
B = int(sys.argv[4]) if len(sys.argv) > 4 else 200
seed = int(sys.argv[5]) if len(sys.argv) > 5 else int(time.time())
rng = np.random.default_rng(seed)
prev = rng.choice([0.001, 0.005, 0.02, 0.1, 0.4], t)
y = (rng.random((n, t)) < prev).astype(np.int8)
y[:, 0] = 0                     # no positive
y[:, 1] = 0; y[rng.integers(n), 1] = 1   # one positive
s = rng.normal(size=(n, t)) + y * rng.uniform(0.2, 2, t)
s[:, 2:6] = np.round(s[:, 2:6], 0)          # a handful of distinct values
s[:, 6:9] = np.round(s[:, 6:9] * 4) / 4     # heavy ties
dtype = np.float32 if seed % 2 == 0 else np.float64
s = s.astype(dtype)
with tempfile.TemporaryDirectory() as d:
    np.save(os.path.join(d, "y.npy"), y); np.save(os.path.join(d, "s.npy"), s)
    out = subprocess.run(["dotnet", dll, "metrics", "--labels", os.path.join(d, "y.npy"), "--scores", os.path.join(d, "s.npy"),
                          "--bootstrap", str(B), "--seed", "1", "--json"], capture_output=True, text=True, check=True).stdout
res = json.loads(out.strip().splitlines()[-1])
t0 = time.perf_counter()
worst_ap = worst_auc = 0.0
ratios = []
outliers = []
r = np.random.default_rng(seed + 1)
boot_ap = [[] for _ in range(t)]; boot_auc = [[] for _ in range(t)]
for b in range(B):
    idx = r.integers(0, n, n)
    yy, ss = y[idx], s[idx]
    for j in range(t):
        if yy[:, j].sum() > 0:
            boot_ap[j].append(average_precision_score(yy[:, j], ss[:, j]))
            if yy[:, j].sum() < n:
                boot_auc[j].append(roc_auc_score(yy[:, j], ss[:, j]))
for j in range(t):
    task = res["tasks"][j]
    ap = average_precision_score(y[:, j], s[:, j])
    worst_ap = max(worst_ap, abs(ap - task["prauc"]))
    if 0 < y[:, j].sum() < n:
        worst_auc = max(worst_auc, abs(roc_auc_score(y[:, j], s[:, j]) - task["auroc"]))
    else:
        assert task["auroc"] is None
    for ours, boot in ((task["prauc_ci"], boot_ap[j]), (task["auroc_ci"], boot_auc[j])):
        if ours is not None and len(boot) > 1:
            w = np.percentile(boot, 97.5) - np.percentile(boot, 2.5)
            if w > 0:
                ratios.append((ours[1] - ours[0]) / w)
                if abs(ratios[-1] - 1) > 0.25:
                    outliers.append({"task": j, "n_pos": int(y[:, j].sum()), "ratio": ratios[-1]})
sk = time.perf_counter() - t0
print(json.dumps({"seed": seed, "dtype": str(s.dtype), "n": n, "tasks": t, "B": B, "max_abs_diff_prauc": worst_ap,
                  "max_abs_diff_auroc": worst_auc, "ci_width_ratio_min": min(ratios), "ci_width_ratio_median": float(np.median(ratios)),
                  "ci_width_ratio_max": max(ratios), "outside_25pct": outliers, "ecgclip_seconds": res["seconds"], "sklearn_seconds": sk}))
