#!/usr/bin/python3
"""PyTorch twin of `vae train --likelihood L` on grey-level Fashion-MNIST (bench/likelihoods/run.mjs).

The same MLP VAE as core's mlpVAE(784, [400], 20) with the grey-level likelihoods exactly as
packages/core/src/distributions and models/likelihood.ts define them:

  encoder  Linear(784,400) - ReLU - Linear(400,40) -> (mu, logvar); z = mu + exp(logvar/2) eps
  decoder  Linear(20,400) - ReLU - Linear(400,P)
  continuous-bernoulli  P = 784 logits l; log p(x) = x l - softplus(l) + log C(l),
                        log C(l) = log(|l| / tanh(|l|/2)), series log 2 + l^2/12 - 7 l^4/1440 for |l| < 0.1
  gaussian              P = 784 means (no squashing); sigma = exp(s), s one learned scalar
                        ('shared', core's default) initialised to 0, or per pixel, or fixed
  discretized-logistic  P = 1568: [loc (784) | log scale (784)]; bins x_k = k/255, half width
                        h = 1/510; edge bins take the tails (log F(x+h) for x < h, log(1-F(x-h)) for
                        x > 1-h), interior log sigmoid(a) + log sigmoid(-b) + log(1 - exp(-(a-b)))
  loss     mean over the batch of -log p(x|z) summed over pixels + analytic KL(q || N(0, I))

Data: continuous densities see uniformly dequantised pixels y = (k + u)/256, u ~ U[0,1), a fresh
draw per visit (the test set dequantised once, generator seeded --test-seed); the discretised
logistic sees k/255. Bits/dim: the density's IW NLL + D ln 256 for the continuous ones (density
on the 0..255 pixel scale), the pmf's NLL as is for the discretised logistic; / (D ln 2).

Adam (lr 1e-3), batch 128, torch's default Linear init (core's 'torch' init), train split = the
first 55000 training images (last 5000 are validation), a fresh shuffle per epoch, the last partial
batch dropped (429 steps per epoch). Timing covers the training loop only.
Prints one JSON line and writes it to --out.
  /usr/bin/python3 bench/likelihoods/torch_vae_grey.py --likelihood gaussian --epochs 2 --iw 100
"""

import argparse
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
N_TRAIN = 55000
D = 784
LOG2 = math.log(2.0)


def read_idx_uint8(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
    assert magic == 2051, f"{path}: not an IDX image file (magic {magic})"
    return torch.from_numpy(np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, rows * cols).copy())


# ---- likelihoods: log p(x | params) summed over the last axis (nats per example) ----

def cb_log_norm(l):
    a = l.abs()
    small = a < 0.1
    a_safe = torch.where(small, torch.ones_like(a), a)
    big = torch.log(a_safe / torch.tanh(0.5 * a_safe))
    s2 = l * l
    series = LOG2 + s2 / 12.0 - 7.0 * s2 * s2 / 1440.0
    return torch.where(small, series, big)


def cb_logp(logits, x):
    return (x * logits - F.softplus(logits) + cb_log_norm(logits)).sum(-1)


def gauss_logp(mean, log_scale, x):
    return (-0.5 * ((x - mean) * torch.exp(-log_scale)) ** 2 - log_scale - 0.5 * math.log(2 * math.pi)).sum(-1)


def log1mexp(a):
    # log(1 - exp(-a)), a > 0 (Maechler 2012)
    return torch.where(a < LOG2, torch.log(-torch.expm1(-a)), torch.log1p(-torch.exp(-a)))


def dlog_logp(out, x, bins=256):
    loc, log_scale = out[..., :D], out[..., D:]
    h = 0.5 / (bins - 1)
    inv = torch.exp(-log_scale)
    c = x - loc
    plus = (c + h) * inv
    minus = (c - h) * inv
    log_cdf_plus = F.logsigmoid(plus)
    log_sf_minus = F.logsigmoid(-minus)
    inner = log_cdf_plus + log_sf_minus + log1mexp(inv * (2 * h))
    lp = torch.where(x < h, log_cdf_plus, torch.where(x > 1 - h, log_sf_minus, inner))
    return lp.sum(-1)


class VAE(nn.Module):
    def __init__(self, likelihood, gaussian_scale="shared", hidden=400, latent=20):
        super().__init__()
        self.latent = latent
        self.likelihood = likelihood
        out = 2 * D if likelihood == "discretized-logistic" else D
        self.enc1 = nn.Linear(D, hidden)
        self.enc2 = nn.Linear(hidden, 2 * latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, out)
        self.fixed_log_scale = None
        if likelihood == "gaussian":
            if gaussian_scale == "shared":
                self.log_scale = nn.Parameter(torch.zeros(1))
            elif gaussian_scale == "per-pixel":
                self.log_scale = nn.Parameter(torch.zeros(D))
            elif gaussian_scale.startswith("fixed:"):
                self.fixed_log_scale = math.log(float(gaussian_scale[6:]))
            else:
                raise SystemExit(f"unknown --gaussian-scale {gaussian_scale}")

    def encode(self, x):
        h = self.enc2(F.relu(self.enc1(x)))
        return h[..., : self.latent], h[..., self.latent :]

    def decode(self, z):
        return self.dec2(F.relu(self.dec1(z)))

    def log_px(self, out, x):
        if self.likelihood == "continuous-bernoulli":
            return cb_logp(out, x)
        if self.likelihood == "gaussian":
            ls = self.log_scale if self.fixed_log_scale is None else torch.tensor(self.fixed_log_scale)
            return gauss_logp(out, ls, x)
        return dlog_logp(out, x)


