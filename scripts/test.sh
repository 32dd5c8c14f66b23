#!/usr/bin/env bash
# Every check and test: lint + format, the import arrows of DESIGN.md (dependency-cruiser,
# .dependency-cruiser.cjs), type-check, build + publint, then each package's tests.
# Every stage and every package runs even when an earlier one fails; the summary names each
# package with its counts, counts a suite that did not run as failed, and ends with one line
# "Tests: N passed, M failed".
set -uo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
start=$(date +%s)

# One line per stage or suite: "<name> <exit code>", read by test-summary.mjs.
STATUS=.test-status
: >"$STATUS"
stage() {
  local name=$1
  shift
  echo "== $name"
  "$@"
  echo "$name $?" >>"$STATUS"
}

rm -f packages/*/.test-results*.json apps/*/.test-results*.json
stage lint pnpm exec biome check .
stage arrows pnpm exec depcruise packages apps bench --config .dependency-cruiser.cjs
stage typecheck pnpm exec tsc -p tsconfig.json --noEmit
stage publint pnpm exec turbo run publint --output-logs=errors-only

# The suites: every workspace package's `test` script, and the playground's browser `e2e`.
for dir in packages/*/ apps/*/; do
  dir=${dir%/}
  for script in test e2e; do
    if node -e "process.exit(require('./$dir/package.json').scripts?.['$script'] ? 0 : 1)" 2>/dev/null; then
      stage "$dir:$script" pnpm --dir "$dir" run "$script" --reporter=default --reporter=json \
        "--outputFile.json=.test-results.$script.json"
    fi
  done
done

node scripts/test-summary.mjs "$STATUS" "$(($(date +%s) - start))"
