/**
 * Ansible inventory for the MariaDB VMs of one environment: `ansible/inventories/<env>/hosts.yml`.
 *
 * Only values that come from the environment config live here (hosts, private IPs, roles, sizing,
 * subnets); everything else is role defaults or `ansible/group_vars/`. Secrets never do: they come
 * from an Ansible Vault file beside the inventory (see docs/database.md).
 */
import { stringify } from 'yaml';
import { DATABASE_CHARSET, DATABASE_USERS, SERVICE_NAMES, serviceDnsNames } from '../../charts/lib/names.js';
import { MIGRATION_CONNECTIONS } from '../../charts/rules/capacity-rules.js';
import {
  binlogRetentionSeconds, ConfigError, databaseWaitTimeoutSeconds, ipToInt, parseCidr,
  type DbHost, type EnvironmentConfig, type LoadedEnvironment,
} from '../config/index.js';
import { generatedHeader, type GeneratedFile, type Generator } from './types.js';

/** mysqld_exporter and node_exporter ports, bound to each host's private IP. */
export const MYSQLD_EXPORTER_PORT = 9104;
export const NODE_EXPORTER_PORT = 9100;

/** `10.0.0.0/24` -> `10.0.0.0/255.255.255.0`: the host pattern MariaDB accepts for a subnet. */
export function mariadbHostPattern(cidr: string): string {
  const { base, prefix } = parseCidr(cidr);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${intToIp(base)}/${intToIp(mask)}`;
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

/** server_id derived from the private IP: unique inside the VPC and stable when hosts are added. */
export function serverId(privateIp: string): number {
  return ipToInt(privateIp);
}

/**
 * Every name the app dials for the database: both Services (a replica can be promoted, so every
 * host carries both), in each form cluster DNS resolves. Each server certificate lists them.
 */
export function databaseTlsServerNames(config: EnvironmentConfig): string[] {
  return [SERVICE_NAMES.dbWrite, SERVICE_NAMES.dbRead].flatMap((svc) => serviceDnsNames(svc, config.namespace));
}

function hostVars(host: DbHost): Record<string, unknown> {
  return {
    ansible_host: host.privateIp,
    mariadb_private_ip: host.privateIp,
    mariadb_server_id: serverId(host.privateIp),
    mariadb_exporter_listen_address: `${host.privateIp}:${MYSQLD_EXPORTER_PORT}`,
    base_node_exporter_listen_address: `${host.privateIp}:${NODE_EXPORTER_PORT}`,
  };
}

function assertDistinct(env: LoadedEnvironment, hosts: { path: string; host: DbHost }[]): void {
  const problems: { path: string; reason: string }[] = [];
  const seen = new Map<string, string>();
  for (const { path, host } of hosts) {
    for (const [field, value] of [['name', host.name], ['privateIp', host.privateIp]] as const) {
      const earlier = seen.get(`${field}=${value}`);
      if (earlier) problems.push({ path: `${path}.${field}`, reason: `"${value}" is already used by ${earlier}` });
      else seen.set(`${field}=${value}`, path);
    }
  }
  if (problems.length > 0) throw new ConfigError(env.file, env.name, problems);
}

export const ansibleInventory: Generator = (env) => {
  const { database, network } = env.config;
  const hosts = [
    { path: 'database.primary', host: database.primary },
    ...database.replicas.map((host, i) => ({ path: `database.replicas[${i}]`, host })),
  ];
  assertDistinct(env, hosts);

  const inventory = {
    all: {
      children: {
        mariadb: {
          vars: {
            platform_environment: env.name,
            mariadb_version: database.version,
            mariadb_schema: database.schema,
            mariadb_max_connections: database.maxConnections,
            // The app user may never take the connections kept for admins, replication, exporter.
            mariadb_app_max_user_connections: database.maxConnections - database.adminConnectionReserve,
            mariadb_buffer_pool_fraction: database.bufferPoolFraction,
            mariadb_backup_retention_days: database.backupRetentionDays,
            // Point-in-time recovery: binlogs shipped every RPO minutes, kept longer than backups.
            mariadb_recovery_point_objective_minutes: database.recoveryPointObjectiveMinutes,
            mariadb_binlog_expire_seconds: binlogRetentionSeconds(env.config),
            // Idle connections outlive the longest job (apps/config/database-rules.ts).
            mariadb_wait_timeout: databaseWaitTimeoutSeconds(env.config),
            mariadb_interactive_timeout: databaseWaitTimeoutSeconds(env.config),
            mariadb_character_set: DATABASE_CHARSET.charset,
            mariadb_collation: DATABASE_CHARSET.collation,
            // The accounts the pods log in with (charts/lib/names.ts).
            mariadb_app_user: DATABASE_USERS.runtime,
            mariadb_migration_user: DATABASE_USERS.migration,
            mariadb_migration_max_user_connections: MIGRATION_CONNECTIONS,
            // Subject alternative names of every server certificate, besides its IP and hostname.
            mariadb_tls_server_names: databaseTlsServerNames(env.config),
            // Host patterns for users: the app connects from the cluster's subnet only.
            mariadb_app_host_patterns: [mariadbHostPattern(network.clusterSubnet)],
            mariadb_replication_host_patterns: database.replicas.map((r) => r.privateIp),
            mariadb_primary_address: database.primary.privateIp,
            // The host firewall mirrors the Cloud Firewall: same ports, same sources.
            base_firewall_allowed: [
              { port: 22, sources: [...network.adminCidrs], comment: 'ssh from admin networks' },
              { port: 3306, sources: [network.clusterSubnet, network.databaseSubnet], comment: 'mariadb from the cluster and the other db hosts' },
              { port: MYSQLD_EXPORTER_PORT, sources: [network.clusterSubnet], comment: 'mysqld_exporter for Prometheus' },
              { port: NODE_EXPORTER_PORT, sources: [network.clusterSubnet], comment: 'node_exporter for Prometheus' },
            ],
          },
          children: {
            mariadb_primary: { hosts: { [database.primary.name]: hostVars(database.primary) } },
            mariadb_replicas: {
              hosts: Object.fromEntries(database.replicas.map((r) => [r.name, hostVars(r)])),
            },
          },
        },
      },
    },
  };

  const content =
    generatedHeader('#', env.file) + '# Secrets: ansible/inventories/' + env.name + '/group_vars/all/vault.yml (Ansible Vault).\n' +
    stringify(inventory, { lineWidth: 0 });
  return [{ path: `ansible/inventories/${env.name}/hosts.yml`, content } satisfies GeneratedFile];
};
