"""Injects labelled anomalies into the test period of a series (issue 16's protocol).

In standardised units of the training period (per column), `--each` anomalies of each kind go into
the test period at non-overlapping places (at least `--gap` steps apart), each on one column drawn
at random, with numpy's default_rng(--seed):
- spike: one step += 4 sigma, random sign;
- level: `--length` steps += 2 sigma, random sign;
- burst: `--length` steps += N(0, (1.5 sigma)^2) noise;
- flat: `--length` steps held at the segment's first value (a stuck sensor).
Every step of a segment is labelled 1 (the spike: its one step). The output CSV has the same header
and rows; only test-period cells of the chosen columns change (written in the original units).

python3 bench/series/inject.py IN.csv --columns a,b --out OUT.csv --labels LABELS.csv
"""
import argparse
import csv

import numpy as np

from series_common import periods, read_columns

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("--columns", required=True)
p.add_argument("--out", required=True)
p.add_argument("--labels", required=True)
p.add_argument("--test", type=float, default=0.2)
p.add_argument("--val", type=float, default=0.1)
p.add_argument("--each", type=int, default=4)
p.add_argument("--length", type=int, default=24)
p.add_argument("--gap", type=int, default=48)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

cols = a.columns.split(",")
x = read_columns(a.csv, cols)
steps = len(x)
train_end, val_end = periods(steps, a.test, a.val)
sd = x[:train_end].std(axis=0)
sd[sd < 1e-12] = 1.0
rng = np.random.default_rng(a.seed)
kinds = ["spike", "level", "burst", "flat"] * a.each
rng.shuffle(kinds)
label = np.zeros(steps, dtype=int)
kind_at = [""] * steps
taken = []
for kind in kinds:
    n = 1 if kind == "spike" else a.length
    for _ in range(10000):
        s = int(rng.integers(val_end, steps - n))
        if all(s + n + a.gap <= t or u + a.gap <= s for t, u in taken):
            break
    else:
        raise SystemExit(f"cannot place {len(kinds)} anomalies {a.gap} steps apart in the test period")
    taken.append((s, s + n))
    c = int(rng.integers(len(cols)))
    seg = slice(s, s + n)
    if kind == "spike":
        x[s, c] += rng.choice([-4.0, 4.0]) * sd[c]
    elif kind == "level":
        x[seg, c] += rng.choice([-2.0, 2.0]) * sd[c]
    elif kind == "burst":
        x[seg, c] += rng.normal(0.0, 1.5 * sd[c], n)
    else:
        x[seg, c] = x[s, c]
    label[seg] = 1
    for t in range(s, s + n):
        kind_at[t] = kind

with open(a.csv, newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
idx = [header.index(c) for c in cols]
for t, row in enumerate(rows):
    if t >= val_end:
        for j, i in enumerate(idx):
            row[i] = repr(float(x[t, j]))
with open(a.out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    w.writerows(rows)
with open(a.labels, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["step", "label", "kind"])
    for t in range(val_end, steps):
        w.writerow([t, label[t], kind_at[t]])
print(f"injected {len(kinds)} anomalies ({a.each} of each kind) into steps {val_end}..{steps - 1}: "
      f"{label.sum()} anomalous steps of {steps - val_end}")
