#!/usr/bin/env bash
# The rehearsal's broadcast check (tests/rehearsal, check 6) with each realtime server: a real
# Laravel 12 job broadcasts on a private channel authorised by the app's /broadcasting/auth, and a
# pusher-js-style client on the other server process receives it (two processes, Redis adapter).
# Runs the rehearsal's checks 1 (migrations), the web start and 3 (it starts the workers that run
# the broadcasting job), then 6, once per server,
# on MariaDB hosts converged by the Ansible role (tests/bench/converged-hosts.sh).
#   bash tests/bench/realtime-protocol-check.sh            soketi and sockudo
#   bash tests/bench/realtime-protocol-check.sh sockudo
source "$(dirname "$0")/../../.ci/lib.sh"
if [ $# -gt 0 ]; then servers=("$@"); else servers=(soketi sockudo); fi
bash "$REPO_ROOT/.ci/install.d/46-soketi.sh" >/dev/null
[[ " ${servers[*]} " == *" sockudo "* ]] && bash "$REPO_ROOT/tests/bench/install-sockudo.sh"
status=0
for server in "${servers[@]}"; do
  log "protocol check: $server"
  REHEARSAL_REALTIME_SERVER="$server" bash "$REPO_ROOT/tests/bench/converged-hosts.sh" \
    npx vitest run --config vitest.integration.config.ts tests/rehearsal -t '1\. the migrations|web: nginx|3\. a job dispatched|6\. a broadcast' || status=1
done
exit $status
