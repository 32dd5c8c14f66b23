"""Issue 16's two time-series baselines, in numpy float64, on the conventions of series_common:

- PCA on windows: probabilistic PCA (Tipping & Bishop 1999) of the training period's stride-1
  windows flattened to C*W values; k is fixed in advance as the fewest components explaining 90% of
  their variance, sigma^2 the mean of the other eigenvalues. NLL per step = a test window's
  -log N(x; mu, WW^T + sigma^2 I) / W, averaged over the test period's stride-1 windows. Step score:
  the squared residual of the k-component reconstruction at that step (summed over columns), averaged
  over the windows covering it.
- Seasonal AR: per column, least squares of x_t on 1, x_{t-1..t-p} and x_{t-s-1}, x_{t-s}, x_{t-s+1}
  on the training period; Gaussian residuals with the training residual variance. NLL per step:
  the sum over columns of the residual's Gaussian NLL; step score: the same.
Both in standardised units (training-period mean/std), the units the VAE sees, so NLLs compare.

python3 bench/series/baselines.py --clean X.csv --injected Y.csv --labels L.csv --columns a,b --window 48 --season 24
"""
import argparse
import csv
import json

import numpy as np

from series_common import periods, read_columns, standardise, step_mean, windows

p = argparse.ArgumentParser()
p.add_argument("--clean", required=True)
p.add_argument("--injected", required=True)
p.add_argument("--labels", required=True)
p.add_argument("--columns", required=True)
p.add_argument("--window", type=int, required=True)
p.add_argument("--season", type=int, default=0)
p.add_argument("--lags", type=int, default=3)
p.add_argument("--test", type=float, default=0.2)
p.add_argument("--val", type=float, default=0.1)
p.add_argument("--variance", type=float, default=0.9)
a = p.parse_args()
cols = a.columns.split(",")
W = a.window


def auroc(score, label):
    """Mann-Whitney AUROC with average ranks for ties."""
    order = np.argsort(score, kind="mergesort")
    s = score[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = label == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def load(path):
    x = read_columns(path, cols)
    train_end, val_end = periods(len(x), a.test, a.val)
    return standardise(x, train_end), train_end, val_end


def ppca_fit(z, train_end):
    X, _ = windows(z, 0, train_end, W)
    X = X.reshape(len(X), -1)
    mu = X.mean(axis=0)
    ev, U = np.linalg.eigh(np.cov(X - mu, rowvar=False, bias=True))
    ev, U = ev[::-1], U[:, ::-1]
    k = int(np.searchsorted(np.cumsum(ev) / ev.sum(), a.variance) + 1)
    s2 = ev[k:].mean()
    return mu, U[:, :k], ev[:k], s2, k


def ppca_nll(X, mu, Uk, evk, s2):
    d = X.shape[1]
    r = X - mu
    proj = r @ Uk
    # C^-1 = I/s2 - Uk diag(1/s2 - 1/ev) Uk^T; log|C| = sum log ev + (d - k) log s2.
    maha = (r * r).sum(1) / s2 - (proj**2 * (1 / s2 - 1 / evk)).sum(1)
    logdet = np.log(evk).sum() + (d - len(evk)) * np.log(s2)
    return 0.5 * (maha + logdet + d * np.log(2 * np.pi))


def ar_design(z, c, lo, hi):
    rows = []
    for t in range(lo, hi):
        f = [1.0] + [z[t - i, c] for i in range(1, a.lags + 1)]
        if a.season:
            f += [z[t - a.season + o, c] for o in (-1, 0, 1)]
        rows.append(f)
    return np.array(rows), z[lo:hi, c]


def ar_fit_nll(z_train, train_end, z_eval, lo, hi):
    """Per-step NLL (summed over columns) on [lo, hi) of z_eval, fitted on z_train's training period."""
    first = max(a.lags, a.season + 1 if a.season else 0)
    out = np.zeros(hi - lo)
    for c in range(len(cols)):
        A, y = ar_design(z_train, c, first, train_end)
        beta, *_ = np.linalg.lstsq(A, y, rcond=None)
        var = np.mean((y - A @ beta) ** 2)
        B, y2 = ar_design(z_eval, c, lo, hi)
        r = y2 - B @ beta
        out += 0.5 * (np.log(2 * np.pi * var) + r * r / var)
    return out


zc, train_end, val_end = load(a.clean)
zi, _, _ = load(a.injected)
steps = len(zc)
mu, Uk, evk, s2, k = ppca_fit(zc, train_end)
Xt, _ = windows(zc, val_end, steps, W)
pca_nll = float(ppca_nll(Xt.reshape(len(Xt), -1), mu, Uk, evk, s2).mean() / W)
ar_nll = float(ar_fit_nll(zc, train_end, zc, val_end, steps).mean())

labels = {}
with open(a.labels, newline="") as f:
    for r in csv.DictReader(f):
        labels[int(r["step"])] = int(r["label"])
lab = np.array([labels[t] for t in range(val_end, steps)])
Xi, starts = windows(zi, val_end, steps, W)
flat = Xi.reshape(len(Xi), -1)
recon = (flat - mu) @ Uk @ Uk.T + mu
resid = ((flat - recon) ** 2).reshape(len(Xi), len(cols), W).sum(axis=1)
pca_step = step_mean(starts, W, resid, steps)[val_end:]
ar_step = ar_fit_nll(zc, train_end, zi, val_end, steps)
print(json.dumps({
    "steps": steps, "train_end": train_end, "val_end": val_end, "window": W, "pca_k": k,
    "pca_nll_per_step": pca_nll, "ar_nll_per_step": ar_nll,
    "pca_auroc": auroc(pca_step, lab), "ar_auroc": auroc(ar_step, lab),
    "anomalous_steps": int(lab.sum()), "test_steps": int(len(lab)),
}))
