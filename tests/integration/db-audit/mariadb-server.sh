# Starts a throwaway MariaDB for the db-audit fixture; source it, then call start_fixture_mariadb.
# Own datadir and socket in a temp dir, TCP on 127.0.0.1:3307 only, performance_schema on, slow
# log configured (switched on by the test around the workload). stop_fixture_mariadb kills the
# server this script started (by its pid) and removes the temp dir; the caller traps it.
DB_AUDIT_PORT="${DB_AUDIT_PORT:-3307}"

start_fixture_mariadb() {
  DB_AUDIT_TMP="$(mktemp -d /tmp/db-audit.XXXXXX)"
  mkdir -p "$DB_AUDIT_TMP/data"
  mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$DB_AUDIT_TMP/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$DB_AUDIT_TMP/install.log" 2>&1
  mariadbd --no-defaults --user="$(id -un)" --datadir="$DB_AUDIT_TMP/data" \
    --socket="$DB_AUDIT_TMP/mysqld.sock" --pid-file="$DB_AUDIT_TMP/mysqld.pid" \
    --skip-networking=0 --bind-address=127.0.0.1 --port="$DB_AUDIT_PORT" --skip-name-resolve \
    --performance-schema=ON --slow-query-log=0 --slow-query-log-file="$DB_AUDIT_TMP/slow.log" \
    --log-slow-verbosity=query_plan --long-query-time=0 \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 \
    --log-error="$DB_AUDIT_TMP/error.log" &
  DB_AUDIT_PID=$!
  for _ in $(seq 1 60); do
    if mariadb-admin --no-defaults --socket="$DB_AUDIT_TMP/mysqld.sock" -uroot ping >/dev/null 2>&1; then
      export DB_AUDIT_TMP DB_AUDIT_PID DB_AUDIT_PORT
      export DB_AUDIT_SOCKET="$DB_AUDIT_TMP/mysqld.sock" DB_AUDIT_SLOW_LOG="$DB_AUDIT_TMP/slow.log"
      return 0
    fi
    kill -0 "$DB_AUDIT_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "MariaDB did not start; error log:" >&2
  tail -20 "$DB_AUDIT_TMP/error.log" >&2 || true
  return 1
}

stop_fixture_mariadb() {
  if [ -n "${DB_AUDIT_PID:-}" ] && kill -0 "$DB_AUDIT_PID" 2>/dev/null; then
    kill "$DB_AUDIT_PID"
    for _ in $(seq 1 40); do kill -0 "$DB_AUDIT_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$DB_AUDIT_PID" 2>/dev/null || true
  fi
  [ -n "${DB_AUDIT_TMP:-}" ] && rm -rf "$DB_AUDIT_TMP"
  return 0
}
