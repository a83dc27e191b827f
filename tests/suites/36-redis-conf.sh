#!/usr/bin/env bash
# The generated redis.conf of each Redis instance on Debian's real redis-server, loopback only
# (127.0.0.1:16379-16380): tests/integration/redis.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/36-redis.sh

# Backstop for a crashed vitest worker: stop only the redis-servers on this suite's ports
# (Redis sets its process title to "redis-server <bind>:<port>").
cleanup() {
  for pid in $(pgrep -f "^redis-server 127\.0\.0\.1:1637[89]|^redis-server 127\.0\.0\.1:16380" || true); do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

run_vitest --config vitest.integration.config.ts tests/integration/redis
checks_summary
