#!/usr/bin/env bash
# Soketi capacity benchmark (not a timed test; prints its table, writes tests/bench/results/soketi.json):
# see tests/bench/soketi.ts. Needs 2 CPUs (Soketi on one, the load generator on the other).
#   bash tests/bench/soketi.sh                          the shape's steps, 3 repeats
#   BENCH_REPEATS=1 BENCH_MAX_USERS=100 bash tests/bench/soketi.sh   a quick look
source "$(dirname "$0")/../../.ci/lib.sh"
cd "$REPO_ROOT"
bash .ci/install.d/36-redis.sh
bash .ci/install.d/46-soketi.sh
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: Soketi on one, the load generator on the other" >&2; exit 1; }

export SOKETI_PGID_FILE="$(mktemp)"
cleanup() {
  while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done <"$SOKETI_PGID_FILE"
  rm -f "$SOKETI_PGID_FILE"
  # The CFS quota groups the bench created (empty once their processes are gone).
  for g in /sys/fs/cgroup/cpu/soketi-bench-*; do [ -d "$g" ] && rmdir "$g" 2>/dev/null || true; done
}
trap cleanup EXIT
uptime
npx tsx tests/bench/soketi.ts
