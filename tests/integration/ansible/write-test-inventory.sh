#!/usr/bin/env bash
# Writes the converge test's inventory into WORK: three chroot hosts (primary 127.0.0.2, replicas
# 127.0.0.3 and 127.0.0.4), throwaway passwords in an Ansible Vault file encrypted with a
# throwaway vault password, and secrets.env for the test's own clients. Nothing lands in git.
# Usage: write-test-inventory.sh WORK
set -euo pipefail
work="${1:?usage: $0 WORK}"
inv="$work/inventory"
mkdir -p "$inv/group_vars/all"

secret() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }
umask 077
secret >"$work/vault-pass"
cat >"$work/secrets.env" <<VARS
APP_PASSWORD=$(secret)
MIGRATION_PASSWORD=$(secret)
READONLY_PASSWORD=$(secret)
REPLICATION_PASSWORD=$(secret)
EXPORTER_PASSWORD=$(secret)
VARS
# shellcheck source=/dev/null
source "$work/secrets.env"
cat >"$inv/group_vars/all/vault.yml" <<VARS
vault_mariadb_app_password: "$APP_PASSWORD"
vault_mariadb_migration_password: "$MIGRATION_PASSWORD"
vault_mariadb_readonly_password: "$READONLY_PASSWORD"
vault_mariadb_replication_password: "$REPLICATION_PASSWORD"
vault_mariadb_exporter_password: "$EXPORTER_PASSWORD"
VARS
ansible-vault encrypt --vault-password-file "$work/vault-pass" "$inv/group_vars/all/vault.yml" >/dev/null

GENERATED_VARS=mariadb_tls_server_names,mariadb_app_user,mariadb_migration_user,mariadb_migration_max_user_connections,mariadb_character_set,mariadb_collation,mariadb_wait_timeout,mariadb_interactive_timeout,mariadb_recovery_point_objective_minutes,mariadb_backup_retention_days,mariadb_binlog_expire_seconds

host() { # name ip
  cat <<HOST
            $1:
              ansible_host: $work/$1
              mariadb_private_ip: $2
              mariadb_server_id: $(echo "$2" | awk -F. '{print ($1*16777216)+($2*65536)+($3*256)+$4}')
              mariadb_exporter_listen_address: $2:9104
              base_node_exporter_listen_address: $2:9100
HOST
}

cat >"$inv/hosts.yml" <<YAML
# Test inventory: same shape as the generated ansible/inventories/<env>/hosts.yml, with chroot
# hosts and loopback addresses. Only the knobs below differ from a real environment.
all:
  children:
    mariadb:
      vars:
        platform_environment: converge-test
        ansible_connection: community.general.chroot
        ansible_python_interpreter: /usr/bin/python3
        # No systemd in a chroot: Debian's sysv init scripts start the services, and the base
        # role renders + syntax-checks sshd and nftables configs without (re)loading them.
        mariadb_service_manager: sysvinit
        base_manage_services: false
        # A small VM's worth of memory (the host's 24 GiB would make the sizing meaningless).
        mariadb_ram_mb: 2048
        mariadb_vcpus: 2
        mariadb_buffer_pool_fraction: 0.5
        mariadb_max_connections: 80
        mariadb_app_max_user_connections: 70
        mariadb_schema: marketplace
        mariadb_primary_address: 127.0.0.2
        mariadb_app_host_patterns: ["127.0.0.0/255.0.0.0"]
        # The replicas' addresses, plus 127.0.0.1: on loopback Linux picks 127.0.0.1 as the source
        # address and MariaDB has no MASTER_BIND, so the primary sees replicas arrive from there.
        mariadb_replication_host_patterns: ["127.0.0.3", "127.0.0.4", "127.0.0.1"]
        mariadb_tls_controller_dir: $work/tls
        mariadb_backup_destination: /var/backups/object-storage
        # Taken as generated for production: the names the app dials, users, character set,
        # timeouts, recovery point objective and retention.
$(node "$(dirname "$0")/generated-values.mjs" inventory-yaml production "$GENERATED_VARS" | sed 's/^/        /')
        base_firewall_allowed:
          - {port: 22, sources: ["203.0.113.0/28"], comment: "ssh from admin networks"}
          - {port: 3306, sources: ["10.0.0.0/24", "10.0.1.0/24"], comment: "mariadb from the cluster and the other db hosts"}
          - {port: 9104, sources: ["10.0.0.0/24"], comment: "mysqld_exporter for Prometheus"}
          - {port: 9100, sources: ["10.0.0.0/24"], comment: "node_exporter for Prometheus"}
      children:
        mariadb_primary:
          hosts:
$(host primary 127.0.0.2)
        mariadb_replicas:
          hosts:
$(host replica1 127.0.0.3)
$(host replica2 127.0.0.4)
YAML
