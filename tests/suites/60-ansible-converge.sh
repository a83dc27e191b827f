#!/usr/bin/env bash
# The MariaDB Ansible layer, converged for real: lint + syntax check, then the unmodified
# playbook converges three Debian 13 chroot hosts (primary 127.0.0.2, replicas 127.0.0.3 and
# 127.0.0.4) and the checks below query the running servers. Everything started here (servers,
# exporters, mounts) is removed on exit, also on failure.
# One user of the converge hosts (127.0.0.2-8, port 3307) at a time: the benchmarks converge the
# same hosts through tests/bench/converged-hosts.sh under the same lock.
if [ "${CONVERGE_HOSTS_LOCKED:-}" != 1 ]; then
  CONVERGE_HOSTS_LOCKED=1 exec flock /tmp/converge-hosts.lock bash "$0" "$@"
fi
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
source "$REPO_ROOT/tests/integration/ansible/chroot-hosts.sh"
set +e  # checks count failures themselves

HERE="$REPO_ROOT/tests/integration/ansible"
bash "$REPO_ROOT/.ci/install.d/60-ansible.sh" || { echo "0 passed, 1 failed"; exit 1; }
export ANSIBLE_CONFIG="$REPO_ROOT/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
export DEB_CACHE="$PLATFORM_CACHE/apt/trixie-archives"
LOGS="${TMPDIR:-/tmp}/ansible-converge-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS" "$DEB_CACHE"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ansible-converge.XXXXXX")"
export WORK
trap 'chroot_hosts_down "$WORK"' EXIT
HOSTS=(primary replica1 replica2)
t0=$SECONDS

