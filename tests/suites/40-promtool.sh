#!/usr/bin/env bash
# Prometheus alerts: the rule groups are extracted from each environment's committed
# monitoring.yaml (what Flux applies), checked and unit-tested with promtool
# (tests/promtool/alerts.test.yaml); every alert must have firing and silent cases, and a
# deliberately broken threshold must make the tests fail. The other PromQL in the manifests
# (KEDA trigger queries, dashboard panels) is parsed by promtool too.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
command -v promtool >/dev/null || bash .ci/install.d/40-promtool.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# environments/<env>/apps/.../monitoring.yaml: the monitoring chart's file, whatever its layer folder.
manifests="$(find environments -name monitoring.yaml -path '*/apps/*' | sort)"
check "a monitoring.yaml per environment" test -n "$manifests"
for manifest in $manifests; do
  env="$(cut -d/ -f2 <<<"$manifest")"
  dir="$work/$env"
  mkdir -p "$dir"
  cp tests/promtool/alerts.test.yaml "$dir/"
  check "$env: rules extracted from $manifest" npx tsx tests/promtool/extract-rules.ts "$manifest" "$dir/rules.yaml"
  check "$env: promtool check rules" promtool check rules "$dir/rules.yaml"
  check "$env: every alert has a firing and a silent case" npx tsx tests/promtool/coverage.ts "$dir/rules.yaml" "$dir/alerts.test.yaml"
  check "$env: promtool test rules" promtool test rules "$dir/alerts.test.yaml"
  # The other PromQL in the manifests (KEDA triggers, dashboard panels) must parse too.
  check "$env: KEDA and dashboard queries extracted" npx tsx tests/promtool/extract-queries.ts "$dir/queries.yaml" \
    $(find "environments/$env" \( -name autoscaling.yaml -o -name monitoring.yaml \) -path '*/apps/*')
  check "$env: KEDA and dashboard queries are valid PromQL" promtool check rules "$dir/queries.yaml"
done

broken_query() {
  local dir="$work/broken-query"
  mkdir -p "$dir"
  sed '0,/expr: sum(/s/expr: sum(/expr: sum((/' "$work/production/queries.yaml" >"$dir/queries.yaml"
  ! cmp -s "$dir/queries.yaml" "$work/production/queries.yaml" || { echo "mutation did not apply"; return 1; }
  if promtool check rules "$dir/queries.yaml" >"$dir/out" 2>&1; then echo "promtool accepted an unbalanced query"; return 1; fi
  grep -q 'parse error' "$dir/out" || { cat "$dir/out"; return 1; }
}
check "an unbalanced query is rejected" broken_query

# The tests can fail: raise one threshold in a copy and promtool must report the missed alert.
mutated() {
  local dir="$work/mutated"
  mkdir -p "$dir"
  sed 's/max_connections{job="mariadb"} > 0.8$/max_connections{job="mariadb"} > 0.95/' "$work/production/rules.yaml" >"$dir/rules.yaml"
  grep -q '> 0.95' "$dir/rules.yaml" || { echo "mutation did not apply"; return 1; }
  cp tests/promtool/alerts.test.yaml "$dir/"
  if promtool test rules "$dir/alerts.test.yaml" >"$dir/out" 2>&1; then echo "promtool passed on a broken rule"; return 1; fi
  grep -q 'alertname: DatabaseConnectionsHigh' "$dir/out" || { cat "$dir/out"; return 1; }
}
check "a raised DatabaseConnectionsHigh threshold fails its test" mutated
checks_summary
