"""Shared by the PyTorch peers of the benchmarks (bench/train/torch_vae.py,
bench/likelihoods/torch_vae_grey.py): Fashion-MNIST IDX loading, the MLP and conv VAEs,
the training loop, the test ELBO / importance-sampled NLL, the peer's configuration
and the JSON result."""

import ctypes
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
N_TRAIN = 55000  # first 55000 training images; the last 5000 are validation


def read_idx_uint8(path):
    """The images of a gzipped IDX file as a uint8 tensor, one flattened image a row."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
    assert magic == 2051, f"{path}: not an IDX image file (magic {magic})"
    return torch.from_numpy(np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, rows * cols).copy())


def load_fashion_mnist(iw_limit=0):
    """(train, test) uint8 pixels: the train split, and the first iw_limit test images (0 = all)."""
    train_k = read_idx_uint8(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))[:N_TRAIN]
    test_k = read_idx_uint8(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))
    if iw_limit > 0:
        test_k = test_k[:iw_limit]
    return train_k, test_k


class MLPVAE(nn.Module):
    """encoder Linear(x_dim,hidden) - ReLU - Linear(hidden,2*latent) -> (mu, logvar);
    decoder Linear(latent,hidden) - ReLU - Linear(hidden,out_dim)."""

    def __init__(self, x_dim=784, hidden=400, latent=20, out_dim=None):
        super().__init__()
        self.latent = latent
        self.enc1 = nn.Linear(x_dim, hidden)
        self.enc2 = nn.Linear(hidden, 2 * latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, x_dim if out_dim is None else out_dim)

    def encode(self, x):
        h = self.enc2(F.relu(self.enc1(x)))
        return h[..., : self.latent], h[..., self.latent :]  # mu, logvar

    def decode(self, z):
        return self.dec2(F.relu(self.dec1(z)))


class ConvVAE(nn.Module):
    """The twin of core's convVAE (layers/conv-stack.ts) for 1 x side x side images given flat:
    per hidden width a Conv2d k4 s2 p1 and ReLU, flatten, Linear to 2*latent -> (mu, logvar);
    the decoder mirrors it: Linear, ReLU, unflatten, ConvTranspose2d k4 s2 p1 (output_padding
    where the encoder floored an odd side), ReLU between them, none after the last. Outputs
    flat logits. torch's default Conv/Linear init, as core's `torch` init scheme."""

    def __init__(self, side=28, hidden=(32, 64), latent=20):
        super().__init__()
        self.latent, self.side = latent, side
        sizes = [side]
        for _ in hidden:
            sizes.append((sizes[-1] + 2 - 4) // 2 + 1)
        chans = [1, *hidden]
        enc = []
        for i, out in enumerate(hidden):
            enc += [nn.Conv2d(chans[i], out, 4, stride=2, padding=1), nn.ReLU()]
        self.enc = nn.Sequential(*enc, nn.Flatten(), nn.Linear(hidden[-1] * sizes[-1] ** 2, 2 * latent))
        dec = [nn.Linear(latent, hidden[-1] * sizes[-1] ** 2), nn.ReLU(), nn.Unflatten(1, (hidden[-1], sizes[-1], sizes[-1]))]
        for i in reversed(range(len(hidden))):
            pad = sizes[i] - 2 * sizes[i + 1]
            dec.append(nn.ConvTranspose2d(chans[i + 1], chans[i], 4, stride=2, padding=1, output_padding=pad))
            if i > 0:
                dec.append(nn.ReLU())
        self.dec = nn.Sequential(*dec)

    def encode(self, x):
        h = self.enc(x.reshape(-1, 1, self.side, self.side))
        return h[..., : self.latent], h[..., self.latent :]  # mu, logvar

    def decode(self, z):
        return self.dec(z).reshape(*z.shape[:-1], self.side * self.side)


def param_count(model):
    """Number of trainable parameters (scalars)."""
    return sum(p.numel() for p in model.parameters())


def elbo_terms(model, x, log_px):
    """(recon, kl) per example: recon = -log p(x|z) for one z ~ q(z|x), kl = KL(q||N(0,I))."""
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    recon = -log_px(model.decode(z), x)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(-1)
    return recon, kl


def train(opt, train_k, epochs, batch, batch_loss):
    """Adam-style loop: a fresh shuffle per epoch, the last partial batch dropped.
    batch_loss(rows) -> scalar loss. Returns (steps, epoch seconds, epoch mean losses)."""
    n_batches = train_k.shape[0] // batch
    secs, losses = [], []
    for _ in range(epochs):
        perm = torch.randperm(train_k.shape[0])
        total = 0.0
        t0 = time.perf_counter()
        for b in range(n_batches):
            loss = batch_loss(train_k[perm[b * batch : (b + 1) * batch]])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item()
        secs.append(time.perf_counter() - t0)
        losses.append(total / n_batches)
    return n_batches * epochs, secs, losses


@torch.no_grad()
def evaluate(model, x, k, log_px, out_w, chunk_elems=4_000_000):
    """Mean test -ELBO (one z per example) and IW-k NLL, both as positive nats (NLL None if k <= 0)."""
    neg_elbo = torch.empty(x.shape[0], dtype=torch.float64)
    for i in range(0, x.shape[0], 1000):  # chunked so the peak RSS reflects training
        recon, kl = elbo_terms(model, x[i : i + 1000], log_px)
        neg_elbo[i : i + 1000] = recon + kl
    elbo = neg_elbo.mean().item()
    if k <= 0:
        return elbo, None
    # Bound memory: one pass handles `per` samples for `rows` examples at a time.
    log_2pi = math.log(2 * math.pi)
    nll = torch.empty(x.shape[0], dtype=torch.float64)
    rows = max(1, min(x.shape[0], chunk_elems // (k * out_w)))
    per = min(k, max(1, chunk_elems // (rows * out_w)))
    for i in range(0, x.shape[0], rows):
        xb = x[i : i + rows]
        mu, logvar = model.encode(xb)
        std = torch.exp(0.5 * logvar)
        log_w = []
        for j in range(0, k, per):
            s = min(per, k - j)
            eps = torch.randn(s, *mu.shape)
            z = mu + std * eps  # (s, rows, latent)
            out = model.decode(z.reshape(-1, z.shape[-1])).reshape(s, xb.shape[0], -1)
            lp = log_px(out, xb.expand(s, -1, -1))
            log_pz = -0.5 * (z.pow(2) + log_2pi).sum(-1)
            log_qz = -0.5 * (eps.pow(2) + log_2pi + logvar).sum(-1)
            log_w.append((lp + log_pz - log_qz).double())
        log_w = torch.cat(log_w, 0)  # (k, rows)
        nll[i : i + rows] = -(torch.logsumexp(log_w, 0) - math.log(k))
    return elbo, nll.mean().item()


OPENBLAS_PARALLEL = {0: "sequential", 1: "pthreads", 2: "openmp"}


def loaded_libraries(words=("blas", "lapack", "gomp", "omp.so", "mkl", "dnnl")):
    """Shared libraries this process has mapped whose file name holds one of `words`."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "/" in line}
    return sorted(p for p in paths if any(w in os.path.basename(p) for w in words))


