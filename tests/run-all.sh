#!/usr/bin/env bash
# Runs every test suite in tests/suites/ (name order) after installing the pinned tools they need:
# a suite's `# needs: <install.d names>` line lists them (`# needs: nothing` for none); a suite
# without that line gets every tool. Running all suites installs everything.
# Each suite prints, as its last line, "N passed, N failed"; this script adds them up and prints
# the total as its own last line. It exits non-zero when any suite fails or crashes.
#   bash tests/run-all.sh            all suites
#   bash tests/run-all.sh vitest k8s only suites whose file name contains one of the words
source "$(dirname "$0")/../.ci/lib.sh"
cd "$REPO_ROOT"

selected=()
for suite in tests/suites/[0-9][0-9]-*.sh; do
  name="$(basename "$suite" .sh)"
  if [ $# -gt 0 ]; then
    match=0
    for word in "$@"; do [[ "$name" == *"$word"* ]] && match=1; done
    [ "$match" = 1 ] || continue
  fi
  selected+=("$suite")
done
[ ${#selected[@]} -gt 0 ] || { echo "no suite in tests/suites/ matches: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# The install layers the selected suites need; every layer when one of them does not say.
needs=()
all_tools=0
for suite in "${selected[@]}"; do
  line="$(grep -m1 -E '^# needs:' "$suite" || true)"
  if [ -z "$line" ]; then all_tools=1; break; fi
  for word in ${line#\# needs:}; do [ "$word" = nothing ] || needs+=("$word"); done
done
if [ $# -eq 0 ] || [ "$all_tools" = 1 ]; then
  bash .ci/install-tools.sh
elif [ ${#needs[@]} -gt 0 ]; then
  bash .ci/install-tools.sh $(printf '%s\n' "${needs[@]}" | sort -u)
fi

total_passed=0
total_failed=0
status=0
for suite in "${selected[@]}"; do
  name="$(basename "$suite" .sh)"
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
