#!/usr/bin/env bash
# Two real Soketi processes with production's Deployment env on one redis-server with the
# generated redis.conf: an event published through one reaches a client on the other, none lost
# at low load (tests/integration/soketi). Loopback only.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/36-redis.sh
bash .ci/install.d/46-soketi.sh

# Backstop: every server the test starts records its process group; the trap kills those, nothing else.
export SOKETI_PGID_FILE="$(mktemp)"
cleanup() {
  while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done <"$SOKETI_PGID_FILE"
  rm -f "$SOKETI_PGID_FILE"
}
trap cleanup EXIT

run_vitest --config vitest.integration.config.ts tests/integration/soketi
checks_summary
