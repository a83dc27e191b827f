#!/usr/bin/env bash
# The open-connections experiment (docs/decisions/0006-open-connections.md).
# Starts a real MariaDB (127.0.0.1:3308, own temp datadir) and Debian's php-fpm (pm = static,
# CHILDREN children, unix socket in the temp dir), drives FastCGI requests at every child with
# cgi-fcgi, and counts the app user's sleeping connections in information_schema.PROCESSLIST:
#   1. persistent   PDO::ATTR_PERSISTENT => true, wait_timeout 28800 (the default): one idle
#                   connection stays per child.
#   2. recommended  non-persistent PDO: connections close when each request ends.
#   3. safety net   persistent again but wait_timeout lowered (SAFETY_WAIT_TIMEOUT seconds): the
#                   server drops the idle ones; the next requests still succeed (PDO reconnects).
#   4. worker       a long-lived PHP CLI process idles past wait_timeout: "server has gone away".
# Prints the figures side by side; RESULTS_FILE=path also writes them as key=value lines.
# Needs: .ci/install.d/90-experiments.sh (php-fpm, php-mysql, mariadb-server, libfcgi-bin).
set -euo pipefail

EXPERIMENT_DIR="$(cd "$(dirname "$0")" && pwd)"
CHILDREN="${CHILDREN:-8}"
REQUESTS="${REQUESTS:-32}"
SAFETY_WAIT_TIMEOUT="${SAFETY_WAIT_TIMEOUT:-5}"
# Seconds to wait before the second count: longer than the safety-net wait_timeout.
OBSERVE_SECONDS="${OBSERVE_SECONDS:-$((SAFETY_WAIT_TIMEOUT + 3))}"

