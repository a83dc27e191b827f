#!/usr/bin/env bash
# GitOps checks that need the real tools: sops/age round trip, the manifest diff end to end,
# and actionlint on the GitHub workflows.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
check "actionlint .github/workflows" actionlint -no-color
run_vitest --config vitest.integration.config.ts tests/integration/gitops
checks_summary
