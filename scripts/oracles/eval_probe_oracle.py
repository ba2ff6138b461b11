#!/usr/bin/env python3
"""Writes tests/EcgClip.Eval.Tests/Fixtures/probe_oracle.json: linear-probe reference values from scikit-learn.

Run from the repository root with Debian's python3 (numpy, scipy, scikit-learn 1.2):
    /usr/bin/python3 scripts/oracles/eval_probe_oracle.py
Tests only read the JSON; CI never runs Python. Every expected value comes from sklearn (StandardScaler +
LogisticRegression(solver="lbfgs") / Ridge, average_precision_score), never from EcgClip.
sklearn's lbfgs stops on its own relative-decrease rule (ftol = 64 eps) after ~10 iterations whatever tol says, so
each logistic case also carries a converged reference: sklearn's solver="newton-cholesky" for binary fits and, for
the multinomial one (which newton-cholesky does not do in 1.2), scipy's L-BFGS-B run to a 1e-10 gradient on the
same objective. Tests hold EcgClip to the converged optimum tightly and to sklearn's lbfgs output loosely.
Features are float32 (as cached embeddings are) and handed to sklearn widened to float64.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import average_precision_score, mean_absolute_error, precision_recall_curve, r2_score
from sklearn.preprocessing import StandardScaler
from scipy.optimize import minimize
from scipy.special import logsumexp

warnings.simplefilter("ignore")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "EcgClip.Eval.Tests", "Fixtures", "probe_oracle.json")
rng = np.random.default_rng(20261203)
TIGHT = dict(solver="lbfgs", tol=1e-12, max_iter=100000)


def features(n, d, scale_spread=True):
    x = rng.normal(size=(n, d))
    if scale_spread:
        x = x * rng.uniform(0.1, 5.0, size=d) + rng.uniform(-3, 3, size=d)
    return x.astype(np.float32)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def logistic_case(name, n_train, n_test, d, outputs, cs):
    x = features(n_train + n_test, d)
    w = rng.normal(size=(d, outputs)) / np.sqrt(d)
    z = StandardScaler().fit_transform(x.astype(np.float64)) @ w * 2.0 + rng.normal(size=outputs) * 0.5
    y = (rng.uniform(size=z.shape) < 1 / (1 + np.exp(-z))).astype(np.float64)
    xtr, xte, ytr = x[:n_train], x[n_train:], y[:n_train]
    scaler = StandardScaler().fit(xtr.astype(np.float64))
    fits = []
    for c in cs:
        proba = np.zeros((n_test, outputs))
        exact = np.zeros((n_test, outputs))
        coef = np.zeros((outputs, d + 1))
        for t in range(outputs):
            m = LogisticRegression(C=c, **TIGHT).fit(scaler.transform(xtr.astype(np.float64)), ytr[:, t])
            proba[:, t] = m.predict_proba(scaler.transform(xte.astype(np.float64)))[:, 1]
            e = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(scaler.transform(xtr.astype(np.float64)), ytr[:, t])
            exact[:, t] = e.predict_proba(scaler.transform(xte.astype(np.float64)))[:, 1]
            coef[t, :d], coef[t, d] = e.coef_[0], e.intercept_[0]
        fits.append({"c": c, "test_proba": flat(proba), "test_proba_exact": flat(exact), "coef_exact": flat(coef)})
    return {"name": name, "d": d, "outputs": outputs, "n_train": n_train, "n_test": n_test,
            "x_train": flat(xtr), "y_train": flat(ytr), "x_test": flat(xte), "fits": fits}


def multinomial_reference(x, y, k, c, x_test):
    """sklearn's multinomial objective, 0.5 ||W||^2 + C sum_i CE_i (intercepts unpenalised), minimised by scipy."""
    n, d = x.shape
    onehot = np.eye(k)[y]

    def f(theta):
        w = theta.reshape(k, d + 1)
        z = x @ w[:, :d].T + w[:, d]
        p = np.exp(z - logsumexp(z, axis=1, keepdims=True))
        g = np.zeros((k, d + 1))
        g[:, :d] = w[:, :d] + c * (p - onehot).T @ x
        g[:, d] = c * (p - onehot).sum(axis=0)
        return 0.5 * np.sum(w[:, :d] ** 2) + c * np.sum(logsumexp(z, axis=1) - z[np.arange(n), y]), g.ravel()

    r = minimize(f, np.zeros(k * (d + 1)), jac=True, method="L-BFGS-B",
                 options=dict(gtol=1e-10, ftol=1e-300, maxiter=100000, maxcor=30))
    assert np.abs(f(r.x)[1]).max() < 1e-6, "reference did not converge"
    w = r.x.reshape(k, d + 1)
    z = x_test @ w[:, :d].T + w[:, d]
    return np.exp(z - logsumexp(z, axis=1, keepdims=True))


