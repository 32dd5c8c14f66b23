"""The series conventions of @vae/datasets' seriesWindows, in numpy, for the baselines:
rows are time steps; the last `test` share of the steps is the test period, the `val` share before
it validation, the rest training; standardisation per column on the training period only
(population std, 1 for a constant column)."""
import csv

import numpy as np


def read_columns(path, columns):
    """[T, C] float64 of the named columns (every cell must be a number)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return np.array([[float(r[c]) for c in columns] for r in rows], dtype=np.float64)


def periods(steps, test, val):
    """(train_end, val_end): training is [0, train_end), validation [train_end, val_end), test after."""
    n_test = int(round(steps * test))
    n_val = int(round(steps * val))
    return steps - n_test - n_val, steps - n_test


def standardise(x, train_end):
    mean = x[:train_end].mean(axis=0)
    std = x[:train_end].std(axis=0)
    std[std < 1e-12] = 1.0
    return (x - mean) / std


def windows(z, start, end, w, stride=1):
    """[n, C, W] windows inside [start, end) (the last one ends at `end`), and their starts."""
    starts = list(range(start, end - w + 1, stride))
    if starts and starts[-1] != end - w:
        starts.append(end - w)
    return np.stack([z[s : s + w].T for s in starts]), np.array(starts)


def step_mean(starts, w, per_window_step, steps):
    """Per-step mean over covering windows of [n, W] per-step scores (NaN where uncovered)."""
    total = np.zeros(steps)
    count = np.zeros(steps)
    for s, row in zip(starts, per_window_step):
        total[s : s + w] += row
        count[s : s + w] += 1
    out = np.full(steps, np.nan)
    out[count > 0] = total[count > 0] / count[count > 0]
    return out
