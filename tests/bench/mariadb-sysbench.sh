#!/usr/bin/env bash
# Stock MariaDB against the configuration the mariadb role writes (60-platform.cnf, converged by
# the real playbook), on MariaDB 11.8 (Debian 13 chroot at 127.0.0.9, extra_port 3317: clear of the
# converge hosts 127.0.0.2-8 and port 3307), with sysbench from Debian.
#   bash tests/bench/mariadb-sysbench.sh            the full matrix (about 1 h 30 min)
#   bash tests/bench/mariadb-sysbench.sh --quick    a subset (about 15 min)
# Fair by construction:
#   - memory: the server runs in a memory cgroup capped at RAM_MB (default 2048 MiB = the
#     production DB plan g6-dedicated-8, 16 GiB, scaled by the 1 of its 8 vCPUs the server gets
#     here); cgroup v1 memory.limit_in_bytes (this container has no cgroup v2 memory controller);
#   - CPU: mariadbd pinned to SERVER_CPU, sysbench to CLIENT_CPU (taskset);
#   - cache: the datadir's page cache is dropped before each start (fadvise DONTNEED per file
#     with dd iflag=nocache: the machine is shared, a global drop_caches would hit the others);
#   - durability and observability: both sides binlog ROW, sync_binlog=1,
#     innodb_flush_log_at_trx_commit=1, the same performance_schema lines, the same
#     max_connections (256 threads must fit); only the tuning differs;
#   - data: TABLES x ROWS, checked to be 2-4x the stock 128 MiB pool and below the tuned pool
#     (default 8 x 240000 rows, about 3.5x);
#   - warm-up: read-only uniform slices until the pool miss rate is near zero or stops falling;
#   - order: stock and tuned alternate REPEATS times; medians and min-max spread.
# Then the attribution: from stock, the tuned file's settings added one group at a time, then
# candidate settings the file does not have yet on top of it; the steps run in ascending order,
# then descending, alternately (drift during the run hits both ends alike).
# Per run: TPS (events/s), p95, pool miss rate, fsyncs per transaction, mariadbd CPU (cores).
# The context line also gives this disk's fsync latency: fsyncs per transaction cost what an
# fsync costs, which here (a virtual disk) may be far less than on the Linode's.
# Writes tests/bench/results/mariadb-sysbench.json and the tables into decision 0003.
source "$(dirname "$0")/../../.ci/lib.sh"
if [ "${MARIADB_BENCH_LOCKED:-}" != 1 ]; then
  # One run at a time (its address and cgroup); the converge hosts are not used.
  MARIADB_BENCH_LOCKED=1 exec flock /tmp/mariadb-sysbench.lock bash "$0" "$@"
fi
source "$REPO_ROOT/tests/integration/ansible/chroot-hosts.sh"
QUICK=0; [ "${1:-}" = --quick ] && QUICK=1
PRODUCTION_RAM_MB=16384 PRODUCTION_VCPUS=8   # g6-dedicated-8 (apps/config/linode-plans.ts)
RAM_MB="${RAM_MB:-$((PRODUCTION_RAM_MB / PRODUCTION_VCPUS))}"
TABLES="${TABLES:-8}" ROWS="${ROWS:-240000}" REPEATS="${REPEATS:-3}"
SERVER_CPU="${SERVER_CPU:-1}" CLIENT_CPU="${CLIENT_CPU:-0}"
# DURATION per compare run, ATTRIBUTION_DURATION per attribution run (seconds).
if [ "$QUICK" = 1 ]; then
  DURATION="${DURATION:-10}" ATTRIBUTION_DURATION="${ATTRIBUTION_DURATION:-10}" ATTRIBUTION_REPEATS="${ATTRIBUTION_REPEATS:-1}" WARMUP_SLICES="${WARMUP_SLICES:-3}"
