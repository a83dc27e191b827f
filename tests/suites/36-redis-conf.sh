#!/usr/bin/env bash
# The generated redis.conf of each Redis instance on Debian's real redis-server, loopback only
# (127.0.0.1:16379-16380): tests/integration/redis.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

bash .ci/install.d/36-redis.sh

report="$(mktemp)"
# Backstop for a crashed vitest worker: stop only the redis-servers on this suite's ports
# (Redis sets its process title to "redis-server <bind>:<port>").
cleanup() {
  for pid in $(pgrep -f "^redis-server 127\.0\.0\.1:1637[89]|^redis-server 127\.0\.0\.1:16380" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$report"
}
trap cleanup EXIT

npx vitest run --config vitest.integration.config.ts tests/integration/redis \
  --reporter=default --reporter=json --outputFile.json="$report" || true
counts="$(vitest_counts "$report")"
CHECKS_PASSED=$((CHECKS_PASSED + ${counts%% passed*}))
f="${counts##*, }"; CHECKS_FAILED=$((CHECKS_FAILED + ${f%% failed*}))
checks_summary
