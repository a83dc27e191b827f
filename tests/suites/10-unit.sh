#!/usr/bin/env bash
# Typecheck and vitest unit tests (no services).
# needs: nothing
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
check "typescript typecheck" npx tsc --noEmit -p tsconfig.json
run_vitest
checks_summary