else
  DURATION="${DURATION:-30}" ATTRIBUTION_DURATION="${ATTRIBUTION_DURATION:-20}" ATTRIBUTION_REPEATS="${ATTRIBUTION_REPEATS:-2}" WARMUP_SLICES="${WARMUP_SLICES:-8}"
fi
# "name rand-type threads": read-only exercises the buffer pool, write-only the redo log and
# flushing, read-write the thread handling at 16, 64 and 256 connections, marketplace the
# rehearsal app's query mix (marketplace.lua).
if [ "$QUICK" = 1 ]; then
  WORKLOADS=("read-only uniform 16" "write-only uniform 16" "read-write pareto 64" "read-write uniform 256" "marketplace pareto 16")
  ATTRIBUTION_WORKLOADS=("read-only uniform 16" "read-write uniform 64")
else
  WORKLOADS=("read-only uniform 16" "read-only pareto 16" "read-only uniform 256" "write-only uniform 16" "write-only uniform 256"
    "read-write uniform 16" "read-write uniform 64" "read-write uniform 256" "read-write pareto 64" "marketplace pareto 64" "marketplace uniform 64")
  ATTRIBUTION_WORKLOADS=("read-only uniform 16" "write-only uniform 64" "read-write uniform 256" "marketplace pareto 64")
fi
HERE="$REPO_ROOT/tests/integration/ansible"
apt_install sysbench
# The report (report.ts) runs on the repo's own tsx: a clean clone has no node_modules yet.
[ -d "$REPO_ROOT/node_modules" ] || (cd "$REPO_ROOT" && npm ci --no-audit --no-fund >/dev/null)
bash "$REPO_ROOT/.ci/install.d/60-ansible.sh" >/dev/null
export ANSIBLE_CONFIG="$REPO_ROOT/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
DEB_CACHE="$PLATFORM_CACHE/apt/trixie-archives"; mkdir -p "$DEB_CACHE"
started="$(date -u +%FT%TZ)"; t_start=$SECONDS

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mariadb-bench.XXXXXX")"
CG="/sys/fs/cgroup/memory/mariadb-bench-$$"
cleanup() { chroot_hosts_down "$WORK"; [ -d "$CG" ] && rmdir "$CG" 2>/dev/null; true; }
trap cleanup EXIT
if mkdir "$CG" 2>/dev/null && echo $((RAM_MB * 1024 * 1024)) >"$CG/memory.limit_in_bytes" 2>/dev/null; then
  CAP="cgroup v1 memory.limit_in_bytes = $RAM_MB MiB"
else
  CG=""; CAP="none: no writable memory cgroup (figures are not memory-capped)"
fi
root="$WORK/primary"
chroot_host_up "$WORK" primary "$("$HERE/rootfs-tarball.sh")"
cp "$DEB_CACHE"/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true

# The real playbook on one host: the test inventory, primary only, at the bench's RAM and vCPUs,
# with production's pool fraction. The memory guard is lifted (fraction 2) so 300 connections fit
# on the 1/8-scale box: the cgroup cap, not the worst-case formula, bounds memory here.
"$HERE/write-test-inventory.sh" "$WORK"
fraction="$(sed -n 's/^ *mariadb_buffer_pool_fraction: //p' "$REPO_ROOT/ansible/inventories/production/hosts.yml")"
sed -i -e "/^        mariadb_replicas:/,\$d" -e "s/127\.0\.0\.2/127.0.0.9/g" -e "s/mariadb_ram_mb: 2048/mariadb_ram_mb: $RAM_MB/" \
  -e "s/mariadb_vcpus: 2/mariadb_vcpus: 1/" -e "s/mariadb_buffer_pool_fraction: 0.5/mariadb_buffer_pool_fraction: $fraction\n        mariadb_memory_limit_fraction: 2\n        mariadb_extra_port: 3317/" \
  -e "s/mariadb_max_connections: 80/mariadb_max_connections: 300/" "$WORK/inventory/hosts.yml"
