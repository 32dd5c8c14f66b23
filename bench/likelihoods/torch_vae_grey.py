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
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from torch_common import MLPVAE, elbo_terms, emit, evaluate, load_fashion_mnist, train  # noqa: E402

D = 784
LOG2 = math.log(2.0)


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


class VAE(MLPVAE):
    def __init__(self, likelihood, gaussian_scale="shared", hidden=400, latent=20):
        super().__init__(D, hidden, latent, 2 * D if likelihood == "discretized-logistic" else D)
        self.likelihood = likelihood
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
    train_k, test_k = load_fashion_mnist(args.iw_limit)

    model = VAE(args.likelihood, args.gaussian_scale)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def batch_loss(rows):
        recon, kl = elbo_terms(model, feed(model, rows), model.log_px)
        return (recon + kl).mean()

    steps, secs, losses = train(opt, train_k, args.epochs, args.batch, batch_loss)

    model.eval()
    test_x = feed(model, test_k, torch.Generator().manual_seed(args.test_seed))  # dequantised once
    out_w = 2 * D if model.likelihood == "discretized-logistic" else D
    elbo, nll = evaluate(model, test_x, args.iw, model.log_px, out_w)
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
    emit(result, args.out)


if __name__ == "__main__":
    main()
