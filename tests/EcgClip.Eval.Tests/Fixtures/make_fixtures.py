#!/usr/bin/env python3
"""Writes the oracle fixtures of EcgClip.Eval.Tests and EcgClip.Cli.Tests/Metrics from scikit-learn / scipy.

Run from the repository root with Debian's python3 (numpy, scipy, scikit-learn 1.2):
    /usr/bin/python3 tests/EcgClip.Eval.Tests/Fixtures/make_fixtures.py
Tests only read the JSON/.npy files written here; they never run Python. Expected values come from sklearn/scipy
(and, for DeLong, from a direct numpy transcription of Sun & Xu 2014 using scipy's midranks), never from EcgClip.
"""
import json
import os
import warnings

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import (average_precision_score, roc_auc_score, brier_score_loss, f1_score, precision_score,
                             recall_score, mean_absolute_error, mean_squared_error, r2_score)
from sklearn.calibration import calibration_curve

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.path.join(HERE, "..", "..", "EcgClip.Cli.Tests", "Metrics", "Fixtures")
rng = np.random.default_rng(20261126)


def f(x):
    return None if x is None else float(x)


def ap_auc(y, s):
    ap = average_precision_score(y, s)
    try:
        auc = roc_auc_score(y, s)
    except ValueError:
        auc = None
    return f(ap), f(auc)


def ranking_cases():
    cases = []

    def add(name, y, s):
        y = np.asarray(y).astype(np.int64)
        ap, auc = ap_auc(y, s)
        cases.append({"name": name, "dtype": str(s.dtype), "labels": y.tolist(),
                      "scores": [float(v) for v in s], "average_precision": ap, "area_under_roc": auc})

    for i in range(6):
        n = int(rng.integers(20, 400))
        y = (rng.random(n) < rng.choice([0.02, 0.1, 0.5])).astype(int)
        add(f"continuous_{i}", y, rng.normal(size=n) + y * rng.random())
    for i in range(6):
        n = int(rng.integers(20, 400))
        y = (rng.random(n) < 0.2).astype(int)
        levels = int(rng.integers(2, 6))
        add(f"few_distinct_{i}", y, rng.integers(0, levels, n).astype(np.float64) / 4 + y * (rng.random(n) < 0.3))
    for i in range(4):
        n = int(rng.integers(50, 300))
        y = (rng.random(n) < 0.3).astype(int)
        add(f"heavy_ties_float32_{i}", y, np.round(rng.random(n) + 0.3 * y, 1).astype(np.float32))
    # float32 values that are distinct in float32 but would collide after rounding to fewer digits
    base = np.float32(0.5)
    s = np.array([base, np.nextafter(base, np.float32(1)), np.nextafter(base, np.float32(0)), base,
                  np.float32(0.25), np.float32(0.75), np.nextafter(np.float32(0.75), np.float32(0))], dtype=np.float32)
    add("float32_adjacent", [1, 0, 1, 0, 0, 1, 1], s)
    n = 200
    y = np.zeros(n, int); y[int(rng.integers(n))] = 1
    add("one_positive", y, rng.random(n))
    add("one_positive_tied", y, np.round(rng.random(n), 1))
    add("no_positive", np.zeros(50, int), rng.random(50))
    add("all_positive", np.ones(30, int), rng.random(30))
    add("all_tied", (rng.random(40) < 0.4).astype(int), np.full(40, 0.3))
    add("single_sample_positive", [1], np.array([0.2]))
    add("perfect", [0, 0, 1, 1], np.array([0.1, 0.2, 0.8, 0.9]))
    add("reversed", [1, 1, 0, 0], np.array([0.1, 0.2, 0.8, 0.9]))
    add("integers_as_scores", (rng.random(100) < 0.3).astype(int), rng.integers(-3, 3, 100).astype(np.float64))
    return cases


def weighted_cases():
    """Metrics on resampled data (np.repeat by counts) = count-weighted metrics."""
    cases = []
    for i in range(8):
        n = int(rng.integers(10, 200))
        y = (rng.random(n) < rng.choice([0.05, 0.3])).astype(int)
        s = np.round(rng.random(n) + 0.2 * y, int(rng.integers(1, 4)))
        counts = np.bincount(rng.integers(0, n, n), minlength=n)
        yr, sr = np.repeat(y, counts), np.repeat(s, counts)
        ap = f(average_precision_score(yr, sr)) if yr.sum() > 0 else None
        try:
            auc = f(roc_auc_score(yr, sr))
        except ValueError:
            auc = None
        cases.append({"labels": y.tolist(), "scores": s.tolist(), "counts": counts.tolist(),
                      "average_precision": ap, "area_under_roc": auc})
    return cases


