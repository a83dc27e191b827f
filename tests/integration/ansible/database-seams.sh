# Checks where the database role meets the app, the config and operations (issue 13, items 1 and
# 12-16). Source after assertions.sh; every expectation comes from the generated files
# (generated-values.mjs), the test inventory or the running servers.
GEN="node $REPO_ROOT/tests/integration/ansible/generated-values.mjs"
HOST_IPS=(primary=127.0.0.2 replica1=127.0.0.3 replica2=127.0.0.4)

# PDO with the pods' settings (from the synthesized app-env) dials every name of the certificates
# (from the generated inventory) on every host: a replica can be promoted.
app_pdo_by_service_names() {
  local names ca_path hp rc=0
  names="$($GEN inventory production mariadb_tls_server_names | tr '\n' ' ')"
  ca_path="$($GEN app-env production MYSQL_ATTR_SSL_CA)"
  for hp in "${HOST_IPS[@]}"; do
    echo "--- ${hp%%=*} (${hp#*=})"
    DB_PORT="$($GEN app-env production DB_PORT)" DB_DATABASE="$($GEN app-env production DB_DATABASE)" \
      DB_USERNAME="$($GEN app-env production DB_USERNAME)" DB_PASSWORD="$APP_PASSWORD" MYSQL_ATTR_SSL_CA="$ca_path" \
      "$HERE/app-names-namespace.sh" "${hp#*=}" "$WORK/tls/ca.crt" "$ca_path" "$names" \
      php "$HERE/app-tls-connect.php" $names || rc=1
  done
  return $rc
}

# Item 12: the exporter reads no app table, and still exposes every mysql_* metric the alerts and
# dashboards use, with every collector succeeding.
exporter_least_privilege() {
  local out page pages="" missing=0 m
  sql primary "CREATE TABLE IF NOT EXISTS marketplace.secret_probe (id INT PRIMARY KEY); REPLACE INTO marketplace.secret_probe VALUES (1)"
  if out="$(chroot "$WORK/primary" mariadb --defaults-extra-file=/etc/prometheus/mysqld-exporter.cnf -N -B -e 'SELECT COUNT(*) FROM marketplace.secret_probe' 2>&1)"; then
    echo "exporter read an app table: $out"; return 1
  fi
  echo "exporter SELECT on an app table: $out"
  if out="$(chroot "$WORK/primary" mariadb --defaults-extra-file=/etc/prometheus/mysqld-exporter.cnf -N -B -e 'SELECT COUNT(*) FROM mysql.global_priv' 2>&1)"; then
    echo "exporter read the password hashes: $out"; return 1
  fi
  echo "$out" | grep -q 'ERROR 1142' || return 1
  # Primary and replica pages together: replica lag exists only on a replica.
  for ip in 127.0.0.2 127.0.0.3; do
    page="$(metrics $ip)" || return 1
    grep -qx 'mysql_up 1' <<<"$page" || { echo "$ip: mysql_up is not 1"; missing=1; }
    grep -E '^mysql_exporter_collector_success' <<<"$page" | grep -v ' 1$' && { echo "$ip: a collector failed"; missing=1; }
    pages+="$page"$'\n'
  done
  # Here-strings, not pipes: grep -q stops early and pipefail would count the writer's SIGPIPE.
  for m in $($GEN metrics production mysql_); do
    grep -qE "^$m(\{| )" <<<"$pages" || { echo "$m missing"; missing=1; }
  done
  [ "$missing" -eq 0 ] && echo "every rule/dashboard metric present on primary and replica: $($GEN metrics production mysql_ | tr '\n' ' ')"
}

# Item 12: the runtime user (DML) cannot change the schema; the migration user can.
ddl_split() {
  local out runtime migration
  sql primary "CREATE TABLE IF NOT EXISTS marketplace.probe (id INT PRIMARY KEY, v VARCHAR(40))" || return 1
  runtime="$($GEN inventory production mariadb_app_user)"; migration="$($GEN inventory production mariadb_migration_user)"
  for stmt in "CREATE TABLE ddl_probe (id INT)" "ALTER TABLE probe ADD COLUMN ddl_probe INT" "DROP TABLE probe"; do
    if out="$(app_sql 127.0.0.2 "$stmt" "$runtime" "$APP_PASSWORD" 2>&1)"; then echo "runtime user ran: $stmt"; return 1; fi
    echo "$runtime: $stmt -> $out"; echo "$out" | grep -q 'ERROR 1142' || return 1
  done
  app_sql 127.0.0.2 "INSERT INTO probe VALUES (99, 'dml ok'); DELETE FROM probe WHERE id = 99" "$runtime" "$APP_PASSWORD" || return 1
  app_sql 127.0.0.2 "CREATE TABLE ddl_probe (id INT); ALTER TABLE ddl_probe ADD COLUMN v INT; DROP TABLE ddl_probe" "$migration" "$MIGRATION_PASSWORD" || return 1
  echo "$migration: CREATE, ALTER, DROP ok"
}

