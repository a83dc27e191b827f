#!/usr/bin/env bash
# Benchmark of the web pod's rendered nginx/php-fpm/php.ini against Debian's stock configuration
# on the real Laravel app of the rehearsal (tests/bench/web-servers.ts), with the MariaDB primary
# and replica converged by the Ansible role (tests/bench/converged-hosts.sh, which holds
# /tmp/converge-hosts.lock). Writes tests/bench/results/web-servers.md and the docs' bench block.
#   bash tests/bench/web-servers.sh     BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_REPEATS=3
# About 5 min of converge + 3 repeats x 2 sides x 2 pages x ~20 s (about 4 min at BENCH_SECONDS=10).
source "$(dirname "$0")/../../.ci/lib.sh"
cd "$REPO_ROOT"
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: servers on one, wrk on the other" >&2; exit 1; }
export WEB_SERVERS_PGID_FILE="$(mktemp)"
cleanup() {
  while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done <"$WEB_SERVERS_PGID_FILE"
  rm -f "$WEB_SERVERS_PGID_FILE"
}
trap cleanup EXIT
uptime
bash tests/bench/converged-hosts.sh npx tsx tests/bench/web-servers.ts
