#!/usr/bin/env bash
# The open-connections experiment (tests/experiments/mysql-connections/run.sh) against a real
# MariaDB and Debian's php-fpm; asserts the figures docs/decisions/0006-open-connections.md quotes.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
# Run outside `check` so the side-by-side table stays in the log; the figures are checked below.
set +e
RESULTS_FILE="$results" bash tests/experiments/mysql-connections/run.sh
rc=$?
set -e
check "experiment runs to the end (exit $rc)" test "$rc" -eq 0

# value KEY: one figure from the results file (empty when missing, which fails the comparisons).
value() { sed -n "s/^$1=//p" "$results"; }
# at_least / equals KEY N: the figure compared with N, printed on failure.
at_least() { local v; v="$(value "$1")"; [ -n "$v" ] && [ "$v" -ge "$2" ] || { echo "$1=$v, expected >= $2"; return 1; }; }
equals() { local v; v="$(value "$1")"; [ "$v" = "$2" ] || { echo "$1=$v, expected $2"; return 1; }; }

children="$(value children)"
check "the load reached every php-fpm child (persistent run)" equals persistent.children_hit "$children"
check "the load reached every php-fpm child (recommended run)" equals recommended.children_hit "$children"
check "no request failed" bash -c "$(declare -f value equals); results=$results
  for c in persistent recommended safety-net; do equals \$c.failed_requests 0 || exit 1; done"
check "persistent PDO leaves >= one sleeping connection per child" at_least persistent.sleeping_after_load "$children"
check "... and they are still open after the wait (wait_timeout 28800)" at_least persistent.sleeping_after_wait "$children"
check "non-persistent PDO leaves 0 sleeping connections after the requests" equals recommended.sleeping_after_load 0
check "... and still 0 after the wait" equals recommended.sleeping_after_wait 0
check "safety net: persistent connections are open right after the load" at_least safety-net.sleeping_after_load "$children"
check "safety net: a low wait_timeout drops every idle one" equals safety-net.sleeping_after_wait 0
check "safety net: requests after the timeout still succeed (PDO reconnects)" equals safety-net.failed_requests_after_timeout 0
check "long-lived worker idle past wait_timeout gets 2006 server has gone away" equals worker.error_code 2006
check "long-lived worker reconnects afterwards" equals worker.reconnected 1
check "no experiment server left listening on 127.0.0.1:3308" bash -c '! (exec 3<>/dev/tcp/127.0.0.1/3308) 2>/dev/null'
checks_summary