def multinomial_case(name, n_train, n_test, d, k, cs):
    x = features(n_train + n_test, d)
    w = rng.normal(size=(d, k))
    z = StandardScaler().fit_transform(x.astype(np.float64)) @ w
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(k, p=row) for row in p])
    y[:k] = np.arange(k)  # every class present in training
    xtr, xte, ytr = x[:n_train], x[n_train:], y[:n_train]
    scaler = StandardScaler().fit(xtr.astype(np.float64))
    fits = []
    for c in cs:
        m = LogisticRegression(C=c, multi_class="multinomial", **TIGHT).fit(scaler.transform(xtr.astype(np.float64)), ytr)
        fits.append({"c": c, "test_proba": flat(m.predict_proba(scaler.transform(xte.astype(np.float64)))),
                     "test_proba_exact": flat(multinomial_reference(scaler.transform(xtr.astype(np.float64)), ytr, k, c,
                                                                    scaler.transform(xte.astype(np.float64))))})
    return {"name": name, "d": d, "classes": k, "n_train": n_train, "n_test": n_test,
            "x_train": flat(xtr), "y_train": [int(v) for v in ytr], "x_test": flat(xte), "fits": fits}


def ridge_case(name, n_train, n_test, d, targets, alphas):
    x = features(n_train + n_test, d)
    w = rng.normal(size=(d, targets)) * 3
    y = x.astype(np.float64) @ w + 50 + rng.normal(size=(n_train + n_test, targets)) * 4
    xtr, xte, ytr = x[:n_train], x[n_train:], y[:n_train]
    scaler = StandardScaler().fit(xtr.astype(np.float64))
    fits = []
    for a in alphas:
        m = Ridge(alpha=a).fit(scaler.transform(xtr.astype(np.float64)), ytr)
        fits.append({"alpha": a, "test_pred": flat(m.predict(scaler.transform(xte.astype(np.float64))))})
    return {"name": name, "d": d, "targets": targets, "n_train": n_train, "n_test": n_test,
            "x_train": flat(xtr), "y_train": flat(ytr), "x_test": flat(xte), "fits": fits}


def selection_case(n_train, n_val, n_test, d, outputs, cs):
    """Grid search of C by macro average precision on validation (converged newton-cholesky fits, sklearn's AP)."""
    x = features(n_train + n_val + n_test, d)
    w = rng.normal(size=(d, outputs)) / np.sqrt(d)
    z = StandardScaler().fit_transform(x.astype(np.float64)) @ w * 1.5
    y = (rng.uniform(size=z.shape) < 1 / (1 + np.exp(-z))).astype(np.float64)
    xtr, xva, xte = x[:n_train], x[n_train:n_train + n_val], x[n_train + n_val:]
    ytr, yva = y[:n_train], y[n_train:n_train + n_val]
    scaler = StandardScaler().fit(xtr.astype(np.float64))
    curve, probas = [], []
    for c in cs:
        pv = np.zeros((n_val, outputs))
        pt = np.zeros((n_test, outputs))
        for t in range(outputs):
            m = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(scaler.transform(xtr.astype(np.float64)), ytr[:, t])
            pv[:, t] = m.predict_proba(scaler.transform(xva.astype(np.float64)))[:, 1]
            pt[:, t] = m.predict_proba(scaler.transform(xte.astype(np.float64)))[:, 1]
        curve.append(float(np.mean([average_precision_score(yva[:, t], pv[:, t]) for t in range(outputs)])))
        probas.append(pt)
    best = int(np.argmax(curve))  # first maximum = smallest C on a tie (cs ascending)
    return {"d": d, "outputs": outputs, "n_train": n_train, "n_val": n_val, "n_test": n_test, "cs": cs,
            "x_train": flat(xtr), "y_train": flat(ytr), "x_val": flat(xva), "y_val": flat(yva), "x_test": flat(xte),
            "val_macro_ap": curve, "selected_c": cs[best], "test_proba": flat(probas[best])}


