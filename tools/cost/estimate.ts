/**
 * The monthly Linode bill of one environment at its minimum and at its maximum scale, computed
 * from the environment config and the dated price tables. Pure: no I/O. Money is summed in
 * cents so totals are exact.
 */
import { LINODE_PLANS, PRICES_CHECKED, type EnvironmentConfig, type NodePool } from '../../apps/config/index.js';
import { DEFAULT_REDIS_STORAGE_GIB, redisInstances } from '../../charts/lib/redis-instances.js';
import { SERVICE_PRICES, SERVICE_PRICES_CHECKED, type ServicePrices } from './prices.js';

/** The parts of an environment that cost money. */
export type CostInput = Pick<EnvironmentConfig, 'name' | 'cluster' | 'capacity' | 'meilisearch' | 'redis' | 'database'>;

export interface CostLine {
  /** What is billed, e.g. "LKE node pool general (g6-standard-6)". */
  readonly item: string;
  /** Unit of the quantity: "node", "VM", "GiB", ... */
  readonly unit: string;
  readonly unitUsd: number;
  readonly quantityMin: number;
  readonly quantityMax: number;
  readonly minUsd: number;
  readonly maxUsd: number;
}

export interface CostEstimate {
  readonly environment: string;
  readonly pricesChecked: { readonly plans: string; readonly services: string };
  readonly lines: readonly CostLine[];
  readonly totalMinUsd: number;
  readonly totalMaxUsd: number;
}

/** Thrown when the config names something the price tables do not know. */
export class CostError extends Error {
  override readonly name = 'CostError';
}

const cents = (usd: number): number => Math.round(usd * 100);

function line(item: string, unit: string, unitUsd: number, quantityMin: number, quantityMax: number): CostLine {
  return {
    item, unit, unitUsd, quantityMin, quantityMax,
    minUsd: (cents(unitUsd) * quantityMin) / 100,
    maxUsd: (cents(unitUsd) * quantityMax) / 100,
  };
}

function planPrice(plan: string, field: string, environment: string): number {
  const found = LINODE_PLANS[plan];
  if (!found) {
    throw new CostError(`${environment}: ${field} "${plan}" has no price in apps/config/linode-plans.ts (LINODE_PLANS)`);
  }
  return found.monthlyUsd;
}

export function estimateCost(config: CostInput, prices: ServicePrices = SERVICE_PRICES): CostEstimate {
  const env = config.name;
  const lines: CostLine[] = [];

  config.cluster.pools.forEach((pool: NodePool, i: number) => {
    const unitUsd = planPrice(pool.type, `cluster.pools[${i}].type`, env);
    lines.push(line(`LKE node pool ${pool.name} (${pool.type})`, 'node', unitUsd, pool.min, pool.max));
  });
  if (config.cluster.highAvailability) {
    lines.push(line('LKE HA control plane', 'cluster', prices.haControlPlaneUsd, 1, 1));
  }
  // The Gateway's one LoadBalancer Service per NodeBalancer carries web and websockets together
  // (charts/flux/gateway-chart.ts), so the count is capacity.nodeBalancers at every scale.
  lines.push(line('NodeBalancers (Gateway: web + websockets)', 'NodeBalancer', prices.nodeBalancerUsd,
    config.capacity.nodeBalancers, config.capacity.nodeBalancers));

  const volumes: Array<[string, number]> = [['Meilisearch', config.meilisearch.storageGiB]];
  for (const instance of redisInstances(config as EnvironmentConfig)) {
    if (instance.persistent) {
      volumes.push([`Redis ${instance.role}`, instance.settings.storageGiB ?? DEFAULT_REDIS_STORAGE_GIB]);
    }
  }
  for (const [what, gib] of volumes) {
    lines.push(line(`Block Storage volume: ${what}`, 'GiB', prices.blockStorageUsdPerGiB, gib, gib));
  }

  const db = config.database;
  const vms = 1 + db.replicas.length;
  lines.push(line(`DB VMs: primary + ${db.replicas.length} replica(s) (${db.plan})`, 'VM',
    planPrice(db.plan, 'database.plan', env), vms, vms));
  const backupUsd = prices.backupsUsdByPlan[db.plan];
  if (backupUsd === undefined) {
    throw new CostError(`${env}: database.plan "${db.plan}" has no Backups price in tools/cost/prices.ts (backupsUsdByPlan)`);
  }
  // terraform/modules/database-vms enables Linode Backups on every DB VM.
  lines.push(line(`Linode Backups for the DB VMs (${db.plan})`, 'VM', backupUsd, vms, vms));
  lines.push(line('Object Storage (DB backup bucket; 250 GB, 1 TB egress included)', 'subscription',
    prices.objectStorageBaseUsd, 1, 1));

  const sum = (pick: (l: CostLine) => number): number => lines.reduce((acc, l) => acc + cents(pick(l)), 0) / 100;
  return {
    environment: env,
    pricesChecked: { plans: PRICES_CHECKED, services: SERVICE_PRICES_CHECKED },
    lines,
    totalMinUsd: sum((l) => l.minUsd),
    totalMaxUsd: sum((l) => l.maxUsd),
  };
}
