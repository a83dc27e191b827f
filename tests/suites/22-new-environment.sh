#!/usr/bin/env bash
# Adding an environment is one file: a copy of the repository (git ls-files, node_modules linked)
# gets an apps/environments/dev.ts of a dozen lines and nothing else, then
#   1. typecheck and synth pass and write the environment's manifests, chart, Terraform root,
#      tfvars and Ansible inventory;
#   2. the static validation of every manifest (tests/suites/30-manifests.sh) passes in the copy;
#   3. before its Secrets exist, the secret-reference test fails for dev and says what to run;
#      `npm run secrets:scaffold` (a command, not an edit) then encrypts placeholder Secrets to the
#      age key dev.ts names (synth wrote its .sops.yaml rule);
#   4. the unit tests that read the environment list pass in the copy.
# dev runs `realtime.server: sockudo`, so steps 1, 2 and 4 also prove that choice renders, passes
# kubeconform/kubectl-validate/helm, and meets the policies (the unit tests render the other
# choice of every environment too: tests/unit/support/rendered-objects.ts).
# Needs sops and age (.ci/install.d/30-gitops.sh), kubeconform & co for step 2.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
copy="$work/repo"

repo_copy "$copy"
cat >"$copy/apps/environments/dev.ts" <<'TS'
/** Dev: the smallest environment; the sync workers scaled down by name, the others inherited. */
import { environment } from './base.js';

export default environment({
  name: 'dev',
  domains: { app: 'app.dev.marketplace.example.com', websockets: 'ws.dev.marketplace.example.com' },
  laravel: { appEnv: 'development' },
  web: { replicas: { min: 1, max: 2 } },
  soketi: { replicas: { min: 1, max: 2 } },
  // dev tries the other realtime server (decision 0007): the static validation covers that choice too.
  realtime: { server: 'sockudo' },
  images: { sockudo: 'ghcr.io/fmtod/sockudo:5.2.0' },
  redis: { merged: true },
  workers: [{ name: 'sync', replicas: { min: 1, max: 2 } }],
  capacity: { peakConcurrentUsers: 50 },
  cluster: { label: 'marketplace-dev', region: 'us-east', kubernetesVersion: '1.34', highAvailability: false, pools: [{ name: 'general', type: 'g6-standard-4', min: 2, max: 5 }] },
  network: { vpcLabel: 'marketplace-dev', clusterSubnet: '10.20.0.0/24', databaseSubnet: '10.20.1.0/24', adminCidrs: ['203.0.113.0/28'] },
  database: { plan: 'g6-dedicated-4', primary: { name: 'db-primary', privateIp: '10.20.1.10' }, replicas: [], maxConnections: 300 },
  secrets: { ageRecipient: 'AGE_RECIPIENT' },
});
TS
# dev's own age key, thrown away with the copy.
age-keygen -o "$work/dev.agekey" 2>/dev/null
sed -i "s/AGE_RECIPIENT/$(age-keygen -y "$work/dev.agekey")/" "$copy/apps/environments/dev.ts"
in_copy() { (cd "$copy" && "$@"); }

check "typecheck with dev.ts" in_copy npx tsc --noEmit -p tsconfig.json
check "npm run synth with dev.ts" in_copy npm run --silent synth
for path in environments/dev/kustomization.yaml environments/dev/apps/base/kustomization.yaml dist/helm/dev/Chart.yaml terraform/environments/dev/main.tf \
  terraform/environments/dev/backend.tf terraform/environments/dev/platform.auto.tfvars.json ansible/inventories/dev/hosts.yml; do
  check "synth wrote $path" test -s "$copy/$path"
done
check "dev runs Sockudo behind the soketi Service" grep -q 'image: ghcr.io/fmtod/sockudo:5.2.0' "$copy/environments/dev/apps/base/soketi.yaml"
check "dev's Terraform state key is its own" grep -q 'key = "dev/terraform.tfstate"' "$copy/terraform/environments/dev/backend.tf"
check "synth wrote dev's SOPS rule into .sops.yaml" grep -q '^  - path_regex: ^environments/dev/secrets/' "$copy/.sops.yaml"

secrets_explained() {
  local out; out="$(in_copy npx vitest run tests/unit/secret-references.test.ts -t 'secrets of dev' 2>&1)" && { echo "passed with no dev secrets"; return 1; }
  grep -q 'environments/dev/secrets/ holds no SOPS-encrypted Secrets' <<<"$out" && grep -q 'npm run secrets:scaffold' <<<"$out" || { tail -30 <<<"$out"; return 1; }
}
check "before its Secrets exist, the secret-reference test fails for dev and says what to run" secrets_explained
check "npm run secrets:scaffold encrypts dev's Secrets to its age key" in_copy npm run --silent secrets:scaffold
# The pod templates carry checksums of the committed Secrets: synth again, as the README says.
check "npm run synth after the scaffold" in_copy npm run --silent synth

# Static validation, the suite itself run in the copy: its last line must report no failure.
static_validation() {
  local out; out="$(in_copy bash tests/suites/30-manifests.sh 2>&1)"
  tail -1 <<<"$out" | grep -qE '^[0-9]+ passed, 0 failed$' || { grep -E '^FAIL' <<<"$out" | head -20; tail -1 <<<"$out"; return 1; }
}
check "static validation (30-manifests) of every environment, dev included" static_validation

# The unit tests that read the environment list, in the copy.
mapfile -t env_tests < <(cd "$copy" && grep -lE 'loadEnvironments|environmentFiles' tests/unit/*.test.ts)
cd "$copy" && run_vitest "${env_tests[@]}"; cd "$REPO_ROOT"
checks_summary
