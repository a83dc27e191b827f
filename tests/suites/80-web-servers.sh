#!/usr/bin/env bash
# The web pod's rendered nginx.conf, php-fpm.conf and php.ini on Debian's real nginx and php-fpm
# (run as `nobody`, loopback only, ports 18080/18082/19000/19001): tests/integration/web.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/80-web-servers.sh

# Backstop: the servers the harness starts are killed by process group when this script exits.
kill_recorded_groups_on_exit WEB_SERVERS_PGID_FILE

run_vitest --config vitest.integration.config.ts tests/integration/web
checks_summary
