/**
 * Linode list prices the cost report needs beyond the plan prices in apps/config/linode-plans.ts
 * (LINODE_PLANS, dated by its PRICES_CHECKED). USD per month, region us-east (no regional
 * surcharge). Sources, checked 2026-11:
 * - https://www.linode.com/pricing/ (LKE HA control plane, NodeBalancer, Block Storage, Object
 *   Storage, Backups tables; a capture dated 2025-08-19 and the plan catalog below agree)
 * - https://api.linode.com/v4/linode/types (addons.backups.price per plan),
 *   https://api.linode.com/v4/volumes/types, /v4/nodebalancers/types, /v4/lke/types,
 *   /v4/object-storage/types: Linode's unauthenticated price catalog.
 * Change a figure here together with SERVICE_PRICES_CHECKED, then `npm run synth` (it rewrites docs/cost.md).
 */
export const SERVICE_PRICES_CHECKED = '2026-11-27';

export interface ServicePrices {
  /** LKE high-availability control plane, per cluster (the standard control plane is free). */
  readonly haControlPlaneUsd: number;
  /** One NodeBalancer (about 10,000 concurrent connections). */
  readonly nodeBalancerUsd: number;
  /** Block Storage, per GiB-month (volumes from 10 GiB). */
  readonly blockStorageUsdPerGiB: number;
  /** Object Storage base subscription: 250 GB stored and 1 TB outbound transfer included. */
  readonly objectStorageBaseUsd: number;
  /**
   * Linode Backups add-on per plan. It follows the plan's disk size, not its price: 5 USD per
   * 80 GB disk (Dedicated 16 GB, 144 USD, costs 20 USD = 13.9%; Shared 2 GB costs 2.50 USD).
   * The often-quoted "25% of the plan" holds for no plan in this table.
   */
  readonly backupsUsdByPlan: Readonly<Record<string, number>>;
}

export const SERVICE_PRICES: ServicePrices = {
  haControlPlaneUsd: 60,
  nodeBalancerUsd: 10,
  blockStorageUsdPerGiB: 0.1,
  objectStorageBaseUsd: 5,
  backupsUsdByPlan: {
    'g6-standard-1': 2.5,
    'g6-standard-2': 5,
    'g6-standard-4': 10,
    'g6-standard-6': 20,
    'g6-standard-8': 40,
    'g6-dedicated-2': 5,
    'g6-dedicated-4': 10,
    'g6-dedicated-8': 20,
    'g6-dedicated-16': 40,
    'g6-dedicated-32': 80,
  },
};
