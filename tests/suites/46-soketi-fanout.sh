#!/usr/bin/env bash
# Two real Soketi processes with production's Deployment env on one redis-server with the
# generated redis.conf: an event published through one reaches a client on the other, none lost
# at low load (tests/integration/soketi). Loopback only.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/36-redis.sh
bash .ci/install.d/46-soketi.sh

# Backstop: the servers the harness starts are killed by process group when this script exits.
kill_recorded_groups_on_exit SOKETI_PGID_FILE

run_vitest --config vitest.integration.config.ts tests/integration/soketi
checks_summary
