#!/usr/bin/env bash
# Every check and test: lint + format, type-check, build + publint, then each package's tests.
# Ends with one summary line "Tests: N passed, M failed".
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)

echo "== lint and format (biome)"
pnpm exec biome check .
echo "== type-check (tsc --noEmit over the workspace)"
pnpm exec tsc -p tsconfig.json --noEmit
echo "== build and publint"
pnpm exec turbo run publint --output-logs=errors-only

echo "== tests"
rm -f packages/*/.test-results.json apps/*/.test-results.json
status=0
pnpm exec turbo run test --concurrency=1 --output-logs=full -- --reporter=default --reporter=json --outputFile.json=.test-results.json || status=$?
echo "== browser end-to-end (headless Chromium)"
pnpm --filter @vae/playground run e2e --reporter=default --reporter=json --outputFile.json=.test-results.json || status=$?
node scripts/test-summary.mjs "$(( $(date +%s) - start ))" || status=1
exit $status
