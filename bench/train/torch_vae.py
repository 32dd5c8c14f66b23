#!/usr/bin/python3
"""PyTorch reference for the training benchmark (bench/train/run.mjs).

Trains the same VAE as `vae train --model mlp --latent 20 --hidden 400` (--model mlp, default):

  encoder  Linear(784,400) - ReLU - Linear(400,40) -> (mu, logvar)
  z        mu + exp(0.5 * logvar) * eps
  decoder  Linear(20,400) - ReLU - Linear(400,784) -> Bernoulli logits
  loss     mean over the batch of  BCE-with-logits summed over pixels + KL(q(z|x) || N(0, I))

or, with --model conv --hidden 32,64, as `vae train --model conv --latent 20 --hidden 32,64`:

  encoder  Conv2d(1,32,k4,s2,p1) - ReLU - Conv2d(32,64,k4,s2,p1) - ReLU - Flatten - Linear(3136,40)
  decoder  Linear(20,3136) - ReLU - Unflatten(64,7,7) - ConvTranspose2d(64,32,k4,s2,p1) - ReLU
           - ConvTranspose2d(32,1,k4,s2,p1) -> Bernoulli logits (same z and loss)

Adam (lr 1e-3, default betas/eps), torch's default Linear/Conv init, dynamically
binarised Fashion-MNIST (a fresh Bernoulli draw per batch), train split = the
first 55000 training images (the last 5000 are validation), a fresh shuffle per
epoch, the last partial batch dropped (429 steps per epoch at batch 128).

Timing covers the training loop only (no data loading, no evaluation).
At the end: test ELBO and test NLL by importance sampling with K samples, on the
test set binarised once with a torch.Generator seeded 1234 (--test-seed).

Prints one JSON line and writes it to --out, with the parameter count and the peer's
configuration (torch version and threads, the BLAS it really loaded; --probe prints only that).  Run with Debian's interpreter:
  /usr/bin/python3 bench/train/torch_vae.py --epochs 2 --iw 0
Needs: apt-get install -y python3-torch libopenblas0-openmp dataset-fashion-mnist
"""

import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from torch_common import (  # noqa: E402
    ConvVAE,
    MLPVAE,
    elbo_terms,
    emit,
    evaluate,
    load_fashion_mnist,
    param_count,
    peer_config,
    train,
)


def log_px(logits, x):
    """Bernoulli log-likelihood from logits, summed over pixels."""
    return -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=["mlp", "conv"], default="mlp")
    ap.add_argument("--hidden", default=None, help="mlp: width (default 400); conv: widths (default 32,64)")
    ap.add_argument("--latent", type=int, default=20)
    ap.add_argument("--probe", action="store_true", help="print the peer configuration only")
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
    if args.probe:
        emit(peer_config(), args.out)
        return

    train_k, test_k = load_fashion_mnist(args.iw_limit)
    train_x = train_k.float() / 255.0
    test_p = test_k.float() / 255.0
    g = torch.Generator().manual_seed(args.test_seed)
    test_x = (torch.rand(test_p.shape, generator=g) < test_p).float()  # binarised once

    if args.model == "conv":
        hidden = tuple(int(h) for h in (args.hidden or "32,64").split(","))
        model = ConvVAE(28, hidden, args.latent)
    else:
        model = MLPVAE(hidden=int(args.hidden or 400), latent=args.latent)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def batch_loss(p):
        x = (torch.rand_like(p) < p).float()  # dynamic binarisation
        recon, kl = elbo_terms(model, x, log_px)
        return (recon + kl).mean()

    steps, epoch_seconds, epoch_losses = train(opt, train_x, args.epochs, args.batch, batch_loss)
    train_seconds = sum(epoch_seconds)

    model.eval()
    test_elbo, test_nll = evaluate(model, test_x, args.iw, log_px, test_x.shape[1])

    result = {
        "impl": "pytorch",
        "model": args.model,
        "params": param_count(model),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "peer": peer_config(),
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
    emit(result, args.out)


if __name__ == "__main__":
    main()