def peer_config():
    """What the PyTorch peer really runs on: torch version and threads, OpenMP's threads, the
    BLAS / OpenMP libraries mapped into this process, and OpenBLAS's own report of its threading
    (openblas_get_parallel: the pthread build fights torch's OpenMP threads)."""
    (torch.ones(64, 64) @ torch.ones(64, 64)).sum()  # make sure the BLAS is loaded
    libs = loaded_libraries()
    cfg = {
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled,
        "omp_num_threads_env": os.environ.get("OMP_NUM_THREADS"),
        "libraries": libs,
        "openblas": None,
    }
    gomp = next((p for p in libs if "libgomp" in p), None)
    if gomp:
        cfg["omp_max_threads"] = ctypes.CDLL(gomp).omp_get_max_threads()
    blas = next((p for p in libs if os.path.basename(p).startswith("libopenblas")), None)
    if blas:
        lib = ctypes.CDLL(blas)
        lib.openblas_get_config.restype = ctypes.c_char_p
        cfg["openblas"] = {
            "path": blas,
            "config": lib.openblas_get_config().decode(),
            "parallel": OPENBLAS_PARALLEL.get(lib.openblas_get_parallel(), "unknown"),
            "threads": lib.openblas_get_num_threads(),
        }
    return cfg


def emit(result, out):
    """Prints the result as one JSON line and, if out, writes it there too."""
    line = json.dumps(result)
    print(line, flush=True)
    if out:
        with open(out, "w") as f:
            f.write(line + "\n")
