#!/usr/bin/env bash
# The app contract on the real Laravel 12 skeleton (installed offline from ../shared/php-artifacts
# into the cache) and the worker supervisor loop on the real sh: tests/integration/laravel.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/82-laravel.sh

run_vitest --config vitest.integration.config.ts tests/integration/laravel
checks_summary
