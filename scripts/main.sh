#!/usr/bin/env bash
# The main job: set up, then run it (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm --filter @vae/train-node run main
