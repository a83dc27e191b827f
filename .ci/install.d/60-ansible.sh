#!/usr/bin/env bash
# Ansible + ansible-lint (PyPI, pinned in ansible/requirements.txt, venv keyed by its hash) and the
# Debian tools the MariaDB converge test and benchmark need on the controller.
source "$(dirname "$0")/../lib.sh"

# debootstrap builds the Debian 13 test root filesystems; sysbench drives the benchmark; curl and ss
# (iproute2) are used by the converge assertions; php8.2-cli + php8.2-mysql connect exactly as the
# app's PDO does (the TLS seam test).
apt_install debootstrap sysbench curl iproute2 php8.2-cli php8.2-mysql
venv="$(python_venv ansible "$REPO_ROOT/ansible/requirements.txt")"
for tool in ansible ansible-playbook ansible-lint ansible-vault ansible-inventory ansible-config; do
  ln -sfn "$venv/bin/$tool" "$TOOLS_BIN/$tool"
done
