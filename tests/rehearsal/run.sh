#!/usr/bin/env bash
# The rehearsal (tests/rehearsal/rehearsal.test.ts) against the MariaDB hosts the converge suite
# has up: called at the end of tests/suites/60-ansible-converge.sh, so CI converges once.
# Runs vitest in a private mount namespace where the names the pods dial resolve to the test
# hosts (DB primary 127.0.0.2, replica 127.0.0.3, Redis queue .5 and cache .6, Soketi .7; the
# second Soketi "pod" is .8) and the DB CA sits at the pods' path.
# Usage: run.sh WORK COMMAND...   (WORK: the converge suite's work dir, with secrets.env and tls/ca.crt)
set -euo pipefail
work="${1:?usage: run.sh WORK [COMMAND...]}"; shift
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
GEN="node $REPO_ROOT/tests/integration/ansible/generated-values.mjs"
names() { $GEN inventory production mariadb_tls_server_names | grep "^$1" | tr '\n' ' '; }
hosts="$work/rehearsal-hosts"
{
  echo "127.0.0.2 $(names "$($GEN app-env production DB_HOST)")"
  echo "127.0.0.3 $(names "$($GEN app-env production DB_READ_HOST)")"
  echo "127.0.0.5 $($GEN app-env production REDIS_HOST)"
  echo "127.0.0.6 $($GEN app-env production REDIS_CACHE_HOST)"
  echo "127.0.0.7 $($GEN app-env production PUSHER_HOST)"
} >"$hosts"
set -a; source "$work/secrets.env"; set +a
export REHEARSAL_DB_WORK="$work" REHEARSAL_SOKETI_PEER=127.0.0.8
# The websocket client is Node's built-in WebSocket: behind a flag on Node 20, default from 22.
node --experimental-websocket -e '' 2>/dev/null && export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-websocket"
cd "$REPO_ROOT"
exec "$REPO_ROOT/tests/integration/ansible/app-names-namespace.sh" "@$hosts" "$work/tls/ca.crt" \
  "$($GEN app-env production MYSQL_ATTR_SSL_CA)" "" "$@"
