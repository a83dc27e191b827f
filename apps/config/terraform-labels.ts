/**
 * Labels that Terraform builds from config values, as terraform/modules/<module>/main.tf
 * interpolates them (`var.name` is the environment name). The provider rules check these built
 * strings; the plan check in tests/suites/50-terraform.sh compares them with the labels of the
 * planned resources, so an edit of either side alone fails the suite.
 */
import type { EnvironmentConfig } from './schema.js';

export interface BuiltLabel {
  /** Resource address in the root module's plan. */
  readonly address: string;
  /** Resource type, which decides the provider's limits. */
  readonly type: 'linode_firewall' | 'linode_instance';
  readonly label: string;
  /** Config field(s) the label is built from, for error messages. */
  readonly from: string;
}

export function builtTerraformLabels(config: EnvironmentConfig): BuiltLabel[] {
  const name = config.name;
  const hosts = [
    { host: config.database.primary, path: 'database.primary.name' },
    ...config.database.replicas.map((host, i) => ({ host, path: `database.replicas[${i}].name` })),
  ];
  return [
    // modules/lke-cluster/main.tf: label = "${var.name}-lke-nodes"
    { address: 'module.lke_cluster.linode_firewall.nodes', type: 'linode_firewall', label: `${name}-lke-nodes`, from: 'name' },
    // modules/database-vms/main.tf: label = "${var.name}-database"
    { address: 'module.database_vms.linode_firewall.database', type: 'linode_firewall', label: `${name}-database`, from: 'name' },
    // modules/database-vms/main.tf: label = "${var.name}-${each.key}", one per host
    ...hosts.map(({ host, path }) => ({
      address: `module.database_vms.linode_instance.db["${host.name}"]`,
      type: 'linode_instance' as const,
      label: `${name}-${host.name}`,
      from: `name + ${path}`,
    })),
  ];
}