EXP_DIR="$(mktemp -d /tmp/mysql-connections.XXXXXX)"
chmod 755 "$EXP_DIR"   # php-fpm children (www-data) read the app scripts from here
source "$EXPERIMENT_DIR/servers.sh"
cleanup() { stop_php_fpm; stop_mariadb; rm -rf "$EXP_DIR"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$EXP_DIR/app"
cp "$EXPERIMENT_DIR/app/query.php" "$EXPERIMENT_DIR/app/worker.php" "$EXP_DIR/app/"
chmod 644 "$EXP_DIR"/app/*.php

sleeping_connections() {
  sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
       WHERE USER = '$DB_USER' AND COMMAND = 'Sleep'"
}

# One FastCGI request, as nginx would send it, straight to php-fpm's socket.
fcgi_request() {
  env -i SCRIPT_FILENAME="$EXP_DIR/app/query.php" SCRIPT_NAME=/query.php REQUEST_METHOD=GET \
    QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 GATEWAY_INTERFACE=CGI/1.1 REMOTE_ADDR=127.0.0.1 \
    cgi-fcgi -bind -connect "$EXP_DIR/php-fpm.sock"
}

# drive_load OUT: REQUESTS requests, 2 x CHILDREN at a time; each holds its child 0.3 s, so every
# child is busy at once and serves at least one. Prints the number of failed requests.
drive_load() {
  local out="$1" failed=0 i
  : >"$out"
  for ((i = 0; i < REQUESTS; i++)); do
    fcgi_request >>"$out.$i" 2>&1 &
    if (( (i + 1) % (2 * CHILDREN) == 0 )); then wait; fi
  done
  wait
  for ((i = 0; i < REQUESTS; i++)); do
    grep -q '^pid=' "$out.$i" || failed=$((failed + 1))
    cat "$out.$i" >>"$out"; rm -f "$out.$i"
  done
  echo "$failed"
}

distinct_children() { grep -o '^pid=[0-9]*' "$1" | sort -u | wc -l; }

# run_case NAME PERSISTENT: fresh php-fpm, load, count now and after OBSERVE_SECONDS.
run_case() {
  local name="$1" persistent="$2" out="$EXP_DIR/$1.responses"
  start_php_fpm "$persistent"
  log "$name: $REQUESTS requests over $CHILDREN php-fpm children (persistent=$persistent)"
  local failed; failed="$(drive_load "$out")"
  local children; children="$(distinct_children "$out")"
  local after_load; after_load="$(sleeping_connections)"
  log "$name: $after_load sleeping connections; waiting ${OBSERVE_SECONDS}s"
  sleep "$OBSERVE_SECONDS"
  local after_wait; after_wait="$(sleeping_connections)"
  local failed_next=0
  if [ "$name" = safety-net ]; then
    # The children's persistent connections are dead now: the next round must still succeed.
    failed_next="$(drive_load "$out.next")"
  fi
  if [ "$name" = safety-net ]; then failed_next_safety="$failed_next"; fi
  stop_php_fpm
  # php-fpm is gone: its connections close with it. Nothing may stay behind for the next case.
  sleep 0.5
  RESULTS+=("$name.failed_requests=$failed" "$name.children_hit=$children"
            "$name.sleeping_after_load=$after_load" "$name.sleeping_after_wait=$after_wait"
            "$name.failed_requests_after_timeout=$failed_next")
  ROWS+=("$(printf '| %-11s | %-10s | %12s | %13s | %19s | %20s |' "$name" \
    "$([ "$persistent" = 1 ] && echo yes || echo no)" "$(sql 'SELECT @@GLOBAL.wait_timeout')" \
    "$children/$CHILDREN" "$after_load" "$after_wait")")
}

RESULTS=("children=$CHILDREN" "requests=$REQUESTS" "observe_seconds=$OBSERVE_SECONDS"
         "safety_wait_timeout=$SAFETY_WAIT_TIMEOUT")
ROWS=()
log "starting MariaDB ($(mariadbd --version | awk '{print $3}')) on 127.0.0.1:$MARIADB_PORT"
start_mariadb
log "php-fpm: $("$PHP_FPM" -v | head -1)"

run_case persistent 1
run_case recommended 0
# The server-side safety net: a lower wait_timeout (production uses a value above the longest
# worker idle period; a short one here so the experiment runs fast). New sessions pick it up.
sql "SET GLOBAL wait_timeout = $SAFETY_WAIT_TIMEOUT"
run_case safety-net 1

log "worker: a long-lived CLI process idles $OBSERVE_SECONDS s with wait_timeout=$SAFETY_WAIT_TIMEOUT"
worker_out="$(env DB_PORT="$MARIADB_PORT" DB_NAME="$DB_NAME" DB_USER="$DB_USER" \
  DB_PASSWORD="$DB_PASSWORD" php "$EXP_DIR/app/worker.php" "$OBSERVE_SECONDS" 2>&1)"
worker_error="$(sed -n 's/^after_idle_error=//p' <<<"$worker_out")"
worker_reconnected="$(grep -c '^reconnected_connection=' <<<"$worker_out" || true)"
RESULTS+=("worker.idle_seconds=$OBSERVE_SECONDS" "worker.error_code=${worker_error%% *}"
          "worker.reconnected=$worker_reconnected")

echo
echo "Open MySQL connections: sleeping connections of user '$DB_USER' in information_schema.PROCESSLIST"
echo "(php-fpm pm=static, $CHILDREN children, $REQUESTS requests; second count after ${OBSERVE_SECONDS} s)"
echo
printf '| %-11s | %-10s | %12s | %13s | %19s | %20s |\n' run persistent wait_timeout 'children hit' \
  'sleeping after load' "sleeping after ${OBSERVE_SECONDS} s"
echo "|-------------|------------|-------------:|--------------:|--------------------:|---------------------:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "safety-net: requests after the timeout (dead persistent connections): $failed_next_safety failed of $REQUESTS"
echo "Long-lived worker idle ${OBSERVE_SECONDS} s past wait_timeout=${SAFETY_WAIT_TIMEOUT}: ${worker_error:-no error}"
echo "  reconnect afterwards: $([ "$worker_reconnected" = 1 ] && echo succeeded || echo 'not attempted')"

if [ -n "${RESULTS_FILE:-}" ]; then printf '%s\n' "${RESULTS[@]}" >"$RESULTS_FILE"; fi
