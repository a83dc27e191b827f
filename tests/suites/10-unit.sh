#!/usr/bin/env bash
# Typecheck and vitest unit tests (no services).
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
check "typescript typecheck" npx tsc --noEmit -p tsconfig.json
report="$(mktemp)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || true
counts="$(vitest_counts "$report")"
CHECKS_PASSED=$((CHECKS_PASSED + ${counts%% passed*}))
f="${counts##*, }"; CHECKS_FAILED=$((CHECKS_FAILED + ${f%% failed*}))
rm -f "$report"
checks_summary
