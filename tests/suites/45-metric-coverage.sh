#!/usr/bin/env bash
# Every metric the alerts, dashboards and KEDA triggers read is exposed by a target a monitor
# scrapes: the real exporters (redis, php-fpm, nginx, mysqld, node, Soketi) run on loopback with
# the manifests' configuration; Envoy's names come from Envoy Gateway's source (tests/integration/metrics).
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/45-exporters.sh

# Backstop: every server and exporter the test starts records its process group; whatever is left
# when this script exits is killed by group id, nothing else.
export METRICS_PGID_FILE="$(mktemp)" WEB_SERVERS_PGID_FILE="$(mktemp)"
cleanup() {
  cat "$METRICS_PGID_FILE" "$WEB_SERVERS_PGID_FILE" | while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  rm -f "$METRICS_PGID_FILE" "$WEB_SERVERS_PGID_FILE"
}
trap cleanup EXIT

run_vitest --config vitest.integration.config.ts tests/integration/metrics
checks_summary
