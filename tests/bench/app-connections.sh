#!/usr/bin/env bash
# The open-connections experiment on the real app with TLS (tests/bench/app-connections.ts):
# persistent vs non-persistent PDO, side by side, against the MariaDB converged by the Ansible
# role (tests/bench/converged-hosts.sh holds /tmp/converge-hosts.lock). Writes
# tests/bench/results/app-connections.md and the bench block of docs/decisions/0006.
#   bash tests/bench/app-connections.sh     BENCH_SECONDS=8 BENCH_CONNECTIONS=50 BENCH_REPEATS=3
source "$(dirname "$0")/../../.ci/lib.sh"
cd "$REPO_ROOT"
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: servers on one, wrk on the other" >&2; exit 1; }
uptime
bash tests/bench/converged-hosts.sh npx tsx tests/bench/app-connections.ts
