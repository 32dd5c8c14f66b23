#!/usr/bin/python3
"""PyTorch reference for the training benchmark (bench/train/run.mjs).

Trains the same MLP VAE as `vae train --model mlp --latent 20 --hidden 400`:

  encoder  Linear(784,400) - ReLU - Linear(400,40) -> (mu, logvar)
  z        mu + exp(0.5 * logvar) * eps
  decoder  Linear(20,400) - ReLU - Linear(400,784) -> Bernoulli logits
  loss     mean over the batch of  BCE-with-logits summed over pixels + KL(q(z|x) || N(0, I))

Adam (lr 1e-3, default betas/eps), torch's default Linear init, dynamically
binarised Fashion-MNIST (a fresh Bernoulli draw per batch), train split = the
first 55000 training images (the last 5000 are validation), a fresh shuffle per
epoch, the last partial batch dropped (429 steps per epoch at batch 128).

Timing covers the training loop only (no data loading, no evaluation).
At the end: test ELBO and test NLL by importance sampling with K samples, on the
test set binarised once with a torch.Generator seeded 1234 (--test-seed).

Prints one JSON line and writes it to --out.  Run with Debian's interpreter:
  /usr/bin/python3 bench/train/torch_vae.py --epochs 2 --iw 0
Needs: apt-get install -y python3-torch libopenblas0-openmp dataset-fashion-mnist
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
N_TRAIN = 55000  # first 55000 training images; the last 5000 are validation


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
    assert magic == 2051, f"{path}: not an IDX image file (magic {magic})"
    pixels = np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, rows * cols).astype(np.float32)
    pixels /= 255.0
    return torch.from_numpy(pixels)


class VAE(nn.Module):
    def __init__(self, x_dim=784, hidden=400, latent=20):
        super().__init__()
        self.latent = latent
        self.enc1 = nn.Linear(x_dim, hidden)
        self.enc2 = nn.Linear(hidden, 2 * latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, x_dim)

    def encode(self, x):
        h = self.enc2(F.relu(self.enc1(x)))
        return h[:, : self.latent], h[:, self.latent :]  # mu, logvar

    def decode(self, z):
        return self.dec2(F.relu(self.dec1(z)))  # Bernoulli logits

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decode(z), mu, logvar


def per_example_terms(logits, x, mu, logvar):
    """Returns (recon, kl) per example: recon = -log p(x|z), kl = KL(q||N(0,I))."""
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(1)
    return recon, kl


def train(model, opt, train_x, epochs, batch):
    n_batches = train_x.shape[0] // batch  # drop the last partial batch
    epoch_seconds, epoch_losses = [], []
    for _ in range(epochs):
        perm = torch.randperm(train_x.shape[0])
        total = 0.0
        t0 = time.perf_counter()
        for b in range(n_batches):
            p = train_x[perm[b * batch : (b + 1) * batch]]
            x = (torch.rand_like(p) < p).float()  # dynamic binarisation
            logits, mu, logvar = model(x)
            recon, kl = per_example_terms(logits, x, mu, logvar)
            loss = (recon + kl).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item()
        epoch_seconds.append(time.perf_counter() - t0)
        epoch_losses.append(total / n_batches)
    return n_batches * epochs, epoch_seconds, epoch_losses


@torch.no_grad()
def evaluate(model, x, k, chunk_elems=4_000_000):
    """Mean test ELBO (one z per example) and IW-k NLL, both as positive nats."""
    neg_elbo = torch.empty(x.shape[0], dtype=torch.float64)
    for i in range(0, x.shape[0], 1000):  # chunked so the peak RSS reflects training
        logits, mu, logvar = model(x[i : i + 1000])
        recon, kl = per_example_terms(logits, x[i : i + 1000], mu, logvar)
        neg_elbo[i : i + 1000] = recon + kl
    elbo = neg_elbo.mean().item()
    if k <= 0:
        return elbo, None
    # Bound memory: one pass handles `per` samples for `rows` examples at a time.
    log_2pi = math.log(2 * math.pi)
    nll = torch.empty(x.shape[0], dtype=torch.float64)
    rows = max(1, min(x.shape[0], chunk_elems // (k * x.shape[1])))
    per = min(k, max(1, chunk_elems // (rows * x.shape[1])))
    for i in range(0, x.shape[0], rows):
        xb = x[i : i + rows]
        mu, logvar = model.encode(xb)
        std = torch.exp(0.5 * logvar)
        log_w = []
        for j in range(0, k, per):
            s = min(per, k - j)
            eps = torch.randn(s, *mu.shape)
            z = mu + std * eps  # (s, rows, latent)
            logits = model.decode(z.reshape(-1, z.shape[-1])).reshape(s, xb.shape[0], -1)
            log_px = -F.binary_cross_entropy_with_logits(
                logits, xb.expand(s, -1, -1), reduction="none"
            ).sum(-1)
            log_pz = -0.5 * (z.pow(2) + log_2pi).sum(-1)
            log_qz = -0.5 * (eps.pow(2) + log_2pi + logvar).sum(-1)
            log_w.append((log_px + log_pz - log_qz).double())
        log_w = torch.cat(log_w, 0)  # (k, rows)
        nll[i : i + rows] = -(torch.logsumexp(log_w, 0) - math.log(k))
    return elbo, nll.mean().item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iw", type=int, default=0, help="IW samples for test NLL (0 = skip)")
    ap.add_argument("--iw-limit", type=int, default=0, help="first N test images (0 = all)")
    ap.add_argument("--test-seed", type=int, default=1234, help="seed of the test binarisation")
    ap.add_argument("--out", default=None, help="also write the JSON result here")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train_x = read_idx_images(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))[:N_TRAIN]
    test_p = read_idx_images(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))
    if args.iw_limit > 0:
        test_p = test_p[: args.iw_limit]
    g = torch.Generator().manual_seed(args.test_seed)
    test_x = (torch.rand(test_p.shape, generator=g) < test_p).float()  # binarised once

    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    steps, epoch_seconds, epoch_losses = train(model, opt, train_x, args.epochs, args.batch)
    train_seconds = sum(epoch_seconds)

    model.eval()
    test_elbo, test_nll = evaluate(model, test_x, args.iw)

    result = {
        "impl": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "samples_per_s": steps * args.batch / train_seconds,
        "train_seconds": train_seconds,
        "epoch_seconds": epoch_seconds,
        "epoch_train_loss": epoch_losses,
        "epochs": args.epochs,
        "batch": args.batch,
        "steps": steps,
        "test_elbo": test_elbo,
        "test_nll_iw": test_nll,
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
