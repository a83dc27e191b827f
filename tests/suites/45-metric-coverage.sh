#!/usr/bin/env bash
# Every metric the alerts, dashboards and KEDA triggers read is exposed by a target a monitor
# scrapes: the real exporters (redis, php-fpm, nginx, mysqld, node, Soketi) run on loopback with
# the manifests' configuration; Envoy's names come from Envoy Gateway's source (tests/integration/metrics).
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/45-exporters.sh

# Backstop: the servers the harness starts are killed by process group when this script exits.
kill_recorded_groups_on_exit METRICS_PGID_FILE WEB_SERVERS_PGID_FILE

run_vitest --config vitest.integration.config.ts tests/integration/metrics
checks_summary
