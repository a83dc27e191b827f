#!/usr/bin/env bash
# What the audit settings cost: the same sysbench oltp_read_write workload against the role's
# MariaDB (one Debian 13 chroot converged by the real playbook), alternately with the role's
# observability settings (long_query_time 0.1, log_slow_verbosity query_plan,explain, statement
# history consumers on) and with them turned back to the old ones (long_query_time 1, no
# verbosity, consumers off). Everything else is identical. Prints TPS and p95 per run and the
# relative difference of the means. A measurement script, not a test: nothing is asserted.
# Tunables: TABLES (4) ROWS (100000) THREADS (8) DURATION (30 s) ROUNDS (2)
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/integration/ansible/chroot-hosts.sh"
TABLES="${TABLES:-4}" ROWS="${ROWS:-100000}" THREADS="${THREADS:-8}" SECONDS_RUN="${DURATION:-30}" ROUNDS="${ROUNDS:-2}"
HERE="$REPO_ROOT/tests/integration/ansible"
bash "$REPO_ROOT/.ci/install.d/60-ansible.sh"
export ANSIBLE_CONFIG="$REPO_ROOT/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
DEB_CACHE="$PLATFORM_CACHE/apt/trixie-archives"; mkdir -p "$DEB_CACHE"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mariadb-audit-bench.XXXXXX")"
trap 'chroot_hosts_down "$WORK"' EXIT
root="$WORK/primary"
chroot_host_up "$WORK" primary "$("$HERE/rootfs-tarball.sh")"
cp "$DEB_CACHE"/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true
"$HERE/write-test-inventory.sh" "$WORK"
# 127.0.0.5, one host: clear of the converge suite's hosts (127.0.0.2-4).
sed -i -e "/^        mariadb_replicas:/,\$d" -e "s/127\.0\.0\.2/127.0.0.5/g" "$WORK/inventory/hosts.yml"
echo '        mariadb_replicas: {hosts: {}}' >>"$WORK/inventory/hosts.yml"
log "converging the bench host with the mariadb role"
ansible-playbook -i "$WORK/inventory/hosts.yml" --vault-password-file "$WORK/vault-pass" \
  "$REPO_ROOT/ansible/site.yml" >"$WORK/converge.log" 2>&1 || { tail -40 "$WORK/converge.log"; exit 1; }

in_root() { chroot "$root" "$@"; }
server() { in_root /etc/init.d/mariadb "$1" >/dev/null 2>&1 || { in_root tail -20 /var/log/mysql/error.log 2>/dev/null; return 1; }; }
in_root mariadb -e "CREATE DATABASE IF NOT EXISTS sbtest; CREATE USER IF NOT EXISTS sbtest@localhost IDENTIFIED BY 'sbtest-bench-only'; GRANT ALL ON sbtest.* TO sbtest@localhost"
sb() {
  sysbench oltp_read_write --db-driver=mysql --mysql-socket="$root/run/mysqld/mysqld.sock" \
    --mysql-user=sbtest --mysql-password=sbtest-bench-only --mysql-db=sbtest --tables="$TABLES" --table-size="$ROWS" "$@"
}
sb --threads=2 prepare >"$WORK/prepare.log" 2>&1 || { tail -20 "$WORK/prepare.log"; exit 1; }

# The old observability settings, read after the role's file (60-platform.cnf) so they win.
off_cnf="$root/etc/mysql/mariadb.conf.d/61-bench-audit-off.cnf"
audit() { # on|off
  if [ "$1" = off ]; then
    printf '[mariadbd]\nlong_query_time = 1\nlog_slow_verbosity = ""\nperformance_schema_consumer_events_statements_current = OFF\nperformance_schema_consumer_events_statements_history = OFF\nperformance_schema_consumer_events_statements_history_long = OFF\n' >"$off_cnf"
  else
    rm -f "$off_cnf"
  fi
  server stop; server start
}
run() { # LABEL
  in_root mariadb -N -e "SELECT CONCAT('$1: long_query_time ', @@long_query_time, ', verbosity [', @@log_slow_verbosity, '], history_long consumer ', (SELECT ENABLED FROM performance_schema.setup_consumers WHERE NAME = 'events_statements_history_long'))" >&2
  sb --threads="$THREADS" --time=10 run >"$WORK/warmup.log" 2>&1 || { tail -20 "$WORK/warmup.log" >&2; return 1; }
  sb --threads="$THREADS" --time="$SECONDS_RUN" --report-interval=0 --percentile=95 run >"$WORK/$1.log" 2>&1 || { tail -20 "$WORK/$1.log" >&2; return 1; }
  awk -v label="$1" '/transactions:/ {gsub(/[()]/, "", $3); tps = $3} /95th percentile:/ {p95 = $3}
    END {printf "%-10s %10.1f %10.2f\n", label, tps, p95}' "$WORK/$1.log"
}
results=""
for round in $(seq "$ROUNDS"); do
  for mode in off on; do
    audit "$mode" || exit 1
    results+="$(run "$mode-$round")"$'\n' || exit 1
  done
done
echo
echo "sysbench oltp_read_write, $TABLES x $ROWS rows, $THREADS threads, ${SECONDS_RUN}s per run, MariaDB $(in_root mariadbd --version | awk '{print $3}')"
printf '%-10s %10s %10s\n' run TPS "p95 ms"
printf '%s' "$results"
printf '%s' "$results" | awk '{split($1, m, "-"); tps[m[1]] += $2; p95[m[1]] += $3; n[m[1]]++}
  END {printf "mean TPS off %.1f, on %.1f (%+.1f%%); mean p95 off %.2f ms, on %.2f ms\n",
       tps["off"]/n["off"], tps["on"]/n["on"], 100 * (tps["on"]/n["on"] - tps["off"]/n["off"]) / (tps["off"]/n["off"]),
       p95["off"]/n["off"], p95["on"]/n["on"]}'