# --- Static checks -------------------------------------------------------------------------------
lint() { cd "$REPO_ROOT/ansible" && ansible-lint --offline --nocolor --profile production 2>&1 | grep -v 'PATH altered'; return "${PIPESTATUS[0]}"; }
check "ansible-lint --profile production is clean" lint
for env in "$REPO_ROOT"/ansible/inventories/*/; do
  check "syntax-check with the generated $(basename "$env") inventory" \
    ansible-playbook -i "$env/hosts.yml" "$REPO_ROOT/ansible/site.yml" --syntax-check
done

# --- Test hosts ---------------------------------------------------------------------------------
tarball="$("$HERE/rootfs-tarball.sh")" || { echo "cannot build the trixie root filesystem"; echo "$CHECKS_PASSED passed, $((CHECKS_FAILED + 1)) failed"; exit 1; }
for h in "${HOSTS[@]}"; do
  chroot_host_up "$WORK" "$h" "$tarball"
  # Reuse the .debs of earlier runs (each host gets its own copy: apt locks its archive dir).
  cp -l "$DEB_CACHE"/*.deb "$WORK/$h/var/cache/apt/archives/" 2>/dev/null || cp "$DEB_CACHE"/*.deb "$WORK/$h/var/cache/apt/archives/" 2>/dev/null
done
"$HERE/write-test-inventory.sh" "$WORK"
source "$WORK/secrets.env"
source "$HERE/assertions.sh"
source "$HERE/database-seams.sh"
log "hosts ready after $((SECONDS - t0)) s"

playbook() { ansible-playbook -i "$WORK/inventory/hosts.yml" --vault-password-file "$WORK/vault-pass" "$REPO_ROOT/ansible/site.yml" "$@"; }

# --- Converge twice ----------------------------------------------------------------------------
t1=$SECONDS
converge_first() { playbook >"$LOGS/converge-1.log" 2>&1 || { tail -60 "$LOGS/converge-1.log"; return 1; }; }
check "first converge of primary + 2 replicas succeeds" converge_first
log "first converge: $((SECONDS - t1)) s"
cp -n "$WORK"/*/var/cache/apt/archives/*.deb "$DEB_CACHE/" 2>/dev/null
t2=$SECONDS
converge_second() { playbook >"$LOGS/converge-2.log" 2>&1; recap_all_unchanged "$LOGS/converge-2.log"; }
check "second converge reports changed=0 on every host" converge_second
log "second converge: $((SECONDS - t2)) s"

# --- Replication ---------------------------------------------------------------------------------
token="row-$RANDOM-$RANDOM"
replicated() {
  # Schema changes are the migration user's (the runtime user has DML only), rows the app's.
  app_sql 127.0.0.2 "CREATE TABLE IF NOT EXISTS probe (id INT PRIMARY KEY, v VARCHAR(40))" \
    "$($GEN inventory production mariadb_migration_user)" "$MIGRATION_PASSWORD" || return 1
  app_sql 127.0.0.2 "REPLACE INTO probe VALUES (1, '$token')" || return 1
  for r in replica1 replica2; do
    wait_replica_caught_up "$r" || return 1
    expect_eq "$r probe row" "$(sql "$r" 'SELECT v FROM marketplace.probe WHERE id = 1')" "$token" || return 1
  done
}
check "a row written on the primary appears on both replicas" replicated
refuses_writes() {
  local out
  if out="$(app_sql 127.0.0.3 "INSERT INTO probe VALUES (2, 'must fail')" 2>&1)"; then echo "replica accepted a write"; return 1; fi
  echo "$out"; echo "$out" | grep -q -- '--read-only'
}
check "the replica refuses writes from the app user (read_only)" refuses_writes
uses_gtid() {
  for r in replica1 replica2; do
    expect_eq "$r Using_Gtid" "$(replica_status_field "$r" Using_Gtid)" Slave_Pos || return 1
    expect_eq "$r gtid_slave_pos" "$(sql "$r" 'SELECT @@gtid_slave_pos')" "$(sql primary 'SELECT @@gtid_binlog_pos')" || return 1
  done
}
check "replication is GTID-based and the replicas are at the primary's GTID" uses_gtid
replication_tls() {
  expect_eq "Master_SSL_Allowed" "$(replica_status_field replica1 Master_SSL_Allowed)" Yes &&
    expect_eq "Master_SSL_Verify_Server_Cert" "$(replica_status_field replica1 Master_SSL_Verify_Server_Cert)" Yes &&
    expect_eq "replication user requires TLS" "$(sql primary "SELECT DISTINCT ssl_type FROM mysql.user WHERE User = 'replication'")" ANY
}
check "replication runs over TLS with a verified server certificate" replication_tls

# --- Secure installation ---------------------------------------------------------------------------
for h in primary replica1; do
  check "$h: root authenticates by unix_socket only" expect_eq "root plugin, alternatives" \
    "$(sql $h "SELECT CONCAT(JSON_VALUE(Priv, '$.plugin'), ',', JSON_LENGTH(IFNULL(JSON_EXTRACT(Priv, '$.auth_or'), '[]')) <= 1) FROM mysql.global_priv WHERE User = 'root' AND Host = 'localhost'")" "unix_socket,1"
  check "$h: no anonymous users" expect_eq "anonymous users" "$(sql $h "SELECT COUNT(*) FROM mysql.global_priv WHERE User = ''")" 0
  check "$h: no remote root" expect_eq "root accounts off localhost" "$(sql $h "SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost'")" 0
  check "$h: no test database" expect_eq "test schemas" "$(sql $h "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'test' OR SCHEMA_NAME LIKE 'test\\_%'")" 0
  check "$h: no usable account with an empty password" expect_eq "empty-password accounts" "$(sql $h "SELECT COUNT(*) FROM mysql.global_priv WHERE IFNULL(JSON_VALUE(Priv, '$.authentication_string'), '') = '' AND IFNULL(JSON_VALUE(Priv, '$.plugin'), 'mysql_native_password') IN ('mysql_native_password', 'mysql_old_password', '') AND NOT JSON_EXISTS(Priv, '$.auth_or') AND IFNULL(JSON_VALUE(Priv, '$.account_locked'), 'false') NOT IN ('true', '1')")" 0
  check "$h: no GRANT OPTION for anyone but root" expect_eq "non-root grantors" "$(sql $h "SELECT (SELECT COUNT(*) FROM mysql.user WHERE Grant_priv = 'Y' AND User <> 'root') + (SELECT COUNT(*) FROM mysql.db WHERE Grant_priv = 'Y')")" 0
  check "$h: no '%' host for any account" expect_eq "'%' hosts" "$(sql $h "SELECT COUNT(*) FROM mysql.global_priv WHERE Host = '%'")" 0
  check "$h: local_infile off, symbolic links off, secure_file_priv set" expect_eq "local_infile,have_symlink,secure_file_priv" \
    "$(sql $h "SELECT CONCAT(@@local_infile, ',', @@have_symlink, ',', IFNULL(@@secure_file_priv, 'NULL'))")" "OFF,DISABLED,/var/lib/mysql-files/"
  check "$h: config files root:mysql 0640, datadir mysql 0750" expect_eq "modes" \
    "$(chroot "$WORK/$h" stat -c '%U:%G %a' /etc/mysql/mariadb.cnf /etc/mysql/debian.cnf /etc/mysql/mariadb.conf.d/50-server.cnf /etc/mysql/mariadb.conf.d/60-platform.cnf /var/lib/mysql | sort -u | tr '\n' ';')" \
    "mysql:mysql 750;root:mysql 640;"
done
app_users_tls() {
  expect_eq "app users' ssl_type" "$(sql primary "SELECT GROUP_CONCAT(DISTINCT ssl_type) FROM mysql.user WHERE User IN ('app', 'app_ro')")" ANY || return 1
  if chroot "$WORK/primary" mariadb --skip-ssl -h 127.0.0.2 -u app -p"$APP_PASSWORD" -e 'SELECT 1' 2>&1; then echo "plaintext login accepted"; return 1; fi
}
check "app users REQUIRE SSL and a plaintext login is refused" app_users_tls
user_hosts() {
  expect_eq "app hosts" "$(sql primary "SELECT GROUP_CONCAT(Host ORDER BY Host) FROM mysql.user WHERE User = 'app'")" "127.0.0.0/255.0.0.0" &&
    expect_eq "replication hosts" "$(sql primary "SELECT GROUP_CONCAT(Host ORDER BY Host) FROM mysql.user WHERE User = 'replication'")" "127.0.0.1,127.0.0.3,127.0.0.4" &&
    expect_eq "app max_user_connections" "$(sql primary "SELECT max_user_connections FROM mysql.user WHERE User = 'app'")" 70
}
check "users only from their subnets/IPs (app: cluster subnet, replication: replica IPs)" user_hosts
exporter_grants() {
  local grants
  grants="$(sql primary "SHOW GRANTS FOR 'exporter'@'localhost'")"; echo "$grants"
  echo "$grants" | grep -q "GRANT PROCESS, SLAVE MONITOR ON \*\.\* TO \`exporter\`@\`localhost\`" &&
    echo "$grants" | grep -q "MAX_USER_CONNECTIONS 3" && ! echo "$grants" | grep -q "GRANT OPTION"
}
check "exporter user: PROCESS, SLAVE MONITOR only (no SELECT), 3 connections" exporter_grants
check "exporter cannot read app tables or password hashes, yet exposes every mysql_* metric of the rules and dashboards" exporter_least_privilege
check "runtime user (DML) cannot CREATE/ALTER/DROP; the migration user can" ddl_split
check "app PDO with the pods' TLS settings connects by every Service name to the primary and both replicas" app_pdo_by_service_names

# --- Tuning ---------------------------------------------------------------------------------------
# Computed independently of the role: 2048 MiB x 0.5, rounded down to 128 MiB; max_connections 80.
expected_pool=$(( 2048 * 50 / 100 / 128 * 128 * 1024 * 1024 ))
for h in primary replica1; do
  check "$h: innodb_buffer_pool_size and max_connections equal the computed values" expect_eq "buffer pool,max_connections" \
    "$(sql $h 'SELECT CONCAT(@@innodb_buffer_pool_size, ",", @@max_connections)')" "$expected_pool,80"
done
check "durability and observability settings (ROW, sync_binlog, flush at commit, performance_schema, thread pool, slow log)" expect_eq "settings" \
  "$(sql primary 'SELECT CONCAT_WS(",", @@binlog_format, @@sync_binlog, @@innodb_flush_log_at_trx_commit, @@performance_schema, @@thread_handling, @@slow_query_log, @@read_only)')" \
  "ROW,1,1,ON,pool-of-threads,ON,OFF"
check "wait_timeout and interactive_timeout are the generated ones (longest job + margin)" wait_timeout_above_jobs
check "replicas apply in parallel (optimistic) with running worker threads" parallel_apply
check "extra_port (outside the thread pool) answers a TLS client" extra_port_answers
check "character set and collation pinned to what the app gets (server, schema, implicit columns)" charset_pinned
check "dev-sec mysql-conf-03 options set explicitly" devsec_mysql_conf_03
check "a 0.2 s full scan is in the slow log with its plan, and in the statement history" slow_statement_visible
check "replicas are read_only with log_slave_updates (promotable)" expect_eq "replica2 read_only,log_slave_updates" \
  "$(sql replica2 'SELECT CONCAT(@@read_only, ",", @@log_slave_updates)')" "ON,ON"
memory_guard() {
  local out
  if out="$(playbook --limit primary --tags mariadb_preflight -e mariadb_max_connections=5000 2>&1)"; then echo "preflight passed with 5000 connections on 2 GiB"; return 1; fi
  echo "$out" | grep -o 'MariaDB worst-case memory [^.]*' | head -1
  echo "$out" | grep -q 'MariaDB worst-case memory .* exceeds 85% of 2048 MiB RAM'
}
check "the role refuses a config whose worst-case memory exceeds 85% of RAM" memory_guard

# --- Exporter -------------------------------------------------------------------------------------
check "mysqld_exporter on the primary (127.0.0.2:9104) reports mysql_up 1" bash -c "$(declare -f metrics); metrics 127.0.0.2 | grep -x 'mysql_up 1'"
exporter_lag() {
  local page
  page="$(metrics 127.0.0.3)" || return 1
  echo "$page" | grep -x 'mysql_up 1' && echo "$page" | grep -E '^mysql_slave_status_seconds_behind_master\{.*\} [0-9.e+]+$'
}
check "mysqld_exporter on a replica (127.0.0.3:9104) reports mysql_up 1 and replica lag" exporter_lag
check "nothing the hosts started listens beyond 127.0.0.0/8" chroot_listeners_are_loopback

# --- Base hardening (rendered and syntax-checked; never loaded on this machine) --------------------
check "nftables ruleset passes nft -c (not loaded: the chroot shares the host's network)" \
  chroot "$WORK/primary" nft -c -f /etc/nftables.conf
broken_ruleset() {
  sed 's/policy drop;/policy dorp;/' "$WORK/primary/etc/nftables.conf" >"$WORK/primary/tmp/broken.nft"
  ! chroot "$WORK/primary" nft -c -f /tmp/broken.nft
}
check "nft -c rejects a broken ruleset (the check can fail)" broken_ruleset
check "the ruleset allows 3306 only from the cluster and db subnets" grep -q 'ip saddr { 10.0.0.0/24, 10.0.1.0/24 } tcp dport 3306 accept' "$WORK/primary/etc/nftables.conf"
sshd_keys_only() {
  local effective
  effective="$(chroot "$WORK/primary" /usr/sbin/sshd -T 2>&1)" || { echo "$effective"; return 1; }
  echo "$effective" | grep -x 'passwordauthentication no' && echo "$effective" | grep -x 'permitrootlogin without-password' &&
    echo "$effective" | grep -x 'kbdinteractiveauthentication no'
}
check "sshd -T: keys only, no root password login (rendered, sshd not started)" sshd_keys_only
check "unattended-upgrades limited to Debian-Security" grep -q 'Debian-Security' "$WORK/primary/etc/apt/apt.conf.d/52unattended-upgrades-platform"

# --- Backup and restore ---------------------------------------------------------------------------
backup_restore() {
  local object counts_live counts_restored
  sql primary "USE marketplace; CREATE TABLE IF NOT EXISTS backup_probe (id INT PRIMARY KEY, v CHAR(32)) ENGINE=InnoDB;
               REPLACE INTO backup_probe SELECT seq, MD5(seq) FROM seq_1_to_5000" || return 1
  wait_replica_caught_up replica1 >/dev/null || return 1
  # Backups run on the first replica (backup_schedule); its restore is compared with the primary.
  object="$(chroot "$WORK/replica1" /usr/local/sbin/mariadb-backup-to-object-storage)" || return 1
  echo "backup: $object"
  chroot "$WORK/replica1" /usr/local/sbin/mariadb-restore-from-object-storage "$object" /var/lib/mysql-restored || return 1
  chroot "$WORK/replica1" mariadbd --no-defaults --user=mysql --datadir=/var/lib/mysql-restored \
    --socket=/run/mysqld/restored.sock --skip-networking --skip-log-bin --skip-slave-start >"$LOGS/restored.log" 2>&1 &
  for _ in $(seq 60); do [ -S "$WORK/replica1/run/mysqld/restored.sock" ] && break; sleep 1; done
  count_rows() { # HOST SOCKET_ARGS...
    local h="$1"; shift
    chroot "$WORK/$h" mariadb -N -B "$@" -e "SELECT CONCAT(TABLE_NAME, '=', 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'marketplace' ORDER BY TABLE_NAME" |
      while IFS='=' read -r t _; do echo "$t=$(chroot "$WORK/$h" mariadb -N -B "$@" -e "SELECT COUNT(*) FROM marketplace.\`$t\`")"; done
  }
  counts_live="$(count_rows primary)"; counts_restored="$(count_rows replica1 -S /run/mysqld/restored.sock)"
  chroot "$WORK/replica1" mariadb-admin -S /run/mysqld/restored.sock shutdown
  echo "live: $(echo $counts_live) restored: $(echo $counts_restored)"
  [ -n "$counts_live" ] && [ "$counts_live" = "$counts_restored" ] && echo "$counts_live" | grep -qx 'backup_probe=5000'
}
check "mariadb-backup on the replica to (local) object storage, restore into a fresh datadir: row counts match the primary" backup_restore
check "backups and binlog shipping (every RPO minutes) run on the first replica; binlogs outlive the backups" backup_schedule
check "point-in-time restore to a moment between two backups (backup + shipped binlogs)" point_in_time_restore
check "grants on test databases are revoked for the live server at once (no restart, no FLUSH)" test_grants_revoked_at_once

# --- Rehearsal (issue 14) -------------------------------------------------------------------------
# The real Laravel app on these converged hosts (tests/rehearsal): here, so CI converges once.
# Its tools: PHP + the skeleton, nginx + php-fpm (cheap when present); Soketi comes from
# 45-exporters.sh, which .ci/install-tools.sh runs before the suites.
bash "$REPO_ROOT/.ci/install.d/82-laravel.sh" >/dev/null
bash "$REPO_ROOT/.ci/install.d/80-web-servers.sh" >/dev/null
t3=$SECONDS
VITEST_LAUNCHER=(bash "$REPO_ROOT/tests/rehearsal/run.sh" "$WORK")
run_vitest --config vitest.integration.config.ts tests/rehearsal
unset VITEST_LAUNCHER
log "rehearsal: $((SECONDS - t3)) s"

# --- Durability --------------------------------------------------------------------------------------
durability() {
  local acked="$WORK/acked.txt" pids n
  : >"$acked"
  sql primary 'DROP TABLE IF EXISTS marketplace.durability; CREATE TABLE marketplace.durability (id BIGINT PRIMARY KEY, payload VARCHAR(64)) ENGINE=InnoDB' || return 1
  APP_PASSWORD="$APP_PASSWORD" node "$HERE/durability-writer.mjs" 127.0.0.2 "$WORK/tls/ca.crt" "$acked" 2>"$LOGS/writer.log" &
  local writer=$!
  for _ in $(seq 120); do n=$(wc -l <"$acked"); [ "$n" -ge 300 ] && break; sleep 0.5; done
  pids="$(for p in $(chroot_pids "$WORK/primary"); do case "$(cat /proc/$p/comm)" in mariadbd-safe|mariadbd) echo "$p" ;; esac; done)"
  [ -n "$pids" ] || { echo "no mariadbd in the primary"; return 1; }
  kill -9 $pids; echo "SIGKILL primary (pids $(echo $pids)) after $(wc -l <"$acked") acknowledged inserts"
  wait "$writer"; cat "$LOGS/writer.log"
  # Restart mariadbd directly, as the systemd unit on the VMs does. Not through mariadbd-safe: it
  # refuses to start while the killed mariadbd is an unreaped zombie still named in the pid file.
  chroot "$WORK/primary" /usr/sbin/mariadbd --user=mysql --log-error=/var/log/mysql/restart.err >/dev/null 2>&1 &
  for _ in $(seq 180); do chroot "$WORK/primary" mariadb-admin ping >/dev/null 2>&1 && break; sleep 1; done
  chroot "$WORK/primary" mariadb-admin ping || { tail -20 "$WORK/primary/var/log/mysql/restart.err"; return 1; }
  grep -E 'crash recovery|Crash table recovery' "$WORK/primary/var/log/mysql/restart.err" | head -3
  sql primary 'SELECT id FROM marketplace.durability' >"$WORK/primary-ids.txt" || return 1
  echo -n "primary: "; subset "$acked" "$WORK/primary-ids.txt" || return 1
  for r in replica1 replica2; do
    wait_replica_caught_up "$r" >/dev/null || { echo "$r did not catch up"; replica_status_field "$r" Last_IO_Error; return 1; }
    sql "$r" 'SELECT id FROM marketplace.durability' >"$WORK/$r-ids.txt"
    echo -n "$r: "; subset "$acked" "$WORK/$r-ids.txt" || return 1
  done
}
check "durability: every acknowledged insert survives SIGKILL of the primary, and reaches the replicas" durability

check "db-audit over TLS against the converged primary (REQUIRE SSL account; without --ssl-ca it names TLS)" bash "$REPO_ROOT/tests/integration/db-audit/audit-converged.sh" "$WORK" 127.0.0.2
log "suite took $((SECONDS - t0)) s"
checks_summary
