#!/usr/bin/env bash
# Terraform layer, on the real terraform-provider-linode (built by .ci/install.d/50-terraform.sh):
# fmt, validate, terraform test (mocked resources), tflint, checkov, checks that assertions and the
# provider's own validators fail on broken input, the TypeScript config -> tfvars -> plan path,
# and a real `terraform plan` of every environment root against a loopback API fixture.
# Everything runs in a temporary copy of terraform/ with TF_DATA_DIR outside the clone: no
# .terraform/, lock file or state ever lands in git. Nothing contacts Linode.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

TF="$TOOLS_BIN/terraform-cli"
PLUGIN_DIR="$PLATFORM_CACHE/terraform/linode-plugin-mirror"
provider_bin="$(find -L "$PLUGIN_DIR/registry.terraform.io" -type f -name 'terraform-provider-linode_v*' 2>/dev/null | head -1)"
if [ -z "$provider_bin" ]; then
  echo "FAIL no terraform-provider-linode in $PLUGIN_DIR: run bash .ci/install.d/50-terraform.sh"
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
echo "terraform: $("$TF" version | head -1); linode provider: $(go version -m "$provider_bin" | awk '$1 == "mod" {print $2, $3}')"
cp -r terraform "$work/terraform"
T="$work/terraform"

# One root per environment file (apps/environments/<env>.ts; synth generates the root from
# terraform/environment-root/): a new environment is tested with no edit here.
mapfile -t ROOTS < <(for f in apps/environments/*.ts; do n="$(basename "$f" .ts)"; [ "$n" = base ] || echo "environments/$n"; done)
MODULES=(modules/network modules/lke-cluster modules/database-vms modules/backups-bucket)

# tf DIR ARGS...: runs the CLI in $T/DIR with its own data dir outside the copy.
tf() {
  local dir="$1"; shift
  (cd "$T/$dir" && TF_DATA_DIR="$work/data/${dir//\//_}" "$TF" "$@" -no-color)
}
tf_init() { tf "$1" init -backend=false -plugin-dir="$PLUGIN_DIR" -input=false >/dev/null; }

# expect_failure PATTERN COMMAND...: the command must fail and print PATTERN. Terraform wraps long
# messages, so the output is matched with its line breaks folded into spaces.
expect_failure() {
  local pattern="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then echo "passed, but it must fail"; return 1; fi
  tr -s '\n ' '  ' <<<"$out" | grep -q -- "$pattern" || { echo "failed without \"$pattern\":"; echo "$out" | tail -20; return 1; }
}

# --- Format and validate --------------------------------------------------------------------------
check "terraform fmt -check -recursive" "$TF" fmt -check -recursive -diff terraform

for dir in "${ROOTS[@]}" "${MODULES[@]}"; do
  if tf_init "$dir"; then
    check "terraform validate $dir" tf "$dir" validate
  else
    check "terraform init $dir" false
  fi
done


# --- terraform test -------------------------------------------------------------------------------
for dir in "${MODULES[@]}"; do
  check "terraform test $dir" tf "$dir" test
done
for dir in "${ROOTS[@]}"; do
  cp -r "$T/tests" "$T/$dir/tests"
  check "terraform test $dir (its generated tfvars)" tf "$dir" test
done

# --- Assertions fail on broken input --------------------------------------------------------------
# A copy of the tree is broken on purpose; the assertion that guards it must fail, by name.
mutant() {
  rm -rf "$work/mutant" && cp -r "$T" "$work/mutant"
  local saved="$T"; T="$work/mutant"
  "$@"; local rc=$?
  T="$saved"; return $rc
}
break_disk_encryption() {
  sed -i 's/disk_encryption = "enabled"/disk_encryption = "disabled"/' "$T/modules/database-vms/main.tf"
  expect_failure "Disk encryption must be enabled" tf modules/database-vms test
}
break_ssh_rule() {
  sed -i 's/ipv4     = var.admin_cidrs/ipv4     = concat(var.admin_cidrs, ["0.0.0.0\/0"])/' "$T/modules/database-vms/main.tf"
  grep -q '0.0.0.0/0"\])' "$T/modules/database-vms/main.tf" || { echo "mutation not applied"; return 1; }
  expect_failure "admits 0.0.0.0/0 on 3306 or 22" tf environments/production test
}
break_production_ha() {
  sed -i 's/"high_availability": true/"high_availability": false/' "$T/environments/production/platform.auto.tfvars.json"
  expect_failure "Production must run the HA control plane" tf environments/production test
}
break_replica_ip() {
  sed -i 's/"private_ip": "10.0.1.11"/"private_ip": "10.0.9.11"/' "$T/environments/production/platform.auto.tfvars.json"
  expect_failure "is outside the database" tf environments/production test
}
check "a DB VM without disk encryption fails its assertion" mutant break_disk_encryption
check "an SSH rule open to 0.0.0.0/0 fails the firewall assertion" mutant break_ssh_rule
check "production without HA control plane fails its assertion" mutant break_production_ha
check "a replica IP outside the DB subnet fails the precondition" mutant break_replica_ip

# --- The provider's own validators reject what the schema stand-in used to accept ----------------
# Each value below passed `terraform validate` against the old schema-only stand-in; the real
# provider rejects it, naming the attribute (validators cited in apps/config/provider-rules.ts).
# provider_rejects MODULE FROM TO EXPECTED: replaces FROM with TO in MODULE's main.tf; the real
# provider's validate must then fail with EXPECTED (a grep pattern).
provider_rejects() {
  local module="$1" from="$2" to="$3" expected="$4" file="$T/modules/$1/main.tf"
  grep -qF -- "$from" "$file" || { echo "mutation not applied: no $from in $file"; return 1; }
  FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$file"
  tf_init "modules/$module"
  expect_failure "$expected" tf "modules/$module" validate
}
# A rule label one character past the 32 the provider allows
# (firewall/framework_schema_resource.go: stringvalidator.LengthBetween(3, 32)).
label="mysql-replication-between-db-vms"
check "a firewall rule label over 32 characters fails provider validation" mutant provider_rejects \
  database-vms "\"$label\"" "\"${label}s\"" "string length must be between 3 and 32, got: $(( ${#label} + 1 ))"
check "an unknown firewall protocol fails provider validation" mutant provider_rejects \
  lke-cluster 'protocol = "IPENCAP"' 'protocol = "GRE"' 'value must be one of: \["TCP" "UDP" "ICMP" "IPENCAP"\], got: "GRE"'
check "an unknown placement group policy fails provider validation" mutant provider_rejects \
  database-vms 'placement_group_policy = "strict"' 'placement_group_policy = "strict-anti-affinity"' 'value must be one of: \["strict" "flexible"\]'
check "an unknown disk_encryption value fails provider validation" mutant provider_rejects \
  database-vms 'disk_encryption = "enabled"' 'disk_encryption = "on"' 'expected disk_encryption to be one of \["enabled" "disabled"\], got on'

# --- Linters --------------------------------------------------------------------------------------
for dir in "${ROOTS[@]}" "${MODULES[@]}"; do
  check "tflint $dir" tflint --chdir="$T/$dir" --config="$T/.tflint.hcl" --format=compact
done
# checkov phones home for guideline links unless told not to; the empty network namespace makes
# sure it cannot reach anything (tests only ever contact loopback).
check "checkov (no failed check; skips carry their reason in code)" \
  unshare --net checkov --directory terraform --framework terraform \
  --quiet --compact --download-external-modules false --skip-download

# --- A node pool bound changed in the TypeScript config reaches the tfvars and the plan -------------
# plan_pool_max N [ARGS...]: a mocked plan of the production root whose first pool's autoscaler
# max must be N (the test file is written per value: test-file variables beat -var).
plan_pool_max() {
  local expected="$1"; shift
  cat >"$T/environments/production/tests/pool_bound.tftest.hcl" <<HCL
mock_provider "linode" {
  mock_resource "linode_vpc" { defaults = { id = "1001" } }
  mock_resource "linode_vpc_subnet" { defaults = { id = "2001" } }
  mock_resource "linode_firewall" { defaults = { id = "3001" } }
  mock_resource "linode_placement_group" { defaults = { id = "4001" } }
  mock_resource "linode_instance" { defaults = { id = "5001" } }
}
variables {
  ssh_authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVBX3Bm7bYyS0ZkQ0bNiyjYpqXbY2v6YlqCq2dKhGdP a@b"]
}
run "planned_pool_max" {
  command = plan
  assert {
    condition     = module.lke_cluster.pools[0].max == $expected
    error_message = "planned autoscaler max is \${module.lke_cluster.pools[0].max}, expected $expected"
  }
}
HCL
  tf environments/production test -filter=tests/pool_bound.tftest.hcl "$@"
}
# The environment files are copied (the committed ones stay untouched); apps/config is linked so
# their imports resolve. synth writes into a scratch directory.
pool_bound_reaches_plan() {
  local cfg="$work/cfg/apps" out="$work/synth"
  mkdir -p "$cfg" && cp -r apps/environments "$cfg/environments" && ln -s "$REPO_ROOT/apps/config" "$cfg/config"
  local before after
  before="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).cluster.pools[0].max)' \
    terraform/environments/production/platform.auto.tfvars.json)"
  after=$((before + 7))
  node -e '
    const fs = require("fs"); const [file, from, to] = process.argv.slice(1);
    const src = fs.readFileSync(file, "utf8");
    const re = new RegExp(`(pools: \\[\\s*\\{[^}]*max: )${from}\\b`);
    if (!re.test(src)) { console.error(`no pool max ${from} in ${file}`); process.exit(1); }
    fs.writeFileSync(file, src.replace(re, `$1${to}`));
  ' "$cfg/environments/production.ts" "$before" "$after" || return 1
  npx tsx apps/main.ts --out "$out" --environments-dir "$cfg/environments" >/dev/null || return 1
  local tfvars="$out/terraform/environments/production/platform.auto.tfvars.json"
  grep -q "\"max\": $after" "$tfvars" || { echo "tfvars lack max $after"; return 1; }
  # The plan of the unchanged root shows the committed bound, the changed one the new bound.
  plan_pool_max "$before" || { echo "committed config does not plan max $before"; return 1; }
  cp "$tfvars" "$T/environments/production/platform.auto.tfvars.json"
  local plan
  plan="$(plan_pool_max "$after" -verbose)" \
    || { echo "changed config does not plan max $after"; echo "$plan" | tail -20; return 1; }
  echo "$plan" | grep -A3 'autoscaler {' | grep -q "max *= *$after" || { echo "plan output lacks max = $after"; return 1; }
  echo "pool max $before -> $after in tfvars and plan"
}
check "a node pool bound changed in the TypeScript config shows in the tfvars and the plan" pool_bound_reaches_plan

# --- terraform plan of every environment root on the real provider, offline -------------------------
# A plan of a fresh state makes exactly one Linode API call: the provider's configure ping, served
# by a loopback fixture that logs every request (tests/terraform/linode-api-fixture.py says which
# and why). The S3 backend is overridden by a local one in the scratch copy; HOME points at an
# empty folder and no token is passed, so neither an operator's ~/.config/linode nor their
# LINODE_TOKEN is read.
TEST_SSH_KEYS='["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVBX3Bm7bYyS0ZkQ0bNiyjYpqXbY2v6YlqCq2dKhGdP admin@example"]'
# real_plan DIR PLAN_JSON: init with a local backend, plan, `show -json` into PLAN_JSON; fails when
# the provider asked the API for anything the fixture does not serve.
real_plan() {
  local dir="$1" out="$2" run="$work/api/${1//\//_}-$RANDOM"
  mkdir -p "$run/home"
  printf 'terraform {\n  backend "local" {\n    path = "%s"\n  }\n}\n' "$run/terraform.tfstate" >"$T/$dir/backend_override.tf"
  python3 tests/terraform/linode-api-fixture.py "$run/port" "$run/requests" 300 &
  local server=$! i rc=0
  for i in $(seq 100); do [ -s "$run/port" ] && break; sleep 0.1; done
  [ -s "$run/port" ] || { kill "$server"; echo "the API fixture did not start"; return 1; }
  (
    cd "$T/$dir"
    unset LINODE_TOKEN LINODE_OBJ_ACCESS_KEY LINODE_OBJ_SECRET_KEY
    export HOME="$run/home" TF_DATA_DIR="$run/data" LINODE_URL="http://127.0.0.1:$(cat "$run/port")"
    "$TF" init -plugin-dir="$PLUGIN_DIR" -input=false -no-color >/dev/null &&
      TF_VAR_ssh_authorized_keys="$TEST_SSH_KEYS" "$TF" plan -input=false -no-color -out="$run/plan" >"$run/plan.txt" &&
      "$TF" show -json "$run/plan" >"$out"
  ) || rc=$?
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
  if grep -v '^served ' "$run/requests"; then echo "the provider made Linode API requests the fixture does not serve"; return 1; fi
  grep -q '^served ' "$run/requests" || { echo "no request reached the fixture: is the provider pointed at it?"; return 1; }
  return "$rc"
}
plan_matches_tfvars() {
  local dir="$1" env="${1##*/}"
  real_plan "$dir" "$work/plan-$env.json" || return 1
  npx tsx tests/terraform/check-plan.ts "$env" "$work/plan-$env.json" "$T/$dir/platform.auto.tfvars.json"
}
for dir in "${ROOTS[@]}"; do
  check "terraform plan $dir (real provider, loopback API): pools, firewall rules, DB IPs and labels match its tfvars" \
    plan_matches_tfvars "$dir"
done
# VM labels are "<environment>-<host name>": a host name that makes one 51 characters fails the
# real plan (instance/schema_resource.go: StringLenBetween(3, 50)). The root's variable
# validation already keeps the environment name short enough for the firewall labels; the
# config rules in apps/config/provider-rules.ts refuse both at synth, before the tfvars.
lengthen_replica_name() {
  local tfvars="$T/environments/staging/platform.auto.tfvars.json" env replica longer
  read -r env replica < <(node -e '
    const v = JSON.parse(require("fs").readFileSync(process.argv[1]));
    console.log(v.environment, v.database.replicas[0].name);' "$tfvars")
  longer="$replica$(printf 'x%.0s' $(seq $((51 - ${#env} - 1 - ${#replica}))))"
  sed -i "s/\"name\": \"$replica\"/\"name\": \"$longer\"/" "$tfvars"
  grep -q "\"$longer\"" "$tfvars" || { echo "mutation not applied"; return 1; }
  expect_failure "expected length of label to be in the range (3 - 50), got $env-$longer" \
    real_plan environments/staging "$work/plan-mutant.json"
}
check "a DB host name making its VM label 51 characters fails the real plan" mutant lengthen_replica_name

checks_summary
