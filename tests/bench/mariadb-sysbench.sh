#!/usr/bin/env bash
# sysbench oltp_read_write against MariaDB 11.8 (Debian 13, in a chroot) twice on the same
# machine, same data, same durability settings: once with Debian's stock configuration, once
# with the configuration the mariadb role writes (converged by the real playbook). Prints TPS and
# p95 latency side by side.
#
# The data set (TABLES x ROWS, about 1.2 GiB on disk) is several times the stock 128 MiB buffer
# pool. Both runs: binary log on, sync_binlog=1, innodb_flush_log_at_trx_commit=1, unix socket.
# Tunables: TABLES (8) ROWS (500000) THREADS (16) DURATION (60 s) RAM_MB (4096, the "VM" the role sizes for).
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/integration/ansible/chroot-hosts.sh"
TABLES="${TABLES:-8}" ROWS="${ROWS:-500000}" THREADS="${THREADS:-16}" SECONDS_RUN="${DURATION:-60}" RAM_MB="${RAM_MB:-4096}"
HERE="$REPO_ROOT/tests/integration/ansible"
bash "$REPO_ROOT/.ci/install.d/60-ansible.sh"
export ANSIBLE_CONFIG="$REPO_ROOT/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
DEB_CACHE="$PLATFORM_CACHE/apt/trixie-archives"; mkdir -p "$DEB_CACHE"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mariadb-bench.XXXXXX")"
trap 'chroot_hosts_down "$WORK"' EXIT
root="$WORK/primary"
chroot_host_up "$WORK" primary "$("$HERE/rootfs-tarball.sh")"
cp "$DEB_CACHE"/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true

# The real playbook on one host (the test inventory's knobs, primary only, the bench's RAM size).
"$HERE/write-test-inventory.sh" "$WORK"
# 127.0.0.5: clear of the converge suite's hosts (127.0.0.2-4), so both can run at once.
sed -i -e "/^        mariadb_replicas:/,\$d" -e "s/127\.0\.0\.2/127.0.0.5/g" -e "s/mariadb_ram_mb: 2048/mariadb_ram_mb: $RAM_MB/" \
  -e "s/mariadb_buffer_pool_fraction: 0.5/mariadb_buffer_pool_fraction: 0.7/" \
  -e "s/mariadb_max_connections: 80/mariadb_max_connections: 200/" "$WORK/inventory/hosts.yml"
echo '        mariadb_replicas: {hosts: {}}' >>"$WORK/inventory/hosts.yml"
log "converging the bench host with the mariadb role (RAM_MB=$RAM_MB)"
ansible-playbook -i "$WORK/inventory/hosts.yml" --vault-password-file "$WORK/vault-pass" \
  "$REPO_ROOT/ansible/site.yml" >"$WORK/converge.log" 2>&1 || { tail -40 "$WORK/converge.log"; exit 1; }
cp -n "$root"/var/cache/apt/archives/*.deb "$DEB_CACHE/" 2>/dev/null || true

in_root() { chroot "$root" "$@"; }
server() { # stop|start
  in_root /etc/init.d/mariadb "$1" >/dev/null 2>&1 || { in_root tail -20 /var/log/mysql/error.log 2>/dev/null; return 1; }
}
in_root mariadb -e "CREATE DATABASE IF NOT EXISTS sbtest; CREATE USER IF NOT EXISTS sbtest@localhost IDENTIFIED BY 'sbtest'; GRANT ALL ON sbtest.* TO sbtest@localhost"

sb() { # WORKLOAD-ARGS...
  sysbench oltp_read_write --db-driver=mysql --mysql-socket="$root/run/mysqld/mysqld.sock" \
    --mysql-user=sbtest --mysql-password=sbtest --mysql-db=sbtest --tables="$TABLES" --table-size="$ROWS" "$@"
}
log "sysbench prepare: $TABLES tables x $ROWS rows"
sb --threads=2 prepare >"$WORK/prepare.log" 2>&1 || { tail -20 "$WORK/prepare.log"; exit 1; }
log "data set: $(du -sh "$root/var/lib/mysql/sbtest" | cut -f1)"

# The stock configuration plus only what makes the comparison fair (durability, binlog, socket).
stock_cnf="$root/etc/mysql/mariadb.conf.d/60-platform.cnf"
mv "$stock_cnf" "$WORK/platform.cnf"
cat >"$root/etc/mysql/mariadb.conf.d/60-bench-stock.cnf" <<'CNF'
[mariadbd]
log_bin = mariadb-bin
binlog_format = ROW
sync_binlog = 1
innodb_flush_log_at_trx_commit = 1
max_connections = 200
server_id = 1
CNF

run() { # LABEL
  server stop; server start
  in_root mariadb -N -e "SELECT CONCAT('$1: buffer pool ', @@innodb_buffer_pool_size DIV 1048576, ' MiB, redo ', @@innodb_log_file_size DIV 1048576, ' MiB, thread_handling ', @@thread_handling, ', sync_binlog ', @@sync_binlog, ', flush_at_commit ', @@innodb_flush_log_at_trx_commit)" >&2
  # sysbench 1.0 has no --warmup-time: a separate 20 s run warms the buffer pool, unmeasured.
  sb --threads="$THREADS" --time=20 run >"$WORK/$1-warmup.log" 2>&1 || { tail -20 "$WORK/$1-warmup.log" >&2; return 1; }
  sb --threads="$THREADS" --time="$SECONDS_RUN" --report-interval=0 --percentile=95 run >"$WORK/$1.log" 2>&1 ||
    { tail -20 "$WORK/$1.log" >&2; return 1; }
  awk -v label="$1" '/transactions:/ {gsub(/[()]/, "", $3); tps = $3} /95th percentile:/ {p95 = $3}
    END {printf "%-8s %10.1f %12.2f\n", label, tps, p95}' "$WORK/$1.log"
}
log "running oltp_read_write, $THREADS threads, ${SECONDS_RUN}s each"
stock="$(run stock)" || exit 1
rm "$root/etc/mysql/mariadb.conf.d/60-bench-stock.cnf"
mv "$WORK/platform.cnf" "$stock_cnf"
tuned="$(run tuned)" || exit 1

echo
echo "sysbench oltp_read_write, $TABLES x $ROWS rows, $THREADS threads, ${SECONDS_RUN}s, MariaDB $(in_root mariadbd --version | awk '{print $3}')"
printf '%-8s %10s %12s\n' config TPS "p95 ms"
echo "$stock"
echo "$tuned"
