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

# --- The Linode provider as a plugin mirror for `terraform init -plugin-dir` --------------------
# First choice: the real provider built from the Go module proxy. The proxy refuses that module
# (403 "not available", checked 2026-11), so the fallback is the schema stand-in in
# terraform/provider-stub/: the provider's v3 schema for the resources this repo uses, served by a
# small plugin that can validate but never create anything. See docs/terraform.md.
plugin_path="registry.terraform.io/linode/linode/$LINODE_PROVIDER_VERSION/linux_amd64/terraform-provider-linode_v$LINODE_PROVIDER_VERSION"
real_dir="$TF_CACHE/linode-real-$LINODE_PROVIDER_VERSION"
stub_hash="$(cat "$REPO_ROOT"/terraform/provider-stub/{go.mod,go.sum,main.go,schema.json} | sha256sum | cut -c1-12)"
stub_dir="$TF_CACHE/linode-stub-$LINODE_PROVIDER_VERSION-$stub_hash"

if [ ! -x "$real_dir/$plugin_path" ] && [ ! -f "$real_dir.refused" ]; then
  log "trying the real terraform-provider-linode v$LINODE_PROVIDER_VERSION from the Go module proxy"
  if GOBIN="$real_dir/bin" go install "github.com/linode/terraform-provider-linode/v3@v$LINODE_PROVIDER_VERSION" 2>"$TF_CACHE/real-provider.log"; then
    mkdir -p "$(dirname "$real_dir/$plugin_path")"
    mv "$real_dir/bin/terraform-provider-linode" "$real_dir/$plugin_path"
  elif grep -q 'not available\|403' "$TF_CACHE/real-provider.log"; then
    # Refused by the proxy (not a network blip): remember it, so later runs stay fast.
    touch "$real_dir.refused"
    log "the Go module proxy refuses terraform-provider-linode; using the schema stand-in"
  fi
fi

if [ -x "$real_dir/$plugin_path" ]; then
  plugin_dir="$real_dir"
  echo real >"$TF_CACHE/linode-provider-kind"
else
  if [ ! -x "$stub_dir/$plugin_path" ]; then
    log "building the Linode provider schema stand-in ($stub_hash)"
    mkdir -p "$(dirname "$stub_dir/$plugin_path")"
    (cd "$REPO_ROOT/terraform/provider-stub" && go build -trimpath -o "$stub_dir/$plugin_path" .)
  fi
  plugin_dir="$stub_dir"
  echo "schema stand-in ($stub_hash)" >"$TF_CACHE/linode-provider-kind"
fi
# OpenTofu resolves `linode/linode` to registry.opentofu.org: the mirror answers for both hosts.
tofu_path="${plugin_path/registry.terraform.io/registry.opentofu.org}"
mkdir -p "$(dirname "$plugin_dir/$tofu_path")"
ln -f "$plugin_dir/$plugin_path" "$plugin_dir/$tofu_path"
ln -sfn "$plugin_dir" "$TF_CACHE/plugin-dir"

# --- Linters -------------------------------------------------------------------------------------
go_tool tflint github.com/terraform-linters/tflint "$TFLINT_VERSION"
checkov_venv="$(python_venv checkov "$REPO_ROOT/terraform/requirements-checkov.txt")"
ln -sfn "$checkov_venv/bin/checkov" "$TOOLS_BIN/checkov"
