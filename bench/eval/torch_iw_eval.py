#!/usr/bin/python3
"""PyTorch peer for the IW-evaluation benchmark (bench/eval/run.mjs).

Loads the weights of one of our runs (its best.safetensors: dense weights [in, out]) into the
784-400-20 MLP VAE of bench/lib/torch_common.py, and the binarised test images our `vae eval`
scores (a raw uint8 file of 0/1 pixels, n x 784, written by bench/eval/dump-test.ts), then does
what `vae eval --iw K` does: one test-ELBO pass and the importance-sampled NLL with K samples
(torch_common.evaluate: logsumexp over the K log-weights in float64). Same weights, same images:
the two NLLs differ only by the Monte-Carlo noise of the draws.

Prints one JSON line (seconds of the timed evaluation, images/s, ELBO, NLL, torch version,
threads) and writes it to --out.  Run with Debian's interpreter:
  /usr/bin/python3 bench/eval/torch_iw_eval.py --weights RUN/best.safetensors --test test.u8 --iw 1000
Needs: apt-get install -y python3-torch libopenblas0-openmp
"""

import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "train"))
from torch_common import MLPVAE, emit, evaluate  # noqa: E402
from torch_vae import log_px  # noqa: E402

# Our parameter names -> the torch module's Linear layers.
LAYERS = {"enc.0": "enc1", "enc.2": "enc2", "dec.0": "dec1", "dec.2": "dec2"}


def read_safetensors(path):
    """name -> float32 numpy array of a safetensors file (the format our runs save weights in)."""
    with open(path, "rb") as f:
        raw = f.read()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", f"{name}: {meta['dtype']} (only F32 is read)"
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(raw[8 + size + a : 8 + size + b], dtype="<f4").reshape(meta["shape"])
    return out


def load_model(path, hidden, latent):
    """The MLPVAE with our run's weights (ours are x @ W with W [in, out]; torch's Linear is [out, in])."""
    model = MLPVAE(hidden=hidden, latent=latent)
    tensors = read_safetensors(path)
    with torch.no_grad():
        for ours, theirs in LAYERS.items():
            layer = getattr(model, theirs)
            layer.weight.copy_(torch.from_numpy(tensors[f"{ours}.weight"].T.copy()))
            layer.bias.copy_(torch.from_numpy(tensors[f"{ours}.bias"].copy()))
    return model.eval()


def parallel_backend():
    """torch's intra-op backend and thread count, e.g. "OpenMP, 2 threads" (the driver checks the BLAS)."""
    info = torch.__config__.parallel_info()
    backend = next((l.split(":", 1)[1].strip() for l in info.splitlines() if "parallel backend" in l), "?")
    return f"{backend}, {torch.get_num_threads()} threads"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights", required=True, help="a run's best.safetensors")
    ap.add_argument("--test", required=True, help="binarised test images: raw uint8 0/1, n x 784")
    ap.add_argument("--iw", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=0, help="first N test images (0 = all)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=400)
    ap.add_argument("--latent", type=int, default=20)
    ap.add_argument("--chunk-elems", type=int, default=4_000_000, help="decoder outputs per pass")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = load_model(args.weights, args.hidden, args.latent)
    x = torch.from_numpy(np.fromfile(args.test, dtype=np.uint8).reshape(-1, 784)).float()
    if args.limit > 0:
        x = x[: args.limit]

    t0 = time.perf_counter()
    neg_elbo, nll = evaluate(model, x, args.iw, log_px, x.shape[1], args.chunk_elems)
    seconds = time.perf_counter() - t0

    emit(
        {
            "impl": "pytorch",
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "parallel": parallel_backend(),
            "seconds": seconds,
            "images_per_s": x.shape[0] / seconds,
            "elbo": neg_elbo,
            "nll_iw": nll,
            "iw": args.iw,
            "n": x.shape[0],
            "chunk_elems": args.chunk_elems,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
