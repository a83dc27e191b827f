#!/usr/bin/env bash
# Terraform layer tools: a Terraform CLI, the Linode provider as a local plugin mirror, tflint,
# checkov. Everything pinned and cached under $PLATFORM_CACHE/terraform (see .ci/lib.sh); a
# second run only checks. Nothing here touches the Terraform registry (it is unreachable).
source "$(dirname "$0")/../lib.sh"

LINODE_PROVIDER_VERSION=3.13.0
OPENTOFU_VERSION=v1.12.6
# OpenTofu's go.mod replaces hcl with its fork; a wrapper module must repeat that one line.
OPENTOFU_HCL_REPLACE='github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828'
TFLINT_VERSION=v0.64.0

TF_CACHE="$PLATFORM_CACHE/terraform"
mkdir -p "$TF_CACHE"

# --- Terraform CLI: the machine's terraform, else OpenTofu built from the Go module proxy -------
# The suite runs whatever `terraform-cli` points at; both read the same .tf and .tftest.hcl.
# FORCE_OPENTOFU=1 takes the OpenTofu path on a machine that has terraform (to test that path).
if [ -z "${FORCE_OPENTOFU:-}" ] && command -v terraform >/dev/null 2>&1; then
  ln -sfn "$(command -v terraform)" "$TOOLS_BIN/terraform-cli"
else
  tofu_dir="$PLATFORM_CACHE/go/tofu-$OPENTOFU_VERSION"
  if [ ! -x "$tofu_dir/bin/tofu" ]; then
    log "building OpenTofu $OPENTOFU_VERSION (no terraform on this machine)"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    (
      cd "$work"
      go mod init tools >/dev/null 2>&1
      echo "replace $OPENTOFU_HCL_REPLACE" >>go.mod
      go get "github.com/opentofu/opentofu@$OPENTOFU_VERSION" >/dev/null 2>&1
      mkdir -p "$tofu_dir/bin"
      go build -o "$tofu_dir/bin/tofu" github.com/opentofu/opentofu/cmd/tofu
    )
  fi
  ln -sfn "$tofu_dir/bin/tofu" "$TOOLS_BIN/terraform-cli"
fi

# --- The Linode provider, built from source, as a plugin mirror for `terraform init -plugin-dir` --
# The public Go module proxy refuses terraform-provider-linode and linodego (403); shared/goproxy,
# the repository's sibling, serves exactly those two as a file-system GOPROXY (its README). Every
# other module comes from the usual proxy. The checksum database has no entry for the two, so they
# skip it; linodego is still verified against the provider's go.sum.
provider_module=github.com/linode/terraform-provider-linode/v3
plugin_path="registry.terraform.io/linode/linode/$LINODE_PROVIDER_VERSION/linux_amd64/terraform-provider-linode_v$LINODE_PROVIDER_VERSION"
plugin_dir="$TF_CACHE/linode-$LINODE_PROVIDER_VERSION"
provider_bin="$plugin_dir/$plugin_path"

# provider_is_built: the binary is there and Go's build info says it is this module at this version.
provider_is_built() {
  [ -x "$provider_bin" ] &&
    go version -m "$provider_bin" 2>/dev/null | grep -qP "^\s+mod\s+$provider_module\s+v$LINODE_PROVIDER_VERSION\s"
}

# shared_goproxy: the folder that serves the provider module. shared/ is the sibling of the clone;
# in a git worktree it is the sibling of the main checkout (git's common dir is <main>/.git).
shared_goproxy() {
  local common candidate
  common="$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  for candidate in "$REPO_ROOT/../shared/goproxy" ${common:+"$(dirname "$common")/../shared/goproxy"}; do
    if [ -f "$candidate/$provider_module/@v/v$LINODE_PROVIDER_VERSION.zip" ]; then
      (cd "$candidate" && pwd)
      return 0
    fi
  done
  return 1
}

(
  flock 8
  if ! provider_is_built; then
    goproxy_dir="$(shared_goproxy)" || {
      log "ERROR: cannot build terraform-provider-linode v$LINODE_PROVIDER_VERSION: no file-system Go" \
        "module proxy serving $provider_module@v$LINODE_PROVIDER_VERSION at $REPO_ROOT/../shared/goproxy" \
        "(nor beside the main checkout of this worktree). The public proxy refuses that module (403)."
      exit 1
    }
    log "building terraform-provider-linode v$LINODE_PROVIDER_VERSION from $goproxy_dir (cold: several CPU-minutes)"
    rm -rf "$plugin_dir"
    build_log="$TF_CACHE/linode-$LINODE_PROVIDER_VERSION.build.log"
    if ! GOBIN="$plugin_dir/.build" GOPROXY="file://$goproxy_dir,$(go env GOPROXY)" \
      GONOSUMDB=github.com/linode/terraform-provider-linode,github.com/linode/linodego \
      go install -trimpath "$provider_module@v$LINODE_PROVIDER_VERSION" >"$build_log" 2>&1; then
      tail -20 "$build_log" >&2
      log "ERROR: go install of $provider_module@v$LINODE_PROVIDER_VERSION failed (full log: $build_log)"
      rm -rf "$plugin_dir"
      exit 1
    fi
    mkdir -p "$(dirname "$provider_bin")"
    mv "$plugin_dir/.build/terraform-provider-linode" "$provider_bin"
    rm -rf "$plugin_dir/.build"
    provider_is_built || { log "ERROR: the built $provider_bin does not report $provider_module v$LINODE_PROVIDER_VERSION"; exit 1; }
  fi
) 8>"$plugin_dir.lock"
# OpenTofu resolves `linode/linode` to registry.opentofu.org: the mirror answers for both hosts.
tofu_path="${plugin_path/registry.terraform.io/registry.opentofu.org}"
mkdir -p "$(dirname "$plugin_dir/$tofu_path")"
ln -f "$plugin_dir/$plugin_path" "$plugin_dir/$tofu_path"
# A name of its own: worktrees still on the schema stand-in point `plugin-dir` at it.
ln -sfn "$plugin_dir" "$TF_CACHE/linode-plugin-mirror"

# --- Linters -------------------------------------------------------------------------------------
go_tool tflint github.com/terraform-linters/tflint "$TFLINT_VERSION"
checkov_venv="$(python_venv checkov "$REPO_ROOT/terraform/requirements-checkov.txt")"
ln -sfn "$checkov_venv/bin/checkov" "$TOOLS_BIN/checkov"
