#!/usr/bin/env bash
# db-audit against the converged TLS MariaDB of the Ansible suite (called with one line from
# tests/suites/60-ansible-converge.sh, after its checks): a least-privilege audit user that
# REQUIRE SSL, then the CLI over TCP with the cluster's CA (chain verified; the certificate names
# the Services, not 127.0.0.2), and the same without --ssl-ca, which must name TLS, not the password.
# Usage: audit-converged.sh WORK [HOST] [PORT]  (WORK: the suite's dir with tls/ca.crt and the chroots)
# ADMIN_SQL overrides how root SQL is run (default: the primary chroot's mariadb over its socket).
set -u
WORK="$1" HOST="${2:-127.0.0.2}" PORT="${3:-3306}"
REPO_ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/db-audit-converged.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
admin() { if [ -n "${ADMIN_SQL:-}" ]; then $ADMIN_SQL -N -B -e "$1"; else chroot "$WORK/primary" mariadb -N -B -e "$1"; fi; }

umask 077
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$OUT/pw"
PW="$(cat "$OUT/pw")"
# The connection reaches the server from 127.0.0.1 (the loopback source for any 127/8 target).
admin "DROP USER IF EXISTS 'db_audit'@'127.0.0.1'; CREATE USER 'db_audit'@'127.0.0.1' IDENTIFIED BY '$PW' REQUIRE SSL;
  GRANT SELECT ON marketplace.* TO 'db_audit'@'127.0.0.1'; GRANT SELECT ON performance_schema.* TO 'db_audit'@'127.0.0.1'" || exit 1
cleanup_user() { admin "DROP USER IF EXISTS 'db_audit'@'127.0.0.1'"; rm -rf "$OUT"; }
trap cleanup_user EXIT

cli() { "$REPO_ROOT/node_modules/.bin/tsx" "$REPO_ROOT/tools/db-audit/cli.ts" --host "$HOST" --port "$PORT" --user db_audit --password-file "$OUT/pw" --database marketplace "$@"; }
rc=0
if cli --out "$OUT/plain" 2>"$OUT/plain.err"; then echo "FAIL: audit without TLS succeeded"; rc=1
elif ! grep -q "TLS required: 'db_audit' at $HOST:$PORT" "$OUT/plain.err"; then echo "FAIL: without --ssl-ca: $(cat "$OUT/plain.err")"; rc=1
else echo "ok: without --ssl-ca: $(cat "$OUT/plain.err")"; fi
if cli --ssl-ca "$WORK/tls/ca.crt" --out "$OUT/tls" --unused-min-uptime-days 0 >"$OUT/tls.out" 2>"$OUT/tls.err" && [ -s "$OUT/tls/report.json" ]; then
  echo "ok: over TLS: $(cat "$OUT/tls.out")"
  [ -s "$OUT/tls.err" ] && sed 's/^/  stderr: /' "$OUT/tls.err"
else
  echo "FAIL: over TLS: $(cat "$OUT/tls.err")"; rc=1
fi
exit "$rc"
