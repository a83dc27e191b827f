# Starts a throwaway MariaDB for the db-audit fixture; source it, then call start_fixture_mariadb.
# Own datadir and socket in a temp dir, TCP on 127.0.0.1:3307 only, performance_schema on, slow
# log configured (switched on by the test around the workload), TLS with a throwaway CA. stop_fixture_mariadb kills the
# server this script started (by its pid) and removes the temp dir; the caller traps it.
DB_AUDIT_PORT="${DB_AUDIT_PORT:-3307}"

# A throwaway CA and server certificate (for 127.0.0.1), and a second CA that did not sign it,
# so the test can connect with TLS, and see a TLS refusal.
make_fixture_tls() {
  local dir="$1"
  mkdir -p "$dir" && (
    cd "$dir" &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=db-audit test CA" -keyout ca-key.pem -out ca.pem &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=db-audit other CA" -keyout other-ca-key.pem -out other-ca.pem &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr &&
      printf 'subjectAltName=IP:127.0.0.1\n' >san.ext &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile san.ext -out server.pem
  ) >"$dir/openssl.log" 2>&1
}

start_fixture_mariadb() {
  DB_AUDIT_TMP="$(mktemp -d /tmp/db-audit.XXXXXX)"
  mkdir -p "$DB_AUDIT_TMP/data"
  make_fixture_tls "$DB_AUDIT_TMP/tls" || { echo "openssl failed:" >&2; cat "$DB_AUDIT_TMP/tls/openssl.log" >&2; return 1; }
  mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$DB_AUDIT_TMP/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$DB_AUDIT_TMP/install.log" 2>&1
  mariadbd --no-defaults --user="$(id -un)" --datadir="$DB_AUDIT_TMP/data" \
    --socket="$DB_AUDIT_TMP/mysqld.sock" --pid-file="$DB_AUDIT_TMP/mysqld.pid" \
    --skip-networking=0 --bind-address=127.0.0.1 --port="$DB_AUDIT_PORT" --skip-name-resolve \
    --performance-schema=ON --slow-query-log=0 --slow-query-log-file="$DB_AUDIT_TMP/slow.log" \
    --log-slow-verbosity=query_plan --long-query-time=0 \
    --ssl-ca="$DB_AUDIT_TMP/tls/ca.pem" --ssl-cert="$DB_AUDIT_TMP/tls/server.pem" --ssl-key="$DB_AUDIT_TMP/tls/server-key.pem" \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 \
    --log-error="$DB_AUDIT_TMP/error.log" &
  DB_AUDIT_PID=$!
  for _ in $(seq 1 60); do
    if mariadb-admin --no-defaults --socket="$DB_AUDIT_TMP/mysqld.sock" -uroot ping >/dev/null 2>&1; then
      export DB_AUDIT_TMP DB_AUDIT_PID DB_AUDIT_PORT
      export DB_AUDIT_SOCKET="$DB_AUDIT_TMP/mysqld.sock" DB_AUDIT_SLOW_LOG="$DB_AUDIT_TMP/slow.log" DB_AUDIT_TLS_DIR="$DB_AUDIT_TMP/tls"
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
