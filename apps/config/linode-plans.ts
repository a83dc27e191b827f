/**
 * Linode plans the platform may use, with the figures capacity checks and the cost report need.
 * Prices are USD per month as listed on Linode's pricing page, checked 2026-11 (see
 * docs/decisions for sources). Update `PRICES_CHECKED` when you change a price.
 */
export const PRICES_CHECKED = '2026-11-01';

export interface LinodePlan {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  readonly monthlyUsd: number;
  readonly dedicated: boolean;
}

export const LINODE_PLANS: Readonly<Record<string, LinodePlan>> = {
  'g6-standard-1': { vcpus: 1, memoryMiB: 2048, diskGiB: 50, monthlyUsd: 12, dedicated: false },
  'g6-standard-2': { vcpus: 2, memoryMiB: 4096, diskGiB: 80, monthlyUsd: 24, dedicated: false },
  'g6-standard-4': { vcpus: 4, memoryMiB: 8192, diskGiB: 160, monthlyUsd: 48, dedicated: false },
  'g6-standard-6': { vcpus: 6, memoryMiB: 16384, diskGiB: 320, monthlyUsd: 96, dedicated: false },
  'g6-standard-8': { vcpus: 8, memoryMiB: 32768, diskGiB: 640, monthlyUsd: 192, dedicated: false },
  'g6-dedicated-2': { vcpus: 2, memoryMiB: 4096, diskGiB: 80, monthlyUsd: 36, dedicated: true },
  'g6-dedicated-4': { vcpus: 4, memoryMiB: 8192, diskGiB: 160, monthlyUsd: 72, dedicated: true },
  'g6-dedicated-8': { vcpus: 8, memoryMiB: 16384, diskGiB: 320, monthlyUsd: 144, dedicated: true },
  'g6-dedicated-16': { vcpus: 16, memoryMiB: 32768, diskGiB: 640, monthlyUsd: 288, dedicated: true },
  'g6-dedicated-32': { vcpus: 32, memoryMiB: 65536, diskGiB: 1280, monthlyUsd: 576, dedicated: true },
};

/**
 * What the kubelet leaves for pods on an LKE node, following GKE/AKS-style reservations that LKE
 * also applies: CPU 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above;
 * memory 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112,
 * plus the 100 MiB eviction threshold.
 */
export function allocatable(plan: LinodePlan): { cpuMillis: number; memoryMiB: number } {
  const cores = plan.vcpus;
  let reservedCpu = 60;
  if (cores > 1) reservedCpu += 10;
  if (cores > 2) reservedCpu += 5 * Math.min(cores - 2, 2);
  if (cores > 4) reservedCpu += 2.5 * (cores - 4);
  const gib = plan.memoryMiB / 1024;
  const bands: Array<[number, number]> = [[4, 0.25], [4, 0.2], [8, 0.1], [112, 0.06]];
  let left = gib;
  let reservedGiB = 0;
  for (const [size, rate] of bands) {
    const take = Math.min(left, size);
    reservedGiB += take * rate;
    left -= take;
  }
  return {
    cpuMillis: Math.floor(cores * 1000 - reservedCpu),
    memoryMiB: Math.floor(plan.memoryMiB - reservedGiB * 1024 - 100),
  };
}
