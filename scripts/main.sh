#!/usr/bin/env bash
# The main job (README): set up, train a VAE on the embedded digits, export its bundle, and serve
# the playground with it. A finished run is reused; an interrupted one resumes from its checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

RUN="${VAE_RUN_DIR:-runs/default}"
EPOCHS="${VAE_EPOCHS:-30}"
PORT="${PORT:-5173}"
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "PORT must be a port number (0 picks any free port), got '$PORT'" >&2; exit 2; }
vae() { node packages/train-node/bin/vae.mjs "$@"; }

if [ -f "$RUN/config.json" ] && grep -q '"type":"summary"' "$RUN/metrics.jsonl" 2>/dev/null; then
  echo "Reusing the finished run in $RUN (delete it, or set VAE_RUN_DIR=another/folder, to train anew)"
elif [ ! -f "$RUN/config.json" ]; then
  vae train --dataset mnist-default --model mlp --latent 16 --hidden 400 --epochs "$EPOCHS" \
    --batch 128 --lr 1e-3 --seed 1 --out "$RUN"
elif ! grep -q '"type":"summary"' "$RUN/metrics.jsonl" 2>/dev/null; then
  echo "Resuming the interrupted run in $RUN"
  vae train --resume --epochs "$EPOCHS" --out "$RUN"
fi
vae eval --run "$RUN" --iw 100
vae export --run "$RUN" --force   # refreshes the bundle from the run's best weights
node apps/playground/scripts/serve.mjs --bundle "$RUN/bundle" --port "$PORT" --host 127.0.0.1 \
  --in-use-hint "choose another with PORT=$((PORT + 1)) npm start (PORT=0 picks any free port)"
