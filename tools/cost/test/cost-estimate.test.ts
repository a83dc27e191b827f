import { describe, expect, it } from 'vitest';
import { CostError, estimateCost, type CostInput } from '../estimate.js';
import { SERVICE_PRICES } from '../prices.js';

// A small hand-built environment: figures below are worked out by hand from the price tables
// (g6-standard-2 24, g6-standard-4 48, g6-dedicated-4 72 + backups 10, HA 60, NB 10, 0.10/GiB).
const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } };
function smallConfig(): CostInput {
  return {
    name: 'tiny',
    cluster: {
      label: 'tiny', region: 'us-east', kubernetesVersion: '1.34', highAvailability: true,
      pools: [
        { name: 'web', type: 'g6-standard-2', min: 2, max: 5 },
        { name: 'data', type: 'g6-standard-4', min: 1, max: 1 },
      ],
    },
    capacity: { peakConcurrentUsers: 100, eventsPerUserPerMinute: 10, nodeBalancers: 2, connectionsPerNodeBalancer: 10000 },
    meilisearch: { resources, storageGiB: 25, snapshotIntervalSeconds: 3600 },
    redis: {
      merged: false,
      cache: { resources, maxmemoryMiB: 64 },
      queue: { resources, maxmemoryMiB: 64, storageGiB: 15 },
    },
    database: {
      engine: 'mariadb', version: '11.8', plan: 'g6-dedicated-4',
      primary: { name: 'db-primary', privateIp: '10.0.1.10' },
      replicas: [{ name: 'db-replica-1', privateIp: '10.0.1.11' }, { name: 'db-replica-2', privateIp: '10.0.1.12' }],
      maxConnections: 100, bufferPoolFraction: 0.5, schema: 'app', backupRetentionDays: 7, adminConnectionReserve: 10,
    },
  } as CostInput;
}

describe('estimateCost', () => {
  it('prices every line at min and max scale and sums them exactly', () => {
    const estimate = estimateCost(smallConfig());
    expect(estimate.lines.map((l) => [l.item, l.minUsd, l.maxUsd])).toEqual([
      ['LKE node pool web (g6-standard-2)', 48, 120],
      ['LKE node pool data (g6-standard-4)', 48, 48],
      ['LKE HA control plane', 60, 60],
      ['NodeBalancers (Gateway: web + websockets)', 20, 20],
      ['Block Storage volume: Meilisearch', 2.5, 2.5],
      ['Block Storage volume: Redis queue', 1.5, 1.5],
      ['DB VMs: primary + 2 replica(s) (g6-dedicated-4)', 216, 216],
      ['Linode Backups for the DB VMs (g6-dedicated-4)', 30, 30],
      ['Object Storage (DB backup bucket; 250 GB, 1 TB egress included)', 5, 5],
    ]);
    // 48+48+60+20+2.5+1.5+216+30+5 = 431; max adds 3 more web nodes x 24 = 72.
    expect(estimate.totalMinUsd).toBe(431);
    expect(estimate.totalMaxUsd).toBe(503);
  });

  it('drops the HA control plane when it is off and the cache volume-less Redis when merged', () => {
    const config = smallConfig();
    const estimate = estimateCost({
      ...config,
      cluster: { ...config.cluster, highAvailability: false },
      redis: { ...config.redis, merged: true },
    });
    const items = estimate.lines.map((l) => l.item);
    expect(items).not.toContain('LKE HA control plane');
    expect(items.filter((i) => i.startsWith('Block Storage'))).toEqual([
      'Block Storage volume: Meilisearch',
      'Block Storage volume: Redis queue',
    ]);
    expect(estimate.totalMinUsd).toBe(371);
  });

  it('keeps cents exact where floating point would not (0.10 USD x 3 GiB steps)', () => {
    const config = smallConfig();
    const estimate = estimateCost({ ...config, meilisearch: { ...config.meilisearch, storageGiB: 33 } });
    expect(estimate.lines.find((l) => l.item.includes('Meilisearch'))?.minUsd).toBe(3.3);
    expect(estimate.totalMinUsd).toBe(431.8);
  });

  it('uses the prices it is given', () => {
    const estimate = estimateCost(smallConfig(), { ...SERVICE_PRICES, haControlPlaneUsd: 100 });
    expect(estimate.totalMinUsd).toBe(471);
  });

  it('names the field when a plan has no price', () => {
    const config = smallConfig();
    const pools = [{ name: 'web', type: 'g6-standard-99', min: 1, max: 2 }];
    expect(() => estimateCost({ ...config, cluster: { ...config.cluster, pools } })).toThrow(
      'tiny: cluster.pools[0].type "g6-standard-99" has no price in apps/config/linode-plans.ts (LINODE_PLANS)',
    );
    expect(() => estimateCost({ ...config, database: { ...config.database, plan: 'g6-dedicated-99' } })).toThrow(CostError);
  });
});
