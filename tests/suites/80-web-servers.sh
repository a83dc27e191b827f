#!/usr/bin/env bash
# The web pod's rendered nginx.conf, php-fpm.conf and php.ini on Debian's real nginx and php-fpm
# (run as `nobody`, loopback only, ports 18080/18082/19000/19001): tests/integration/web.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/80-web-servers.sh

# Backstop: the harness records the process group of every server it starts; whatever is left
# when this script exits (a crashed vitest worker) is killed by group id, nothing else.
export WEB_SERVERS_PGID_FILE="$(mktemp)"
cleanup() {
  while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done <"$WEB_SERVERS_PGID_FILE"
  rm -f "$WEB_SERVERS_PGID_FILE"
}
trap cleanup EXIT

run_vitest --config vitest.integration.config.ts tests/integration/web
checks_summary