def feed(model, k_uint8, gen=None):
    """Model inputs from uint8 pixels: dequantised (k+u)/256 for continuous densities, k/255 for the pmf."""
    k = k_uint8.float()
    if model.likelihood == "discretized-logistic":
        return k / 255.0
    u = torch.rand(k.shape, generator=gen) if gen is not None else torch.rand_like(k)
    return (k + u) / 256.0


def terms(model, x):
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    recon = -model.log_px(model.decode(z), x)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(-1)
    return recon, kl


def train(model, opt, train_k, epochs, batch):
    n_batches = train_k.shape[0] // batch
    secs, losses = [], []
    for _ in range(epochs):
        perm = torch.randperm(train_k.shape[0])
        total = 0.0
        t0 = time.perf_counter()
        for b in range(n_batches):
            x = feed(model, train_k[perm[b * batch : (b + 1) * batch]])
            recon, kl = terms(model, x)
            loss = (recon + kl).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item()
        secs.append(time.perf_counter() - t0)
        losses.append(total / n_batches)
    return n_batches * epochs, secs, losses


@torch.no_grad()
def evaluate(model, x, k, chunk_elems=4_000_000):
    neg_elbo = torch.empty(x.shape[0], dtype=torch.float64)
    for i in range(0, x.shape[0], 1000):
        recon, kl = terms(model, x[i : i + 1000])
        neg_elbo[i : i + 1000] = recon + kl
    elbo = neg_elbo.mean().item()
    if k <= 0:
        return elbo, None
    log_2pi = math.log(2 * math.pi)
    nll = torch.empty(x.shape[0], dtype=torch.float64)
    out_w = 2 * D if model.likelihood == "discretized-logistic" else D
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
            z = mu + std * eps
            out = model.decode(z.reshape(-1, z.shape[-1])).reshape(s, xb.shape[0], -1)
            log_px = model.log_px(out, xb.expand(s, -1, -1))
            log_pz = -0.5 * (z.pow(2) + log_2pi).sum(-1)
            log_qz = -0.5 * (eps.pow(2) + log_2pi + logvar).sum(-1)
            log_w.append((log_px + log_pz - log_qz).double())
        log_w = torch.cat(log_w, 0)
        nll[i : i + rows] = -(torch.logsumexp(log_w, 0) - math.log(k))
    return elbo, nll.mean().item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--likelihood", required=True,
                    choices=["continuous-bernoulli", "gaussian", "discretized-logistic"])
    ap.add_argument("--gaussian-scale", default="shared")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iw", type=int, default=1000)
    ap.add_argument("--iw-limit", type=int, default=0)
    ap.add_argument("--test-seed", type=int, default=1234)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_k = read_idx_uint8(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))[:N_TRAIN]
    test_k = read_idx_uint8(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))
    if args.iw_limit > 0:
        test_k = test_k[: args.iw_limit]

    model = VAE(args.likelihood, args.gaussian_scale)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps, secs, losses = train(model, opt, train_k, args.epochs, args.batch)

    model.eval()
    test_x = feed(model, test_k, torch.Generator().manual_seed(args.test_seed))  # dequantised once
    elbo, nll = evaluate(model, test_x, args.iw)
    offset = 0.0 if args.likelihood == "discretized-logistic" else D * math.log(256)
    bpd = lambda nats: None if nats is None else (nats + offset) / (D * LOG2)
    result = {
        "impl": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "likelihood": args.likelihood,
        "samples_per_s": steps * args.batch / sum(secs),
        "train_seconds": sum(secs),
        "epoch_seconds": secs,
        "epoch_train_loss": losses,
        "epochs": args.epochs,
        "steps": steps,
        "test_neg_elbo_model": elbo,
        "test_nll_iw": None if nll is None else nll + offset,
        "bits_per_dim": bpd(nll),
        "elbo_bits_per_dim": bpd(elbo),
        "gaussian_sigma": (float(model.log_scale.exp().mean()) if hasattr(model, "log_scale") else None),
        "iw": args.iw,
        "n_test": test_x.shape[0],
    }
    line = json.dumps(result)
    print(line, flush=True)
    if args.out:
        with open(args.out, "w") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
