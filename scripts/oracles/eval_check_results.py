#!/usr/bin/env python3
"""Recomputes every per-task PRAUC / AUROC of an EcgClip results.json from the saved npy files with scikit-learn.

Usage (Debian's python3 with numpy and scikit-learn):
    /usr/bin/python3 scripts/oracles/eval_check_results.py <results folder>
Reads <folder>/results.json, and for each run its folder's test_labels.npy, test_scores.npy and tasks.txt; prints the
largest |difference| and exits non-zero when any exceeds 1e-12 (or a task's name or order differs). Regression runs
are checked for MAE against sklearn.metrics.mean_absolute_error. A manual check: CI does not run it.
"""
import json
import os
import sys

import numpy as np
from sklearn.metrics import average_precision_score, mean_absolute_error, roc_auc_score


def main(folder):
    doc = json.load(open(os.path.join(folder, "results.json")))
    worst, runs = 0.0, 0
    for model in doc["models"]:
        for fraction in model["fractions"]:
            for run in fraction["runs"]:
                sub = os.path.join(folder, run["folder"])
                y = np.load(os.path.join(sub, "test_labels.npy"))
                s = np.load(os.path.join(sub, "test_scores.npy"))
                names = [l.strip() for l in open(os.path.join(sub, "tasks.txt")) if l.strip()]
                if "tasks" in run:
                    assert [t["name"] for t in run["tasks"]] == names, "task names differ from tasks.txt"
                    for t, task in enumerate(run["tasks"]):
                        if task["prauc"] is not None:
                            worst = max(worst, abs(average_precision_score(y[:, t], s[:, t]) - task["prauc"]))
                        if task["auroc"] is not None:
                            worst = max(worst, abs(roc_auc_score(y[:, t], s[:, t]) - task["auroc"]))
                for t, target in enumerate(run.get("targets", [])):
                    worst = max(worst, abs(mean_absolute_error(y[:, t], s[:, t]) - target["mae"]))
                runs += 1
    print(f"{runs} runs checked; max |EcgClip - sklearn| = {worst:.3e}")
    return 0 if worst <= 1e-12 and runs > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
