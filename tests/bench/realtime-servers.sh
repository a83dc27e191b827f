#!/usr/bin/env bash
# Soketi beside Sockudo (decision 0007): the Soketi capacity benchmark's load generator, caps and
# channel shape, unchanged, against both servers; one process and two on the Redis adapter;
# servers alternate within every repeat. Prints the knee per server and a side-by-side table per
# step, writes tests/bench/results/realtime-servers.json and the table into decision 0007.
#   bash tests/bench/realtime-servers.sh
#   BENCH_REPEATS=1 BENCH_START_USERS=200 bash tests/bench/realtime-servers.sh    a quick look
# Builds Sockudo first when it is not cached (tests/bench/install-sockudo.sh: a cargo build).
source "$(dirname "$0")/../../.ci/lib.sh"
bash "$REPO_ROOT/tests/bench/install-sockudo.sh"
export BENCH_SERVERS="${BENCH_SERVERS:-soketi,sockudo}" BENCH_MODES="${BENCH_MODES:-events}"
exec bash "$REPO_ROOT/tests/bench/soketi.sh"
