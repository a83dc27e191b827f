#!/usr/bin/env bash
# db-audit: the fixture test against a real MariaDB started here
# (own datadir in a temp dir, 127.0.0.1:3307 only, performance_schema on, slow log for the
# workload) and compared with pt-query-digest. The server is stopped and removed on any exit.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
source "$REPO_ROOT/tests/integration/db-audit/mariadb-server.sh"
cd "$REPO_ROOT"

trap stop_fixture_mariadb EXIT
check "mariadb 10.11 and pt-query-digest installed" bash -c 'mariadbd --version | grep -q "10\.11\." && pt-query-digest --version'
# Started in this shell (not through check, which runs in a subshell) so the trap can stop it.
if start_fixture_mariadb; then
  CHECKS_PASSED=$((CHECKS_PASSED + 1)); echo "PASS MariaDB fixture server starts on 127.0.0.1:${DB_AUDIT_PORT}"
else
  CHECKS_FAILED=$((CHECKS_FAILED + 1)); echo "FAIL MariaDB fixture server starts on 127.0.0.1:${DB_AUDIT_PORT}"
fi
if [ -n "${DB_AUDIT_SOCKET:-}" ]; then
  # /proc/net/tcp{,6}: listening sockets (state 0A) on our port; the only one must be 127.0.0.1.
  listeners() { awk -v port="$(printf ':%04X' "$DB_AUDIT_PORT")" 'FNR > 1 && $4 == "0A" && toupper($2) ~ port"$" {print $2}' /proc/net/tcp /proc/net/tcp6; }
  check "server listens on 127.0.0.1:${DB_AUDIT_PORT} and no other address" \
    test "$(listeners)" = "$(printf '0100007F:%04X' "$DB_AUDIT_PORT")"

  # The tool's unit tests (tools/db-audit/test/*) run in 10-unit with all unit tests.
  export DB_AUDIT_FIGURES="$DB_AUDIT_TMP/figures.txt"
  run_vitest --config vitest.integration.config.ts tests/integration/db-audit
  [ -f "$DB_AUDIT_FIGURES" ] && sed 's/^/  /' "$DB_AUDIT_FIGURES"
fi
checks_summary
