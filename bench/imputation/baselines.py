#!/usr/bin/python3
"""Imputation benchmark, the Python side: the incomplete table, the sklearn baselines, the score.

Protocol (Mattei & Frellsen 2019, MIWAE, section on UCI data): the Wisconsin breast-cancer table
(569 x 30, the copy Debian's python3-sklearn ships), floor(n * p / 2) cells removed uniformly at
random without replacement (MCAR, a draw per seed), every feature standardised with the mean and
standard deviation of its observed cells, and the RMSE of the imputations on the removed cells in
those standardised units.

  baselines.py mask --seed S --out DIR      DIR/missing.csv (standardised, removed cells blank)
  baselines.py baselines --seed S           JSON: RMSE of each sklearn baseline
  baselines.py score --seed S --csv FILE    JSON: RMSE of an imputed copy of DIR/missing.csv

Every command rebuilds the same mask from the seed, so the three agree without shared state.
Runs under Debian's /usr/bin/python3 (python3-sklearn 1.2); one thread per estimator.
"""

import argparse
import json
import sys
import time

import numpy as np

CSV = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv"
MISSING = 0.5


def table():
    """The 569 x 30 features and their names (the label column is left out, as in the paper)."""
    from sklearn.datasets import load_breast_cancer

    b = load_breast_cancer()
    names = [n.replace(" ", "_") for n in b.feature_names]
    return b.data.astype(np.float64), names


def corrupt(seed):
    """(standardised full table, same with NaN in the removed cells, mask of removed cells, names)."""
    x, names = table()
    n, p = x.shape
    rng = np.random.RandomState(seed)
    removed = np.zeros(n * p, dtype=bool)
    removed[rng.choice(n * p, int(np.floor(n * p * MISSING)), replace=False)] = True
    removed = removed.reshape(n, p)
    miss = np.where(removed, np.nan, x)
    mean = np.nanmean(miss, axis=0)
    std = np.nanstd(miss, axis=0)
    full = (x - mean) / std
    return full, np.where(removed, np.nan, full), removed, names


def rmse(imputed, full, removed):
    return float(np.sqrt(np.mean((imputed[removed] - full[removed]) ** 2)))


def write_missing(seed, out):
    import os

    _, miss, removed, names = corrupt(seed)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "missing.csv")
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in miss:
            # Blank cells are missing; 9 decimals keep the standardised values exact enough.
            f.write(",".join("" if np.isnan(v) else f"{v:.9f}" for v in row) + "\n")
    print(json.dumps({"csv": path, "rows": int(miss.shape[0]), "removed": int(removed.sum())}))


def imputers():
    """The baselines, by name: what each is and how it is set."""
    from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
    from sklearn.linear_model import BayesianRidge

    def iterative(estimator, **kw):
        return lambda seed: IterativeImputer(estimator=estimator, random_state=seed, **kw)

    return {
        "mean": lambda seed: SimpleImputer(strategy="mean"),
        "knn5": lambda seed: KNNImputer(n_neighbors=5),
        # MICE as a single imputation: the chained BayesianRidge regressions' conditional means
        # (sample_posterior=False), 10 rounds.
        "mice": iterative(BayesianRidge(), max_iter=10, sample_posterior=False),
        # missForest-style: chained random forests (100 trees), from the mean fill, 10 rounds.
        "missforest": lambda seed: IterativeImputer(
            estimator=RandomForestRegressor(n_estimators=100, random_state=seed, n_jobs=1),
            max_iter=10,
            random_state=seed,
        ),
        # The variant the MIWAE authors' notebook uses: extremely randomised trees.
        "missforest_et": lambda seed: IterativeImputer(
            estimator=ExtraTreesRegressor(n_estimators=100, random_state=seed, n_jobs=1),
            max_iter=10,
            random_state=seed,
        ),
    }


def baselines(seed, only):
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    full, miss, removed, _ = corrupt(seed)
    out = {}
    for name, make in imputers().items():
        if only and name not in only:
            continue
        t = time.time()
        imputed = make(seed).fit_transform(miss)
        out[name] = {"rmse": rmse(imputed, full, removed), "seconds": round(time.time() - t, 2)}
        print(f"seed {seed} {name}: rmse {out[name]['rmse']:.4f} ({out[name]['seconds']} s)", file=sys.stderr)
    print(json.dumps(out))


def score(seed, csv):
    full, _, removed, names = corrupt(seed)
    with open(csv) as f:
        header = f.readline().strip().split(",")
        rows = [[float(c) for c in line.strip().split(",")] for line in f if line.strip()]
    if header != names:
        sys.exit(f"{csv}: columns {header[:3]}... are not the table's {names[:3]}...")
    imputed = np.array(rows)
    if imputed.shape != full.shape or np.isnan(imputed).any():
        sys.exit(f"{csv}: expected a complete {full.shape} table, got {imputed.shape}")
    observed = ~removed
    # Observed cells must come back as they went in (to the 9 decimals written).
    drift = float(np.max(np.abs(imputed[observed] - full[observed])))
    print(json.dumps({"rmse": rmse(imputed, full, removed), "observed_max_abs_change": drift}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["mask", "baselines", "score"])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", help="mask: folder for missing.csv")
    ap.add_argument("--csv", help="score: an imputed copy of missing.csv")
    ap.add_argument("--only", nargs="*", help="baselines: only these (mean knn5 mice missforest missforest_et)")
    a = ap.parse_args()
    if a.command == "mask":
        write_missing(a.seed, a.out)
    elif a.command == "baselines":
        baselines(a.seed, a.only)
    else:
        score(a.seed, a.csv)


if __name__ == "__main__":
    main()
