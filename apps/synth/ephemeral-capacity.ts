/**
 * The disk invariant, on the rendered manifests: at maximum replicas, the pods' ephemeral-storage
 * requests fit the node pools' disks at their autoscaler maximum, and the largest pod fits one
 * node. A node's disk for pods is its plan's disk, minus what the kubelet keeps free before it
 * starts evicting (nodefs.available 10%, its default hard threshold), minus
 * `ephemeralStorage.nodeSystemGiB` (OS, container images, kubelet state). The config-level disk
 * rules (charts/rules/storage-rules.ts) run from apps/load.ts.
 */
import { ConfigError, LINODE_PLANS, type ConfigProblem, type LoadedEnvironment } from '../config/index.js';
import { workloadDemands, type PodSpec } from './cluster-capacity.js';

/** The kubelet's default hard eviction threshold for the node filesystem (nodefs.available<10%). */
export const KUBELET_NODEFS_EVICTION_FRACTION = 0.1;

function mib(q: string | undefined): number {
  if (q === undefined) return 0;
  const m = /^([0-9]+)(Mi|Gi)$/.exec(q);
  if (!m) throw new Error(`unsupported ephemeral-storage quantity "${q}"`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

/** A pod's ephemeral-storage request as the scheduler computes it (init containers run first). */
export function podEphemeralMiB(spec: PodSpec): number {
  const of = (c: PodSpec['containers'][number]) => mib(c.resources?.requests?.['ephemeral-storage']);
  const running = spec.containers.map(of).reduce((a, b) => a + b, 0);
  return Math.max(running, ...(spec.initContainers ?? []).map(of));
}

/** Disk one node of the plan leaves for pods, in MiB. */
export function nodeEphemeralMiB(env: LoadedEnvironment, planType: string): number {
  const disk = LINODE_PLANS[planType]!.diskGiB;
  return Math.floor((disk * (1 - KUBELET_NODEFS_EVICTION_FRACTION) - env.config.ephemeralStorage.nodeSystemGiB) * 1024);
}

export function ephemeralCapacityProblems(env: LoadedEnvironment, manifests: Map<string, unknown[]>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { pools } = env.config.cluster;
  const demands = workloadDemands(manifests).map((d) => ({ ...d, disk: podEphemeralMiB(d.podSpec) }));
  const free = pools.reduce((sum, p) => sum + p.max * nodeEphemeralMiB(env, p.type), 0);
  const used = demands.reduce((sum, d) => sum + d.disk * d.max, 0);
  if (used > free) {
    const top = [...demands].sort((a, b) => b.disk * b.max - a.disk * a.max).slice(0, 5)
      .map((d) => `${d.name} ${d.max} x ${d.disk} MiB`).join(', ');
    problems.push({
      path: 'ephemeralStorage',
      reason:
        `at maximum replicas the pods request ${(used / 1024).toFixed(1)} GiB of node disk (${top}, ...), but the pools at ` +
        `their max (${pools.map((p) => `${p.name} ${p.max} x ${p.type}`).join(', ')}) leave ${(free / 1024).toFixed(1)} GiB ` +
        `after the kubelet's 10% eviction reserve and nodeSystemGiB ${env.config.ephemeralStorage.nodeSystemGiB}: ` +
        'lower ephemeralStorage sizes or raise a pool max',
    });
  }
  const largestNode = Math.max(...pools.map((p) => nodeEphemeralMiB(env, p.type)));
  for (const d of demands) {
    if (d.disk > largestNode) {
      problems.push({ path: 'ephemeralStorage', reason: `${d.kind} ${d.name} requests ${d.disk} MiB of disk per pod, more than a node leaves for pods (${largestNode} MiB)` });
    }
  }
  return problems;
}

/** Throws a ConfigError when the rendered pods' disk does not fit the node pools. */
export function checkEphemeralCapacity(env: LoadedEnvironment, manifests: Map<string, unknown[]>): void {
  const problems = ephemeralCapacityProblems(env, manifests);
  if (problems.length > 0) throw new ConfigError(env.file, env.name, problems);
}
