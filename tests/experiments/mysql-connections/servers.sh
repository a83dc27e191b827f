# Start and stop the experiment's own MariaDB and php-fpm, from the temp dir $EXP_DIR only.
# Sourced by run.sh. Nothing here touches the packaged services or their config.

MARIADB_PORT="${MARIADB_PORT:-3308}"
DB_NAME=experiment
DB_USER=app
# Random per run: never stored anywhere but the temp dir.
DB_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
PHP_FPM="$(command -v php-fpm8.2 || command -v php-fpm || ls /usr/sbin/php-fpm* 2>/dev/null | head -1)"

# root talks to the server over its socket (unix_socket auth), never over TCP.
sql() { mariadb --no-defaults --socket="$EXP_DIR/mariadb/mariadb.sock" -u root -N -B -e "$1"; }

start_mariadb() {
  local run_as=()
  # The server's own dir (datadir, socket, pid, log), owned by the user it runs as.
  mkdir -p "$EXP_DIR/mariadb/data"
  if [ "$(id -u)" = 0 ]; then run_as=(--user=mysql); chown -R mysql: "$EXP_DIR/mariadb"; fi
  mariadb-install-db --no-defaults "${run_as[@]}" --datadir="$EXP_DIR/mariadb/data" \
    --auth-root-authentication-method=socket --auth-root-socket-user="$(id -un)" \
    --skip-test-db >"$EXP_DIR/mariadb/install-db.log" 2>&1
  # wait_timeout is left at its default (28800 s): the setting the app runs with today.
  mariadbd --no-defaults "${run_as[@]}" --datadir="$EXP_DIR/mariadb/data" \
    --socket="$EXP_DIR/mariadb/mariadb.sock" --pid-file="$EXP_DIR/mariadb/mariadb.pid" \
    --bind-address=127.0.0.1 --port="$MARIADB_PORT" --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=64M --log-error="$EXP_DIR/mariadb/mariadb.err" &
  MARIADB_PID=$!
  for _ in $(seq 1 100); do
    mariadb-admin --no-defaults --socket="$EXP_DIR/mariadb/mariadb.sock" -u root ping >/dev/null 2>&1 && break
    kill -0 "$MARIADB_PID" 2>/dev/null || { cat "$EXP_DIR/mariadb/mariadb.err" >&2; return 1; }
    sleep 0.2
  done
  sql "CREATE DATABASE $DB_NAME;
       CREATE USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
       GRANT SELECT ON $DB_NAME.* TO '$DB_USER'@'127.0.0.1';"
}

stop_mariadb() {
  [ -n "${MARIADB_PID:-}" ] || return 0
  kill "$MARIADB_PID" 2>/dev/null || true
  wait "$MARIADB_PID" 2>/dev/null || true
  MARIADB_PID=
}

# start_php_fpm PERSISTENT(0|1): a fresh master and CHILDREN children with the given PDO setting.
start_php_fpm() {
  local user_lines=''
  [ "$(id -u)" = 0 ] && user_lines=$'user = www-data\ngroup = www-data\nlisten.owner = root\nlisten.mode = 0600'
  (umask 077; sed -e "s#@DIR@#$EXP_DIR#g" -e "s#@CHILDREN@#$CHILDREN#g" \
      -e "s#@DB_PORT@#$MARIADB_PORT#" -e "s#@DB_NAME@#$DB_NAME#" -e "s#@DB_USER@#$DB_USER#" \
      -e "s#@DB_PASSWORD@#$DB_PASSWORD#" -e "s#@PERSISTENT@#$1#" \
      "$EXPERIMENT_DIR/php-fpm.conf.template" \
    | awk -v lines="$user_lines" '{ if ($0 == "@USER_LINES@") print lines; else print }' \
    >"$EXP_DIR/php-fpm.conf")
  rm -f "$EXP_DIR/php-fpm.sock"
  local as_root=()
  [ "$(id -u)" = 0 ] && as_root=(--allow-to-run-as-root)
  "$PHP_FPM" "${as_root[@]}" --fpm-config "$EXP_DIR/php-fpm.conf" --nodaemonize &
  PHP_FPM_PID=$!
  for _ in $(seq 1 50); do
    [ -S "$EXP_DIR/php-fpm.sock" ] && return 0
    kill -0 "$PHP_FPM_PID" 2>/dev/null || { cat "$EXP_DIR/php-fpm.log" >&2; return 1; }
    sleep 0.1
  done
  echo "php-fpm did not open its socket" >&2; return 1
}

stop_php_fpm() {
  [ -n "${PHP_FPM_PID:-}" ] || return 0
  kill -QUIT "$PHP_FPM_PID" 2>/dev/null || true
  wait "$PHP_FPM_PID" 2>/dev/null || true
  PHP_FPM_PID=
}