# Item 13: a grant on a test database made after the converge is gone for a live session as soon
# as the playbook ran again, without a restart or FLUSH PRIVILEGES.
test_grants_revoked_at_once() {
  local out
  sql primary "CREATE USER IF NOT EXISTS 'probe13'@'localhost' IDENTIFIED BY 'probe13-$RANDOM-x';
               CREATE DATABASE IF NOT EXISTS test_probe13;
               GRANT ALL ON \`test_probe13\`.* TO 'probe13'@'localhost'; GRANT ALL ON \`test\\_%\`.* TO 'probe13'@'localhost'" || return 1
  # SHOW GRANTS reads the in-memory grant tables: what the server enforces right now.
  expect_eq "before: grants of probe13 on test databases" "$(sql primary "SHOW GRANTS FOR 'probe13'@'localhost'" | grep -c 'ON `test')" 2 || return 1
  out="$(playbook --limit primary 2>&1)" || { echo "$out" | tail -20; return 1; }
  echo "$out" | grep -E 'Revoke grants on test databases|Remove privileges on test databases' -A2 | head -4
  local grants; grants="$(sql primary "SHOW GRANTS FOR 'probe13'@'localhost'")"
  sql primary "DROP USER 'probe13'@'localhost'; DROP DATABASE IF EXISTS test_probe13"
  echo "after: $grants"
  ! echo "$grants" | grep -q 'ON `test'
}

# Item 14: replicas apply in parallel (optimistic), and their worker threads run.
parallel_apply() {
  local r
  for r in replica1 replica2; do
    expect_eq "$r parallel mode" "$(sql $r 'SELECT @@slave_parallel_mode')" optimistic || return 1
    [ "$(sql $r 'SELECT @@slave_parallel_threads')" -gt 0 ] || { echo "$r: slave_parallel_threads is 0"; return 1; }
    expect_eq "$r parallel worker threads running" \
      "$(sql $r "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Slave_worker'")" "$(sql $r 'SELECT @@slave_parallel_threads')" || return 1
  done
}

# Item 14: backups and binlog shipping run on the first replica, binlogs shipped every RPO
# minutes and kept on the hosts longer than the backups.
backup_schedule() {
  local rpo retention
  rpo="$($GEN inventory production mariadb_recovery_point_objective_minutes)"
  retention="$($GEN inventory production mariadb_backup_retention_days)"
  grep -E "^\*/$rpo \* \* \* \* root /usr/local/sbin/mariadb-binlog-ship" "$WORK/replica1/etc/cron.d/mariadb-backup" || { echo "no binlog shipping every $rpo min on replica1"; return 1; }
  grep -E 'mariadb-backup-to-object-storage' "$WORK/replica1/etc/cron.d/mariadb-backup" | grep -v '^#' || return 1
  if grep -v '^#' "$WORK/primary/etc/cron.d/mariadb-backup" | grep -q .; then echo "the primary runs backups"; return 1; fi
  local expire; expire="$(sql replica1 'SELECT @@binlog_expire_logs_seconds')"
  echo "binlog_expire_logs_seconds=$expire, backups kept $retention days"
  [ "$expire" -ge $((retention * 86400)) ]
}

# Item 14: point-in-time restore to a moment between two backups, from the replica's backup and
# its shipped binlogs.
point_in_time_restore() {
  local first second until out
  rm -rf "$WORK/replica1/var/lib/mysql-pitr"
  sql primary "CREATE TABLE IF NOT EXISTS marketplace.pitr (id INT PRIMARY KEY, phase VARCHAR(10)) ENGINE=InnoDB; DELETE FROM marketplace.pitr" || return 1
  wait_replica_caught_up replica1 >/dev/null || return 1
  first="$(chroot "$WORK/replica1" /usr/local/sbin/mariadb-backup-to-object-storage)" || return 1
  sql primary "USE marketplace; INSERT INTO pitr SELECT seq, 'kept' FROM seq_1_to_100" || return 1
  sleep 1.2; until="$(date -u '+%F %T')"; sleep 1.2
  sql primary "USE marketplace; INSERT INTO pitr SELECT seq, 'after' FROM seq_101_to_150; DELETE FROM pitr WHERE id <= 10" || return 1
  wait_replica_caught_up replica1 >/dev/null || return 1
  second="$(chroot "$WORK/replica1" /usr/local/sbin/mariadb-backup-to-object-storage)" || return 1
  echo "backups: $first, $second; restoring the first to $until UTC"
  out="$(chroot "$WORK/replica1" /usr/local/sbin/mariadb-point-in-time-restore "$first" /var/lib/mysql-pitr "$until" 2>&1)" || { echo "$out"; return 1; }
  echo "$out"
  chroot "$WORK/replica1" mariadbd --no-defaults --user=mysql --datadir=/var/lib/mysql-pitr \
    --socket=/run/mysqld/pitr.sock --skip-networking --skip-log-bin --skip-slave-start >"$LOGS/pitr.log" 2>&1 &
  for _ in $(seq 60); do chroot "$WORK/replica1" mariadb-admin -S /run/mysqld/pitr.sock ping >/dev/null 2>&1 && break; sleep 1; done
  out="$(chroot "$WORK/replica1" mariadb -S /run/mysqld/pitr.sock -N -B -e "SELECT CONCAT(phase, '=', COUNT(*)) FROM marketplace.pitr GROUP BY phase ORDER BY phase" | tr '\n' ' ')"
  chroot "$WORK/replica1" mariadb-admin -S /run/mysqld/pitr.sock shutdown
  echo "restored to $until: $out (live: $(sql primary "SELECT CONCAT(phase, '=', COUNT(*)) FROM marketplace.pitr GROUP BY phase ORDER BY phase" | tr '\n' ' '))"
  [ "$out" = "kept=100 " ]
}