def ridge_selection_case(n_train, n_val, d, alphas):
    x = features(n_train + n_val, d)
    y = x.astype(np.float64) @ (rng.normal(size=d) * 2) + 60 + rng.normal(size=n_train + n_val) * 10
    xtr, xva, ytr, yva = x[:n_train], x[n_train:], y[:n_train], y[n_train:]
    scaler = StandardScaler().fit(xtr.astype(np.float64))
    preds = [Ridge(alpha=a).fit(scaler.transform(xtr.astype(np.float64)), ytr).predict(scaler.transform(xva.astype(np.float64)))
             for a in alphas]
    maes = [float(mean_absolute_error(yva, p)) for p in preds]
    r2s = [float(r2_score(yva, p)) for p in preds]
    return {"d": d, "n_train": n_train, "n_val": n_val, "alphas": alphas, "x_train": flat(xtr), "y_train": flat(ytr),
            "x_val": flat(xva), "y_val": flat(yva), "val_mae": maes, "selected_alpha": alphas[int(np.argmin(maes))],
            "val_r2": r2s, "selected_alpha_r2": alphas[int(np.argmax(r2s))]}


def pr_curve_cases():
    cases = []
    for name, n, ties in [("continuous", 60, False), ("tied", 80, True)]:
        y = (rng.uniform(size=n) < 0.3).astype(int)
        s = rng.normal(size=n) + y
        if ties:
            s = np.round(s, 0)
        precision, recall, _ = precision_recall_curve(y, s)
        cases.append({"name": name, "labels": [int(v) for v in y], "scores": flat(s),
                      "precision": flat(precision), "recall": flat(recall)})
    return cases


def retrieval_case():
    """ECG-to-text and text-to-ECG ranks under the unique-text rule, by direct numpy counting (ties pessimistic)."""
    n, u = 40, 25
    text_of_ecg = np.concatenate([np.arange(u), rng.integers(0, u, size=n - u)])  # every text used, some repeated
    sim = rng.normal(size=(n, u)).astype(np.float32)
    sim[np.arange(n), text_of_ecg] += np.float32(1.0)
    sim[3, :] = np.round(sim[3, :])  # a row with ties, including its own text
    s = sim.astype(np.float64)
    e2t = np.array([1 + np.sum(np.delete(s[i], text_of_ecg[i]) >= s[i, text_of_ecg[i]]) for i in range(n)])
    t2e = []
    for j in range(u):
        rel = text_of_ecg == j
        best = s[rel, j].max()
        t2e.append(1 + np.sum(s[~rel, j] >= best))
    t2e = np.array(t2e)
    ks = [1, 5, 10]
    chance_t2e = []
    for k in ks:
        c = []
        for j in range(u):
            m = int(np.sum(text_of_ecg == j))
            miss = 1.0
            for r in range(k):
                miss *= (n - m - r) / (n - r)
            c.append(1 - miss)
        chance_t2e.append(float(np.mean(c)))
    return {"n": n, "u": u, "similarity": flat(sim), "text_of_ecg": [int(v) for v in text_of_ecg], "ks": ks,
            "ecg_to_text": {"recall": [float(np.mean(e2t <= k)) for k in ks], "median_rank": float(np.median(e2t)),
                            "mean_rank": float(np.mean(e2t)), "chance": [min(1.0, k / u) for k in ks]},
            "text_to_ecg": {"recall": [float(np.mean(t2e <= k)) for k in ks], "median_rank": float(np.median(t2e)),
                            "mean_rank": float(np.mean(t2e)), "chance": chance_t2e}}


def main():
    doc = {
        "sklearn": sklearn.__version__, "numpy": np.__version__,
        "logistic": [logistic_case("binary_d6", 150, 40, 6, 1, [0.01, 1.0, 100.0]),
                     logistic_case("multilabel_d16", 300, 80, 16, 3, [0.001, 0.1, 10.0])],
        "multinomial": [multinomial_case("three_class_d5", 200, 50, 5, 3, [0.05, 1.0, 20.0])],
        "ridge": [ridge_case("two_targets_d7", 120, 30, 7, 2, [0.01, 1.0, 100.0, 10000.0])],
        "selection": selection_case(160, 80, 40, 24, 4, [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]),
        "ridge_selection": ridge_selection_case(100, 60, 30, [0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0]),
        "pr_curve": pr_curve_cases(),
        "retrieval": retrieval_case(),
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