def midrank(x):
    return scipy.stats.rankdata(x, method="average")


def delong(y, sa, sb):
    """Fast DeLong (Sun & Xu 2014, IEEE SPL 21(11)), transcribed directly with numpy."""
    pos, neg = sa[y == 1], sa[y == 0]
    m, n = int((y == 1).sum()), int((y == 0).sum())
    aucs, v10s, v01s = [], [], []
    for s in (sa, sb):
        x, z = s[y == 1], s[y == 0]
        tx, ty, tz = midrank(x), midrank(z), midrank(np.concatenate([x, z]))
        aucs.append((tz[:m].sum() - m * (m + 1) / 2) / (m * n))
        v10s.append((tz[:m] - tx) / n)
        v01s.append(1 - (tz[m:] - ty) / m)
    s10, s01 = np.cov(np.vstack(v10s)), np.cov(np.vstack(v01s))
    cov = s10 / m + s01 / n
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    z = (aucs[0] - aucs[1]) / np.sqrt(var)
    p = 2 * scipy.stats.norm.sf(abs(z))
    return {"auc_a": f(aucs[0]), "auc_b": f(aucs[1]), "variance": f(var), "z": f(z), "p_value": f(p),
            "var_a": f(cov[0, 0]), "var_b": f(cov[1, 1])}


def delong_cases():
    cases = []
    for i in range(6):
        n = int(rng.integers(30, 400))
        y = (rng.random(n) < rng.choice([0.1, 0.4])).astype(int)
        sa = rng.normal(size=n) + y * 1.0
        sb = 0.6 * sa + rng.normal(size=n) * 0.8 + y * 0.3 * i
        if i % 2 == 1:
            sa, sb = np.round(sa, 1), np.round(sb, 1)
        assert abs(delong(y, sa, sb)["auc_a"] - roc_auc_score(y, sa)) < 1e-12
        cases.append({"labels": y.tolist(), "scores_a": sa.tolist(), "scores_b": sb.tolist(), **delong(y, sa, sb)})
    return cases


def threshold_cases():
    cases = []
    for i in range(4):
        n = int(rng.integers(50, 300))
        y = (rng.random(n) < 0.3).astype(int)
        s = np.round(rng.random(n) * 0.7 + 0.3 * y, 2)
        t = float(rng.choice(np.unique(s)))
        pred = (s >= t).astype(int)
        tn = int(((pred == 0) & (y == 0)).sum()); fp = int(((pred == 1) & (y == 0)).sum())
        cases.append({"labels": y.tolist(), "scores": s.tolist(), "threshold": t,
                      "sensitivity": f(recall_score(y, pred)), "specificity": tn / (tn + fp),
                      "ppv": f(precision_score(y, pred, zero_division=0)),
                      "npv": f(tn / max(1, int((pred == 0).sum()))), "f1": f(f1_score(y, pred))})
    return cases


def calibration_cases():
    cases = []
    for i in range(3):
        n = int(rng.integers(100, 400))
        p = rng.random(n)
        y = (rng.random(n) < p ** (1 + i * 0.5)).astype(int)
        bins = 10
        prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy="uniform")
        # ECE with the same uniform bins as calibration_curve (sklearn 1.2: np.searchsorted on linspace[1:-1])
        edges = np.linspace(0.0, 1.0, bins + 1)
        ids = np.searchsorted(edges[1:-1], p)
        ece = 0.0
        for b in range(bins):
            mask = ids == b
            if mask.any():
                ece += mask.sum() / n * abs(y[mask].mean() - p[mask].mean())
        cases.append({"labels": y.tolist(), "probabilities": p.tolist(), "bins": bins,
                      "brier": f(brier_score_loss(y, p)), "ece": f(ece),
                      "prob_true": prob_true.tolist(), "prob_pred": prob_pred.tolist()})
    return cases


