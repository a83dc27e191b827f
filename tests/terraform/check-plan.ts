/**
 * Checks a real-provider `terraform show -json` plan of one environment root against that
 * environment's generated tfvars and config: node pool bounds, the HA control plane and its ACL,
 * the firewall rules' sources, the DB VMs' plan and fixed VPC IPs, and every label the config
 * rules check (apps/config/terraform-labels.ts). Expectations come from the tfvars, never from
 * constants here. Prints every mismatch and exits 1 on any.
 *
 * Usage: npx tsx tests/terraform/check-plan.ts ENV PLAN_JSON TFVARS_JSON
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { builtTerraformLabels } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import type { TerraformVars } from '../../apps/generators/terraform-vars.js';

type Values = Record<string, any>;

const [envName, planFile, tfvarsFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { resource_changes: { address: string; change: { actions: string[]; after: Values } }[] };
const vars = JSON.parse(readFileSync(tfvarsFile, 'utf8')) as TerraformVars;
const env = (await loadEnvironments()).find((e) => e.name === envName);
if (!env) throw new Error(`no environment "${envName}" in apps/environments`);

const problems: string[] = [];
const expectEqual = (what: string, actual: unknown, expected: unknown) => {
  if (!isDeepStrictEqual(actual, expected)) {
    problems.push(`${what}: planned ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
};
const planned = (address: string): Values => {
  const change = plan.resource_changes.find((r) => r.address === address);
  if (!change) {
    problems.push(`${address}: not in the plan`);
    return {};
  }
  expectEqual(`${address} actions`, change.change.actions, ['create']);
  return change.change.after;
};
/** Firewall rules by label: sources and ports. */
const rules = (firewall: Values) =>
  new Map<string, Values>((firewall.inbound ?? []).map((r: Values) => [r.label, r]));

// --- Cluster: HA, ACL, pool bounds ----------------------------------------------------------
const cluster = planned('module.lke_cluster.linode_lke_cluster.this');
expectEqual('cluster label', cluster.label, vars.cluster.label);
expectEqual('cluster k8s_version', cluster.k8s_version, vars.cluster.kubernetes_version);
expectEqual('cluster high_availability', cluster.control_plane?.[0]?.high_availability, vars.cluster.high_availability);
expectEqual('control-plane ACL', cluster.control_plane?.[0]?.acl?.[0]?.addresses?.[0]?.ipv4, vars.network.admin_cidrs);
expectEqual(
  'node pools (label, type, autoscaler min/max)',
  (cluster.pool ?? []).map((p: Values) => ({ label: p.label, type: p.type, min: p.autoscaler?.[0]?.min, max: p.autoscaler?.[0]?.max })),
  vars.cluster.pools.map((p) => ({ label: p.name, type: p.type, min: p.min, max: p.max })),
);

// --- Firewalls: inbound DROP, each rule's sources from the tfvars --------------------------
const nodeFirewall = planned('module.lke_cluster.linode_firewall.nodes');
expectEqual('node firewall inbound_policy', nodeFirewall.inbound_policy, 'DROP');
expectEqual('node firewall: cluster subnet rule', rules(nodeFirewall).get('all-tcp-from-cluster-subnet')?.ipv4, [vars.network.cluster_subnet]);

const dbFirewall = planned('module.database_vms.linode_firewall.database');
const dbRules = rules(dbFirewall);
const dbHosts = [vars.database.primary, ...vars.database.replicas];
expectEqual('DB firewall inbound_policy', dbFirewall.inbound_policy, 'DROP');
expectEqual('DB firewall: MySQL from the cluster', dbRules.get('mysql-from-cluster')?.ipv4, [vars.network.cluster_subnet]);
expectEqual('DB firewall: exporters from the cluster', dbRules.get('exporters-from-cluster')?.ipv4, [vars.network.cluster_subnet]);
expectEqual(
  'DB firewall: replication between the DB VMs',
  [...(dbRules.get('mysql-replication-between-db-vms')?.ipv4 ?? [])].sort(),
  dbHosts.map((h) => `${h.private_ip}/32`).sort(),
);
expectEqual('DB firewall: SSH from the admins', dbRules.get('ssh-from-admins')?.ipv4, vars.network.admin_cidrs);
for (const [label, rule] of [...dbRules, ...rules(nodeFirewall)]) {
  if ((rule.ipv4 ?? []).includes('0.0.0.0/0')) problems.push(`firewall rule ${label} admits 0.0.0.0/0`);
}

// --- DB VMs: plan, fixed VPC IP, disk encryption -------------------------------------------
for (const host of dbHosts) {
  const vm = planned(`module.database_vms.linode_instance.db["${host.name}"]`);
  const vpc = (vm.interface ?? []).find((i: Values) => i.purpose === 'vpc');
  expectEqual(`${host.name} VPC IP`, vpc?.ipv4?.[0]?.vpc, host.private_ip);
  expectEqual(`${host.name} plan`, vm.type, vars.database.plan);
  expectEqual(`${host.name} disk_encryption`, vm.disk_encryption, 'enabled');
}
const vmCount = plan.resource_changes.filter((r) => r.address.startsWith('module.database_vms.linode_instance.db[')).length;
expectEqual('DB VM count', vmCount, dbHosts.length);

// --- Labels the config rules check equal the planned ones ----------------------------------
for (const built of builtTerraformLabels(env.config)) {
  expectEqual(`${built.address} label`, planned(built.address).label, built.label);
}

if (problems.length > 0) {
  console.error(`plan of ${envName} does not match ${tfvarsFile}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `plan of ${envName}: ${plan.resource_changes.length} resources; pools ` +
    vars.cluster.pools.map((p) => `${p.name} ${p.min}-${p.max}`).join(', ') +
    `; DB IPs ${dbHosts.map((h) => h.private_ip).join(', ')}; firewall sources and labels match`,
);
