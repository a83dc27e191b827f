# Queries and assertions against the converged chroot hosts. Source it after setting WORK and
# sourcing WORK/secrets.env. Each function exits non-zero with a message when the check fails.

# sql HOST QUERY: root over the host's unix socket (root authenticates by unix_socket only).
sql() { chroot "$WORK/$1" mariadb -N -B -e "$2"; }

# app_sql IP QUERY [USER PASSWORD]: a TCP client with a verified TLS connection, like the app.
app_sql() {
  chroot "$WORK/primary" mariadb -N -B --ssl --ssl-ca=/etc/mysql/tls/ca.crt --ssl-verify-server-cert \
    -h "$1" -u "${3:-app}" -p"${4:-$APP_PASSWORD}" marketplace -e "$2"
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  if [ "$2" != "$3" ]; then echo "$1: got '$2', expected '$3'"; return 1; fi
  echo "$1 = $2"
}

# wait_replica_caught_up REPLICA: waits until the replica applied the primary's current GTID.
wait_replica_caught_up() {
  local pos
  pos="$(sql primary 'SELECT @@gtid_binlog_pos')"
  expect_eq "MASTER_GTID_WAIT('$pos') on $1" "$(sql "$1" "SELECT MASTER_GTID_WAIT('$pos', 60)")" 0
}

replica_status_field() { # REPLICA FIELD
  chroot "$WORK/$1" mariadb -e 'SHOW REPLICA STATUS\G' | awk -F': ' -v f="$2" '$1 ~ "^ *"f"$" {print $2}'
}

# metrics IP: the exporter's page on the host's private (loopback) address.
metrics() { curl -fsS --max-time 10 "http://$1:9104/metrics"; }

# recap_all_unchanged LOG: the PLAY RECAP shows changed=0 and failed=0 for every host.
recap_all_unchanged() {
  local recap
  recap="$(sed -n '/PLAY RECAP/,$p' "$1" | grep -E 'ok=[0-9]+')" || { tail -30 "$1"; return 1; }
  echo "$recap"
  ! echo "$recap" | grep -Eq 'changed=[1-9]|failed=[1-9]|unreachable=[1-9]' || {
    grep -E '^changed:' "$1" | head -20; return 1; }
}

# chroot_listeners_are_loopback: every TCP listener owned by a process inside the hosts is on 127/8.
chroot_listeners_are_loopback() {
  local pids pid addr bad=0 n=0
  pids=" $(for h in "$WORK"/*/; do [ -d "$h/proc" ] && chroot_pids "$h"; done | tr '\n' ' ') "
  while read -r addr pid; do
    case "$pids" in *" $pid "*) ;; *) continue ;; esac
    n=$((n + 1))
    case "$addr" in 127.*) echo "ok $addr (pid $pid)" ;; *) echo "NOT LOOPBACK: $addr (pid $pid)"; bad=1 ;; esac
  done < <(ss -Hltnp | awk '{ if (match($0, /pid=[0-9]+/)) print $4, substr($0, RSTART + 4, RLENGTH - 4) }')
  [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

# subset FILE_A FILE_B: every line of A is in B (both get sorted).
subset() {
  local missing
  missing="$(comm -23 <(sort -u "$1") <(sort -u "$2") | wc -l)"
  echo "$(sort -u "$1" | wc -l) acknowledged, $(sort -u "$2" | wc -l) present, $missing missing"
  [ "$missing" -eq 0 ]
}