echo '        mariadb_replicas: {hosts: {}}' >>"$WORK/inventory/hosts.yml"
log "converging the bench host with the mariadb role (RAM_MB=$RAM_MB, 1 vCPU, pool fraction $fraction)"
ansible-playbook -i "$WORK/inventory/hosts.yml" --vault-password-file "$WORK/vault-pass" \
  "$REPO_ROOT/ansible/site.yml" >"$WORK/converge.log" 2>&1 || { tail -40 "$WORK/converge.log"; exit 1; }
cp -n "$root"/var/cache/apt/archives/*.deb "$DEB_CACHE/" 2>/dev/null || true

in_root() { chroot "$root" "$@"; }
conf_dir="$root/etc/mysql/mariadb.conf.d"
mv "$conf_dir/60-platform.cnf" "$WORK/tuned.cnf"
# Stock: Debian's files plus only what makes the comparison fair.
max_connections="$(sed -n 's/^max_connections = //p' "$WORK/tuned.cnf")"
{
  echo '[mariadbd]'
  echo 'server_id = 1'
  grep -E '^(log_bin|binlog_format|sync_binlog|innodb_flush_log_at_trx_commit) =' "$WORK/tuned.cnf"
  grep -E '^performance_schema' "$WORK/tuned.cnf"
  echo "max_connections = $max_connections"
} >"$WORK/stock.cnf"

server_stop() { in_root /etc/init.d/mariadb stop >/dev/null 2>&1 || true; }
# server_start CNF: that file as the only addition to Debian's, page cache dropped, capped and pinned.
server_start() {
  server_stop
  cp "$1" "$conf_dir/60-bench.cnf"
  find "$root/var/lib/mysql" -type f -exec dd if={} iflag=nocache count=0 status=none \; 2>/dev/null
  bash -c "${CG:+echo \$\$ >$CG/cgroup.procs;} exec taskset -c $SERVER_CPU chroot $root /etc/init.d/mariadb start" >/dev/null 2>&1 ||
    { tail -20 "$root/var/log/mysql/error.log" 2>/dev/null; return 1; }
}
mariadbd_pid() { for p in $(chroot_pids "$root"); do [ "$(cat "/proc/$p/comm")" = mariadbd ] && echo "$p"; done; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(mariadbd_pid)/stat"; }
status() { # NAME: one global status counter
  in_root mariadb -N -B -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$1'"
}
counters() { echo "$(status INNODB_BUFFER_POOL_READS) $(status INNODB_BUFFER_POOL_READ_REQUESTS) $(status INNODB_DATA_FSYNCS) $(status BINLOG_GROUP_COMMITS) $(cpu_ticks) $EPOCHREALTIME"; }

script_of() { case "$1" in marketplace) echo "$REPO_ROOT/tests/bench/mariadb-sysbench/marketplace.lua" ;; *) echo "oltp_${1//-/_}" ;; esac; }
sb() { # SCRIPT ARGS...
  local script="$1"; shift
  taskset -c "$CLIENT_CPU" sysbench "$script" --db-driver=mysql --mysql-socket="$root/run/mysqld/mysqld.sock" \
    --mysql-user=sbtest --mysql-password=sbtest --mysql-db=sbtest --tables="$TABLES" --table-size="$ROWS" \
    --db-ps-mode=disable "$@"   # no server-side prepared statements, like PDO's default emulated prepares
}
# measure WORKLOAD SECONDS: one sysbench run; prints "tps p95 miss_rate fsyncs_per_txn cpu_cores".
measure() {
  local name rand threads before after log="$WORK/run.log"
  read -r name rand threads <<<"$1"
  before="$(counters)"
  sb "$(script_of "$name")" --threads="$threads" --time="$2" --rand-type="$rand" --percentile=95 --report-interval=0 run >"$log" 2>&1 ||
    { tail -20 "$log" >&2; return 1; }
  after="$(counters)"
  awk -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" '
    /total number of events:/ {events = $5} /total time:/ {t = $3 + 0} /95th percentile:/ {p95 = $3}
    END {
      split(b, x, " "); split(a, y, " ")
      reads = y[1] - x[1]; requests = y[2] - x[2]; fsyncs = (y[3] - x[3]) + (y[4] - x[4]); cpu = (y[5] - x[5]) / hz
      printf "%.1f %.2f %.4f %.2f %.2f\n", events / t, p95, requests ? 100 * reads / requests : 0, events ? fsyncs / events : 0, cpu / (y[6] - x[6])
    }' "$log"
}
# warm_up: read-only uniform slices until the miss rate is < 0.1 % or stops falling (the stock
# pool cannot hold the data: its misses level off instead of reaching zero).
warm_up() {
  local i last=100 now
  for ((i = 1; i <= WARMUP_SLICES; i++)); do
    now="$(measure "read-only uniform 16" 10 | awk '{print $3}')" || return 1
    awk -v n="$now" -v l="$last" 'BEGIN {exit !(n < 0.1 || n > 0.8 * l)}' && break
    last="$now"
  done
  echo "$now"
}

server_start "$WORK/stock.cnf"
in_root mariadb -e "CREATE DATABASE IF NOT EXISTS sbtest; CREATE USER IF NOT EXISTS sbtest@localhost IDENTIFIED BY 'sbtest'; GRANT ALL ON sbtest.* TO sbtest@localhost"
log "sysbench prepare: $TABLES tables x $ROWS rows"
sb oltp_read_write --threads=2 prepare >"$WORK/prepare.log" 2>&1 || { tail -20 "$WORK/prepare.log"; exit 1; }
data_mb="$(in_root mariadb -N -B -e "SELECT ROUND(SUM(DATA_LENGTH + INDEX_LENGTH) / 1048576) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sbtest'")"
stock_pool_mb="$(in_root mariadb -N -B -e 'SELECT @@innodb_buffer_pool_size DIV 1048576')"
tuned_pool_mb="$(sed -n 's/^innodb_buffer_pool_size = \([0-9]*\)M$/\1/p' "$WORK/tuned.cnf")"
log "data $data_mb MiB; stock pool $stock_pool_mb MiB, tuned pool $tuned_pool_mb MiB"
if [ "$data_mb" -lt $((2 * stock_pool_mb)) ] || [ "$data_mb" -gt $((4 * stock_pool_mb)) ] || [ "$data_mb" -ge "$tuned_pool_mb" ]; then
  echo "data $data_mb MiB must be 2-4x the stock pool ($stock_pool_mb MiB) and below the tuned pool ($tuned_pool_mb MiB): change ROWS" >&2; exit 1
fi

# What an fsync costs on the datadir's disk: the figure that turns fsyncs per transaction into time.
FSYNC_PROBES=200
fsync_us="$(python3 - "$root/var/lib/mysql/fsync-probe" "$FSYNC_PROBES" <<'PY'
import os, statistics, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_DSYNC, 0o600)
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); os.pwrite(fd, b"\0" * 4096, 0); times.append(time.perf_counter() - t)
os.close(fd); os.unlink(sys.argv[1])
print(round(statistics.median(times) * 1e6))
PY
)"
log "fsync (4 KiB O_DSYNC write) here: $fsync_us us"

RUNS="$WORK/runs.tsv"
echo -e "phase\tconfig\trepeat\tworkload\tload\twarm_miss_pct\ttps\tp95_ms\tmiss_pct\tfsyncs_per_txn\tcpu_cores" >"$RUNS"
# run_config PHASE LABEL CNF REPEAT SECONDS WORKLOAD...: one server start, warm-up, each workload.
run_config() {
  local phase="$1" label="$2" cnf="$3" repeat="$4" secs="$5" warm w r; shift 5
  server_start "$cnf" || return 1
  warm="$(warm_up)" || return 1
  for w in "$@"; do
    r="$(measure "$w" "$secs")" || return 1
    log "$phase $label #$repeat $w: $r (load $(cut -d' ' -f1 /proc/loadavg))"
    echo -e "$phase\t$label\t$repeat\t$w\t$(cut -d' ' -f1 /proc/loadavg)\t$warm\t${r// /$'\t'}" >>"$RUNS"
  done
}
for ((rep = 1; rep <= REPEATS; rep++)); do
  if ((rep % 2)); then order=(stock tuned); else order=(tuned stock); fi
  for c in "${order[@]}"; do run_config compare "$c" "$WORK/$c.cnf" "$rep" "$DURATION" "${WORKLOADS[@]}" || exit 1; done
done

# Attribution: stock, then each group of the tuned file added on top of the steps before it; the
# last tuned step is the whole file. Then candidates, lines the file does not have, on top of it:
# "candidate:" steps the figures decide on (decision 0003).
STEPS=(
  "buffer pool|innodb_buffer_pool_size"
  "redo log|innodb_log_file_size|innodb_log_buffer_size"
  "thread pool|thread_handling|thread_pool_size|thread_pool_max_threads"
  "temp tables|tmp_table_size|max_heap_table_size"
  "per-connection buffers|sort_buffer_size|join_buffer_size|read_buffer_size|read_rnd_buffer_size|thread_stack|binlog_cache_size"
)
CANDIDATES=(
  "candidate: no neighbour flushing (SSD)|innodb_flush_neighbors = 0"
  "candidate: adaptive hash index|innodb_adaptive_hash_index = ON"
  "candidate: one thread per connection|thread_handling = one-thread-per-connection"
)
[ "$QUICK" = 1 ] && CANDIDATES=()
labels=("0 stock"); cp "$WORK/stock.cnf" "$WORK/step-0.cnf"
i=0
for step in "${STEPS[@]}"; do
  i=$((i + 1)); keys="${step#*|}"
  { cat "$WORK/step-$((i - 1)).cnf"; grep -E "^($keys) =" "$WORK/tuned.cnf"; } >"$WORK/step-$i.cnf"
  labels+=("$i + ${step%%|*}")
done
i=$((i + 1)); cp "$WORK/tuned.cnf" "$WORK/step-$i.cnf"; labels+=("$i + the rest (the whole tuned file)")
for step in "${CANDIDATES[@]}"; do
  i=$((i + 1)); { cat "$WORK/step-$((i - 1)).cnf"; echo "${step#*|}"; } >"$WORK/step-$i.cnf"
  labels+=("$i + ${step%%|*}")
done
for ((rep = 1; rep <= ATTRIBUTION_REPEATS; rep++)); do
  if ((rep % 2)); then steps=$(seq 0 "$i"); else steps=$(seq "$i" -1 0); fi
  for s in $steps; do
    run_config attribution "${labels[$s]}" "$WORK/step-$s.cnf" "$rep" "$ATTRIBUTION_DURATION" "${ATTRIBUTION_WORKLOADS[@]}" || exit 1
  done
done
server_stop

version="$(in_root mariadbd --version | awk '{print $3}')"
mode="full"; [ "$QUICK" = 1 ] && mode="quick"
context="MariaDB $version, $mode run ($(( (SECONDS - t_start) / 60 )) min, $started): $TABLES x $ROWS rows = $data_mb MiB; stock pool $stock_pool_mb MiB, tuned pool $tuned_pool_mb MiB; memory cap: $CAP; mariadbd on CPU $SERVER_CPU, sysbench on CPU $CLIENT_CPU; fsync here $fsync_us us (4 KiB O_DSYNC write, median of $FSYNC_PROBES); ${DURATION} s per compare run, $REPEATS repeats alternating; ${ATTRIBUTION_DURATION} s per attribution run, $ATTRIBUTION_REPEATS repeats (ascending, descending); same durability (sync_binlog=1, innodb_flush_log_at_trx_commit=1) and performance_schema both sides"
npx tsx "$REPO_ROOT/tests/bench/mariadb-sysbench/report.ts" "$RUNS" "$context" "$mode"