def regression_cases():
    cases = []
    for i in range(4):
        n = int(rng.integers(10, 300))
        t = rng.normal(55, 10, n)
        p = t + rng.normal(0, 5 + i, n)
        if i == 3:
            t, p = np.round(t), np.round(p)  # ties for Spearman
        cases.append({"targets": t.tolist(), "predictions": p.tolist(),
                      "mae": f(mean_absolute_error(t, p)), "rmse": f(np.sqrt(mean_squared_error(t, p))),
                      "r2": f(r2_score(t, p)), "pearson": f(scipy.stats.pearsonr(t, p)[0]),
                      "spearman": f(scipy.stats.spearmanr(t, p)[0])})
    return cases


def percentile_bootstrap(y, s, b, seed):
    """The sklearn loop: point estimates plus b resamples of n rows, per task, skipping undefined resamples."""
    r = np.random.default_rng(seed)
    n, t = y.shape
    aps = [[] for _ in range(t)]
    aucs = [[] for _ in range(t)]
    for _ in range(b):
        idx = r.integers(0, n, n)
        yy, ss = y[idx], s[idx]
        for j in range(t):
            if yy[:, j].sum() > 0:
                aps[j].append(average_precision_score(yy[:, j], ss[:, j]))
                if yy[:, j].sum() < n:
                    aucs[j].append(roc_auc_score(yy[:, j], ss[:, j]))

    def ci(v):
        return None if len(v) < 2 else [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
    return [ci(v) for v in aps], [ci(v) for v in aucs]


def cli_fixture():
    n, t = 400, 6
    prevalence = np.array([0.3, 0.05, 0.01, 0.0, 0.2, 0.5])
    y = (rng.random((n, t)) < prevalence).astype(np.int64)
    y[int(rng.integers(n)), 2] = 1
    s = (rng.normal(size=(n, t)) + y * 1.2)
    s[:, 4] = np.round(s[:, 4], 0)  # a handful of distinct values
    s = s.astype(np.float32)
    s_b = (0.7 * s + rng.normal(size=(n, t)) * 0.7).astype(np.float32)
    os.makedirs(CLI, exist_ok=True)
    np.save(os.path.join(CLI, "y.npy"), y)
    np.save(os.path.join(CLI, "s.npy"), s)
    np.save(os.path.join(CLI, "s_b.npy"), s_b)
    np.save(os.path.join(CLI, "y_1d.npy"), y[:, 0].astype(np.float64))
    np.save(os.path.join(CLI, "s_1d.npy"), s[:, 0].astype(np.float64))
    np.save(os.path.join(CLI, "y_bad.npy"), np.where(y == 1, 2, 0))
    s_nan = s.copy(); s_nan[3, 1] = np.nan
    np.save(os.path.join(CLI, "s_nan.npy"), s_nan)
    np.save(os.path.join(CLI, "s_short.npy"), s[:-1])
    np.save(os.path.join(CLI, "patients.npy"), np.arange(n) // 3)
    with open(os.path.join(CLI, "names.txt"), "w") as fh:
        fh.write("\n".join(f"dx_{j}" for j in range(t)) + "\n")
    expected = []
    for j in range(t):
        ap, auc = ap_auc(y[:, j], s[:, j])
        expected.append({"n_pos": int(y[:, j].sum()), "prauc": ap, "auroc": auc})
    ap_ci, auc_ci = percentile_bootstrap(y, s, 500, 7)
    dl = [delong(y[:, j], s[:, j].astype(np.float64), s_b[:, j].astype(np.float64)) if 2 <= y[:, j].sum() <= n - 2 else None
          for j in range(t)]
    with open(os.path.join(CLI, "expected.json"), "w") as fh:
        json.dump({"tasks": expected, "sklearn_bootstrap_resamples": 500, "sklearn_prauc_ci": ap_ci,
                   "sklearn_auroc_ci": auc_ci, "delong": dl}, fh)


def main():
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
           "ranking": ranking_cases(), "weighted": weighted_cases(), "delong": delong_cases(),
           "thresholds": threshold_cases(), "calibration": calibration_cases(), "regression": regression_cases()}
    with open(os.path.join(HERE, "metrics_oracle.json"), "w") as fh:
        json.dump(out, fh)
    cli_fixture()


if __name__ == "__main__":
    main()
