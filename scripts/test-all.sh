#!/usr/bin/env bash
# npm test — everything CI runs: typecheck, lint, unit, component, integration, real-cluster, build, e2e.
# Ends with one line "N passed, N failed" summed over the five test tiers.
set -u
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p reports
rm -f reports/unit.json reports/component.json reports/integration.json reports/real-cluster.json reports/e2e.json
status=0
failed_checks=0
step() { echo; echo "=== $1"; shift; "$@" || { echo "=== FAILED: $*"; status=1; return 1; }; }

# Typecheck, lint and build are not tests, but a failure of one counts as one failure in the summary.
step "typecheck" npm run --silent typecheck || failed_checks=$((failed_checks + 1))
step "lint" npm run --silent lint || failed_checks=$((failed_checks + 1))
step "unit tests" node_modules/.bin/vitest run --project unit --reporter=default --reporter=json --outputFile=reports/unit.json
step "component tests" node_modules/.bin/vitest run --project component --reporter=default --reporter=json --outputFile=reports/component.json
step "integration tests" node_modules/.bin/vitest run --project integration --reporter=default --reporter=json --outputFile=reports/integration.json
# A real kube-apiserver + etcd (tests/real-cluster/cluster-config.ts: INGRESS_GATE_TEST_KUBECONFIG,
# INGRESS_GATE_TEST_CLUSTER_START, or ../shared/kube/start-cluster); says "skipped: no cluster configured" without one.
step "real-cluster tests" node_modules/.bin/vitest run --project real-cluster --reporter=default --reporter=json --outputFile=reports/real-cluster.json
step "build" npm run --silent build || failed_checks=$((failed_checks + 1))
PLAYWRIGHT_JSON_OUTPUT_NAME=reports/e2e.json step "e2e tests" node_modules/.bin/playwright test --reporter=list,json

FAILED_CHECKS=$failed_checks node scripts/test-summary.mjs reports/unit.json reports/component.json reports/integration.json reports/real-cluster.json reports/e2e.json || status=1
exit $status
