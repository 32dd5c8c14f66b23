#!/usr/bin/python3
"""k-NN accuracy of posterior means (from `vae embed --out X.npy`) against PCA of the same dimension.

  knn.py --train TRAIN.npy --test TEST.npy [--k 5] [--pca-fit 55000]

TRAIN.npy / TEST.npy: `vae embed` output of a Fashion-MNIST run, float32 [n, 2d + 1] (means, scales,
label), the train file the first n examples of the run's training split (the first n images of the
IDX training file), the test file the whole test split. The classifier is exact (brute force,
Euclidean, majority of the k nearest, sklearn's KNeighborsClassifier) with the train file's
examples as references and every test example as a query. PCA (sklearn, full SVD) is fitted on the
first --pca-fit training images (the VAE's 55000-image training split by default, pixels / 255);
the same references and queries are then projected on its first d components. The raw 784 pixels
are scored the same way, for reference. Prints one JSON object.
"""

import argparse
import gzip
import json
import time

import numpy as np

FMNIST = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def knn_accuracy(ref, ref_y, query, query_y, k):
    from sklearn.neighbors import KNeighborsClassifier

    clf = KNeighborsClassifier(n_neighbors=k, algorithm="brute", metric="euclidean")
    clf.fit(ref, ref_y)
    return float(np.mean(clf.predict(query) == query_y))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--pca-fit", type=int, default=55000)
    ap.add_argument("--no-pixels", action="store_true", help="skip the raw-pixel k-NN")
    a = ap.parse_args()

    train, test = np.load(a.train), np.load(a.test)
    d = (train.shape[1] - 1) // 2
    n_ref = train.shape[0]
    x_train = idx(f"{FMNIST}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    y_train = idx(f"{FMNIST}/train-labels-idx1-ubyte.gz").astype(np.int64)
    x_test = idx(f"{FMNIST}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    y_test = idx(f"{FMNIST}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    # The embedding files must be these very examples, in this order.
    if not (np.array_equal(train[:, -1].astype(np.int64), y_train[:n_ref]) and np.array_equal(test[:, -1].astype(np.int64), y_test[: test.shape[0]])):
        raise SystemExit("the embeddings' labels do not match the Fashion-MNIST files: wrong split or order")
    y_ref, y_q = y_train[:n_ref], y_test[: test.shape[0]]

    out = {"k": a.k, "latent": d, "references": n_ref, "queries": int(test.shape[0])}
    t = time.time()
    out["vae_means"] = knn_accuracy(train[:, :d], y_ref, test[:, :d], y_q, a.k)
    out["vae_seconds"] = round(time.time() - t, 2)

    from sklearn.decomposition import PCA

    t = time.time()
    pca = PCA(n_components=d, svd_solver="full").fit(x_train[: a.pca_fit])
    out["pca"] = knn_accuracy(pca.transform(x_train[:n_ref]), y_ref, pca.transform(x_test[: test.shape[0]]), y_q, a.k)
    out["pca_explained_variance"] = float(pca.explained_variance_ratio_.sum())
    out["pca_fit_examples"] = min(a.pca_fit, x_train.shape[0])
    out["pca_seconds"] = round(time.time() - t, 2)
    if not a.no_pixels:
        t = time.time()
        out["pixels"] = knn_accuracy(x_train[:n_ref], y_ref, x_test[: test.shape[0]], y_q, a.k)
        out["pixels_seconds"] = round(time.time() - t, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
