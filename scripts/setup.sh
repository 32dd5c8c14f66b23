#!/usr/bin/env bash
# One-time set-up on a machine with Node 20 and npm: system packages the tests need (Debian, when
# root), pnpm, and the workspace's npm dependencies. Downloads only from the npm registry and Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
SYSTEM_PACKAGES=(chromium python3-onnx python3-numpy dataset-fashion-mnist)

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node >= 20 is required (found $(node --version))" >&2
  exit 1
fi

missing=()
for p in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: the tests need these Debian packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install -y ${missing[*]}" >&2
    echo "setup: (tests that need a missing package fail and name it)" >&2
  fi
fi

if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION with npm"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || {
    echo "setup: 'npm install -g pnpm' failed (permissions?); run it with sudo, or use a Node version manager" >&2
    exit 1
  }
fi

# onnxruntime-node's install script fetches CUDA libraries from outside the npm registry: skip it.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=silent
else
  pnpm install --reporter=silent
fi
echo "setup: ready"
