#!/usr/bin/env python3
"""PCA reconstruction-error baseline of the one-class Fashion-MNIST protocol (bench/anomaly).

For each normal class c: fit PCA (mean-centred, eigendecomposition of the covariance, float64) on
the class-c images of the first 55000 training images (the split `vae train --classes c` trains
on: the last 5000 are validation), pixels in [0, 1]; score every test image by its squared
reconstruction error from the top k components; AUROC with class c normal, every other class
anomalous (scikit-learn's roc_auc_score, an implementation independent of ours).

k is fixed by a rule stated in advance: the fewest components that explain 90% of the training
variance (`--variance`). The AUROC at fixed k in --ks is printed too, and the best of those per
class ("oracle k", chosen on the test set: an upper bound on what PCA can do here, not a fair
figure). Prints one JSON object.

  /usr/bin/python3 bench/anomaly/pca_baseline.py [--classes 0,1,...] [--variance 0.9]
"""
import argparse
import gzip
import json

import numpy as np
from sklearn.metrics import roc_auc_score

DIR = '/usr/share/datasets/fashion-mnist'
VAL = 5000


def idx(name):
    with gzip.open(f'{DIR}/{name}', 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--classes', default='0,1,2,3,4,5,6,7,8,9')
    ap.add_argument('--variance', type=float, default=0.9)
    ap.add_argument('--ks', default='5,10,20,40,80,160')
    a = ap.parse_args()
    xtr = idx('train-images-idx3-ubyte.gz').reshape(-1, 784).astype(np.float64) / 255
    ytr = idx('train-labels-idx1-ubyte.gz')
    xte = idx('t10k-images-idx3-ubyte.gz').reshape(-1, 784).astype(np.float64) / 255
    yte = idx('t10k-labels-idx1-ubyte.gz')
    n = len(xtr) - VAL
    ks = [int(k) for k in a.ks.split(',')]
    out = {'variance': a.variance, 'ks': ks, 'classes': {}}
    for c in [int(s) for s in a.classes.split(',')]:
        x = xtr[:n][ytr[:n] == c]
        mean = x.mean(0)
        cov = np.cov(x - mean, rowvar=False)
        vals, vecs = np.linalg.eigh(cov)
        order = np.argsort(vals)[::-1]
        vals, vecs = vals[order], vecs[:, order]
        k_rule = int(np.searchsorted(np.cumsum(vals) / vals.sum(), a.variance) + 1)
        centred = xte - mean
        labels = (yte != c).astype(int)

        def auroc(k):
            w = vecs[:, :k]
            err = ((centred - centred @ w @ w.T) ** 2).sum(1)
            return float(roc_auc_score(labels, err))

        at = {str(k): auroc(k) for k in ks}
        out['classes'][str(c)] = {'n_train': int(len(x)), 'k': k_rule, 'auroc': auroc(k_rule), 'auroc_at_k': at,
                                  'oracle_auroc': max(at.values())}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
