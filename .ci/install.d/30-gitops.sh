#!/usr/bin/env bash
# GitOps tools: sops and age (secret encryption, tested with a throwaway key), actionlint
# (the GitHub workflows).
source "$(dirname "$0")/../lib.sh"
go_tool sops github.com/getsops/sops/v3/cmd/sops v3.13.3
go_tool age filippo.io/age/cmd/age v1.3.2
go_tool age-keygen filippo.io/age/cmd/age-keygen v1.3.2
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint v1.7.12