# Item 15: admins get in outside the thread pool; character set pinned to what the app gets;
# dev-sec mysql-conf-03 options set explicitly.
extra_port_answers() {
  local port; port="$(sql primary 'SELECT @@extra_port')"
  [ "$port" -gt 0 ] || { echo "extra_port is 0"; return 1; }
  expect_eq "a TLS client through extra_port $port" \
    "$(chroot "$WORK/primary" mariadb -N -B --ssl --ssl-ca=/etc/mysql/tls/ca.crt --ssl-verify-server-cert -h 127.0.0.2 -P "$port" -u app -p"$APP_PASSWORD" -e 'SELECT @@port')" 3306 &&
    expect_eq "extra_max_connections > 0" "$(sql primary 'SELECT @@extra_max_connections > 0')" 1
}
charset_pinned() {
  local charset collation
  charset="$($GEN app-env production DB_CHARSET)"; collation="$($GEN app-env production DB_COLLATION)"
  expect_eq "server charset,collation" "$(sql primary 'SELECT CONCAT(@@character_set_server, ",", @@collation_server)')" "$charset,$collation" &&
    expect_eq "schema collation" "$(sql primary "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'marketplace'")" "$collation" &&
    expect_eq "collation of an implicit $charset column" "$(sql primary "CREATE OR REPLACE TABLE marketplace.charset_probe (c VARCHAR(10)) CHARSET $charset; SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'marketplace' AND TABLE_NAME = 'charset_probe'; DROP TABLE marketplace.charset_probe")" "$collation"
}
devsec_mysql_conf_03() {
  local defaults opt bad=0
  # What mysql-conf-03 parses: the [mysqld] options of the configuration files.
  defaults="$(chroot "$WORK/primary" my_print_defaults --mysqld | sed 's/-/_/g')"
  for opt in __safe_user_create=ON __old_passwords=OFF __user=mysql __local_infile=OFF __symbolic_links=OFF __skip_show_database=ON __allow_suspicious_udfs=OFF; do
    echo "$defaults" | grep -qx -- "$opt" && echo "ok $opt" || { echo "missing $opt"; bad=1; }
  done
  echo "$defaults" | grep -q -- '^__secure_file_priv=.' || { echo "secure_file_priv unset"; bad=1; }
  echo "$defaults" | grep -q -- '^__skip_grant_tables' && { echo "skip_grant_tables set"; bad=1; }
  expect_eq "live skip_show_database,old_passwords" "$(sql primary 'SELECT CONCAT(@@skip_show_database, ",", @@old_passwords)')" "ON,OFF" || bad=1
  return $bad
}
wait_timeout_above_jobs() {
  expect_eq "wait_timeout,interactive_timeout" "$(sql primary 'SELECT CONCAT(@@wait_timeout, ",", @@interactive_timeout)')" \
    "$($GEN inventory production mariadb_wait_timeout),$($GEN inventory production mariadb_interactive_timeout)"
}

# Item 16: a 0.2 s statement lands in the slow log with its plan, and performance_schema keeps
# an example of it for the audit tool.
slow_statement_visible() {
  local marker="slow_probe_$RANDOM"
  sql primary "USE marketplace; CREATE OR REPLACE TABLE slow_probe (id INT PRIMARY KEY) SELECT seq AS id FROM seq_1_to_4" || return 1
  # A full scan sleeping 50 ms per row: 0.2 s, a typical "slow" Laravel query.
  app_sql 127.0.0.2 "SELECT SUM(SLEEP(0.05)) AS $marker FROM slow_probe" >/dev/null || return 1
  sleep 0.5
  grep -B12 "$marker" "$WORK/primary/var/log/mysql/mariadb-slow.log" | grep -E '^# (Query_time|Full_scan|explain)' | head -3
  grep -q "$marker" "$WORK/primary/var/log/mysql/mariadb-slow.log" || { echo "not in the slow log (long_query_time=$(sql primary 'SELECT @@long_query_time'))"; return 1; }
  grep -B12 "$marker" "$WORK/primary/var/log/mysql/mariadb-slow.log" | grep '^# Full_scan: Yes' || { echo "no query plan in the slow log"; return 1; }
  expect_eq "statement in events_statements_history_long" \
    "$(sql primary "SELECT COUNT(*) > 0 FROM performance_schema.events_statements_history_long WHERE SQL_TEXT LIKE '%$marker%'")" 1
}
