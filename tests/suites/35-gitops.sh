#!/usr/bin/env bash
# GitOps checks that need the real tools: sops/age round trip, the manifest diff end to end,
# and actionlint on the GitHub workflows.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
check "actionlint .github/workflows" actionlint -no-color
report="$(mktemp)"
npx vitest run --config vitest.integration.config.ts tests/integration/gitops \
  --reporter=default --reporter=json --outputFile.json="$report" || true
counts="$(vitest_counts "$report")"; rm -f "$report"
CHECKS_PASSED=$((CHECKS_PASSED + ${counts%% passed*}))
f="${counts##*, }"; CHECKS_FAILED=$((CHECKS_FAILED + ${f%% failed*}))
checks_summary
