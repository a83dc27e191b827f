#!/usr/bin/env bash
# Runs every test suite in tests/suites/ (name order) after installing the pinned tools.
# Each suite prints, as its last line, "N passed, N failed"; this script adds them up and prints
# the total as its own last line. It exits non-zero when any suite fails or crashes.
#   bash tests/run-all.sh            all suites
#   bash tests/run-all.sh vitest k8s only suites whose file name contains one of the words
source "$(dirname "$0")/../.ci/lib.sh"
cd "$REPO_ROOT"

bash .ci/install-tools.sh

total_passed=0
total_failed=0
status=0
for suite in tests/suites/[0-9][0-9]-*.sh; do
  name="$(basename "$suite" .sh)"
  if [ $# -gt 0 ]; then
    match=0
    for word in "$@"; do [[ "$name" == *"$word"* ]] && match=1; done
    [ "$match" = 1 ] || continue
  fi
  log "suite $name"
  out="$(mktemp)"
  set +e
  bash "$suite" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  line="$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -1 || true)"
  rm -f "$out"
  if [ -z "$line" ]; then
    log "suite $name printed no 'N passed, N failed' line (exit $rc): counted as 1 failed"
    total_failed=$((total_failed + 1)); status=1; continue
  fi
  p="$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")"
  f="$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  log "suite $name: $p passed, $f failed"
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
  [ "$f" -eq 0 ] || status=1
done
echo "${total_passed} passed, ${total_failed} failed"
exit $status
