/**
 * Terraform variables for one environment: `terraform/environments/<env>/platform.auto.tfvars.json`.
 *
 * The environment root (terraform/environments/<env>/variables.tf) declares exactly these
 * variables; Terraform loads `*.auto.tfvars.json` by itself, so sizes, counts and addresses are
 * typed once, in apps/environments/<env>.ts. SSH public keys are not part of the config and are
 * supplied to Terraform separately (see docs/terraform.md).
 */
import { ConfigError, LINODE_PLANS, type ConfigProblem, type LoadedEnvironment } from '../config/index.js';
import type { GeneratedFile, Generator } from './types.js';

/** The shape of the tfvars file: snake_case, as the Terraform variables declare it. */
export interface TerraformVars {
  readonly environment: string;
  readonly region: string;
  readonly network: {
    readonly vpc_label: string;
    readonly cluster_subnet: string;
    readonly database_subnet: string;
    readonly admin_cidrs: readonly string[];
  };
  readonly cluster: {
    readonly label: string;
    readonly kubernetes_version: string;
    readonly high_availability: boolean;
    readonly pools: readonly {
      readonly name: string;
      readonly type: string;
      readonly min: number;
      readonly max: number;
      readonly labels: Readonly<Record<string, string>>;
    }[];
  };
  readonly database: {
    readonly plan: string;
    readonly primary: { readonly name: string; readonly private_ip: string };
    readonly replicas: readonly { readonly name: string; readonly private_ip: string }[];
    readonly backup_retention_days: number;
  };
}

export function terraformVarsPath(envName: string): string {
  return `terraform/environments/${envName}/platform.auto.tfvars.json`;
}

/** Plans Terraform would reject only at apply time (or bill wrongly) are caught here, by field. */
function checkPlans(env: LoadedEnvironment): void {
  const { cluster, database } = env.config;
  const problems: ConfigProblem[] = [];
  cluster.pools.forEach((pool, i) => {
    if (!LINODE_PLANS[pool.type]) {
      problems.push({ path: `cluster.pools[${i}].type`, reason: `"${pool.type}" is not a known Linode plan (apps/config/linode-plans.ts)` });
    }
  });
  const dbPlan = LINODE_PLANS[database.plan];
  if (!dbPlan) {
    problems.push({ path: 'database.plan', reason: `"${database.plan}" is not a known Linode plan (apps/config/linode-plans.ts)` });
  } else if (!dbPlan.dedicated) {
    problems.push({ path: 'database.plan', reason: `"${database.plan}" is a shared CPU plan; the database VMs need a Dedicated CPU plan` });
  }
  if (problems.length > 0) throw new ConfigError(env.file, env.name, problems);
}

export function terraformVars(env: LoadedEnvironment): TerraformVars {
  checkPlans(env);
  const { cluster, network, database } = env.config;
  return {
    environment: env.name,
    region: cluster.region,
    network: {
      vpc_label: network.vpcLabel,
      cluster_subnet: network.clusterSubnet,
      database_subnet: network.databaseSubnet,
      admin_cidrs: [...network.adminCidrs],
    },
    cluster: {
      label: cluster.label,
      kubernetes_version: cluster.kubernetesVersion,
      high_availability: cluster.highAvailability,
      pools: cluster.pools.map((pool) => ({
        name: pool.name,
        type: pool.type,
        min: pool.min,
        max: pool.max,
        labels: { ...(pool.labels ?? {}) },
      })),
    },
    database: {
      plan: database.plan,
      primary: { name: database.primary.name, private_ip: database.primary.privateIp },
      replicas: database.replicas.map((r) => ({ name: r.name, private_ip: r.privateIp })),
      backup_retention_days: database.backupRetentionDays,
    },
  };
}

export const terraformVarsFile: Generator = (env): GeneratedFile[] => [
  {
    path: terraformVarsPath(env.name),
    // JSON has no comments and an extra key would be an undeclared variable to Terraform: the
    // "generated, do not edit" notice lives in the root's variables.tf instead.
    content: `${JSON.stringify(terraformVars(env), null, 2)}\n`,
  },
];
