#!/usr/bin/env bash
# npm test — everything CI runs: typecheck, lint, unit, integration, build, e2e.
# Ends with one line "N passed, N failed" summed over the three test tiers.
set -u
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results
rm -f test-results/unit.json test-results/integration.json test-results/e2e.json
status=0
step() { echo; echo "=== $1"; shift; "$@" || { echo "=== FAILED: $*"; status=1; }; }

step "typecheck" npm run --silent typecheck
step "lint" npm run --silent lint
step "unit tests" node_modules/.bin/vitest run --project unit --reporter=default --reporter=json --outputFile=test-results/unit.json
step "integration tests" node_modules/.bin/vitest run --project integration --reporter=default --reporter=json --outputFile=test-results/integration.json
step "build" npm run --silent build
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/e2e.json step "e2e tests" node_modules/.bin/playwright test --reporter=list,json

node scripts/test-summary.mjs test-results/unit.json test-results/integration.json test-results/e2e.json || status=1
exit $status
