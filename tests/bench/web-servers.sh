#!/usr/bin/env bash
# Benchmark of the web pod's rendered nginx/php-fpm/php.ini against Debian's stock configuration:
# wrk, same core for the servers, same PHP page (CPU + I/O wait), about 45 s in all.
#   bash tests/bench/web-servers.sh        BENCH_SECONDS=15 BENCH_CONNECTIONS=50 by default
source "$(dirname "$0")/../../.ci/lib.sh"
cd "$REPO_ROOT"
bash .ci/install.d/80-web-servers.sh
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: servers on one, wrk on the other" >&2; exit 1; }

export WEB_SERVERS_PGID_FILE="$(mktemp)"
cleanup() {
  while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done <"$WEB_SERVERS_PGID_FILE"
  rm -f "$WEB_SERVERS_PGID_FILE"
}
trap cleanup EXIT
npx tsx tests/bench/web-servers.ts
