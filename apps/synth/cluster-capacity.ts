/**
 * The cluster-size invariant, checked on the rendered manifests (so sidecars and init containers
 * count exactly as the scheduler counts them):
 *   - at maximum replicas, every pod's requests fit the node pools at their autoscaler maximum;
 *   - at minimum replicas, the pools at their minimum hold them;
 *   - the largest pod fits on one node.
 * Capacity is the nodes' allocatable (linode-plans.ts), minus what the cluster runs besides the
 * app: DaemonSets on every node and the platform add-ons (below).
 * The config-level capacity and memory rules (capacity-rules.ts, memory-rules.ts) run with every
 * other rule from apps/load.ts.
 */
import { allocatable, ConfigError, LINODE_PLANS, type ConfigProblem, type LoadedEnvironment } from '../config/index.js';

export interface Requests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/**
 * Per node: LKE's calico-node (250m) and csi-linode-node, kube-proxy, and the monitoring stack's
 * node-exporter. Requests as their manifests set them, rounded up.
 */
export const PER_NODE_DAEMONS: Requests = { cpuMillis: 300, memoryMiB: 320 };

/**
 * Cluster add-ons installed by the GitOps layer, requests rounded up: CoreDNS (2 x 100m/70Mi),
 * Flux controllers (4 x 100m/64Mi), KEDA (operator, metrics server, webhooks: 250m/300Mi),
 * kube-prometheus-stack (Prometheus 500m/2Gi, Alertmanager, Grafana, operator, kube-state-metrics:
 * 850m/2.6Gi), metrics-server (100m/200Mi), VPA (3 x 50m/250Mi).
 */
export const CLUSTER_ADDONS: Requests = { cpuMillis: 2000, memoryMiB: 4608 };

function cpuMillis(q: string | number): number {
  if (typeof q === 'number') return q * 1000;
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

const MEMORY_FACTORS: Record<string, number> = {
  Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1e3 / 2 ** 20, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20,
};

function memMiB(q: string | number): number {
  if (typeof q === 'number') return q / 2 ** 20;
  const match = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  if (!match) throw new Error(`unsupported memory quantity "${q}"`);
  const [, value, unit] = match;
  return unit === '' ? Number(value) / 2 ** 20 : Number(value) * (MEMORY_FACTORS[unit!] ?? NaN);
}

interface Container {
  readonly name: string;
  readonly restartPolicy?: string;
  readonly resources?: { readonly requests?: { readonly cpu?: string | number; readonly memory?: string | number; readonly 'ephemeral-storage'?: string } };
}
export interface PodSpec { readonly containers: Container[]; readonly initContainers?: Container[] }
interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec?: Record<string, unknown>;
}

function containerRequests(c: Container): Requests {
  const r = c.resources?.requests ?? {};
  return { cpuMillis: r.cpu === undefined ? 0 : cpuMillis(r.cpu), memoryMiB: r.memory === undefined ? 0 : memMiB(r.memory) };
}

const add = (a: Requests, b: Requests): Requests => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMiB: a.memoryMiB + b.memoryMiB });
const times = (a: Requests, n: number): Requests => ({ cpuMillis: a.cpuMillis * n, memoryMiB: a.memoryMiB * n });
const ZERO: Requests = { cpuMillis: 0, memoryMiB: 0 };

/** A pod's effective request as the scheduler computes it (init containers run before the rest). */
export function podRequests(spec: PodSpec): Requests {
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const inits = (spec.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always');
  const running = [...spec.containers, ...sidecars].map(containerRequests).reduce(add, ZERO);
  const initPeak = inits.map(containerRequests).reduce((a, b) => ({
    cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memoryMiB: Math.max(a.memoryMiB, b.memoryMiB),
  }), ZERO);
  return { cpuMillis: Math.max(running.cpuMillis, initPeak.cpuMillis), memoryMiB: Math.max(running.memoryMiB, initPeak.memoryMiB) };
}

export interface WorkloadDemand {
  readonly kind: string;
  readonly name: string;
  readonly pod: Requests;
  /** The rendered pod spec (for checks of other resources, e.g. ephemeral storage). */
  readonly podSpec: PodSpec;
  readonly min: number;
  readonly max: number;
}

/** Every pod-running object of the rendered manifests with its replica range. */
export function workloadDemands(manifests: Map<string, unknown[]>): WorkloadDemand[] {
  const objects = [...manifests.values()].flat() as K8sObject[];
  const scaled = new Map<string, { min: number; max: number }>();
  for (const o of objects) {
    if (o.kind !== 'ScaledObject') continue;
    const spec = o.spec as { scaleTargetRef: { kind?: string; name: string }; minReplicaCount?: number; maxReplicaCount?: number };
    scaled.set(`${spec.scaleTargetRef.kind ?? 'Deployment'}/${spec.scaleTargetRef.name}`, {
      min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100,
    });
  }
  const demands: WorkloadDemand[] = [];
  for (const o of objects) {
    if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet' && o.kind !== 'Job') continue;
    const spec = o.spec as { replicas?: number; parallelism?: number; template: { spec: PodSpec } };
    const fixed = o.kind === 'Job' ? (spec.parallelism ?? 1) : (spec.replicas ?? 1);
    const range = scaled.get(`${o.kind}/${o.metadata.name}`) ?? { min: fixed, max: fixed };
    demands.push({ kind: o.kind, name: o.metadata.name, pod: podRequests(spec.template.spec), podSpec: spec.template.spec, ...range });
  }
  return demands;
}

const fmt = (r: Requests) => `${(r.cpuMillis / 1000).toFixed(2)} CPU / ${(r.memoryMiB / 1024).toFixed(2)} GiB`;

/** Throws a ConfigError when the rendered app does not fit the environment's node pools. */
export function checkClusterCapacity(env: LoadedEnvironment, manifests: Map<string, unknown[]>): void {
  const problems = clusterCapacityProblems(env, manifests);
  if (problems.length > 0) throw new ConfigError(env.file, env.name, problems);
}

export function clusterCapacityProblems(env: LoadedEnvironment, manifests: Map<string, unknown[]>): ConfigProblem[] {
  const { pools } = env.config.cluster;
  const demands = workloadDemands(manifests);
  const problems: ConfigProblem[] = [];

  for (const bound of ['max', 'min'] as const) {
    const nodes = pools.reduce((n, p) => n + p[bound], 0);
    const raw = pools.map((p) => times(allocatable(LINODE_PLANS[p.type]!), p[bound])).reduce(add, ZERO);
    const overhead = add(times(PER_NODE_DAEMONS, nodes), CLUSTER_ADDONS);
    const free: Requests = { cpuMillis: raw.cpuMillis - overhead.cpuMillis, memoryMiB: raw.memoryMiB - overhead.memoryMiB };
    const app = demands.map((d) => times(d.pod, d[bound])).reduce(add, ZERO);
    if (app.cpuMillis > free.cpuMillis || app.memoryMiB > free.memoryMiB) {
      const top = [...demands]
        .filter((d) => d[bound] > 0)
        .sort((a, b) => b.pod.memoryMiB * b[bound] - a.pod.memoryMiB * a[bound])
        .map((d) => `${d.name} ${d[bound]} x ${Math.round(d.pod.cpuMillis)}m/${Math.round(d.pod.memoryMiB)}Mi`)
        .join(', ');
      const poolText = pools.map((p) => `${p.name} ${p[bound]} x ${p.type}`).join(', ');
      problems.push({
        path: `cluster.pools[].${bound}`,
        reason:
          `at ${bound === 'max' ? 'maximum' : 'minimum'} replicas the app requests ${fmt(app)} (${top}), but the ` +
          `pools at their ${bound} (${poolText}) leave ${fmt(free)} allocatable after ${fmt(overhead)} of ` +
          `DaemonSets and platform add-ons: ${bound === 'max' ? 'raise a pool max or lower replicas.max' : 'raise a pool min or lower replicas.min'}`,
      });
    }
  }

  const largestNode = pools
    .map((p) => allocatable(LINODE_PLANS[p.type]!))
    .map((a) => ({ cpuMillis: a.cpuMillis - PER_NODE_DAEMONS.cpuMillis, memoryMiB: a.memoryMiB - PER_NODE_DAEMONS.memoryMiB }))
    .sort((a, b) => b.memoryMiB - a.memoryMiB)[0]!;
  for (const d of demands) {
    if (d.pod.cpuMillis > largestNode.cpuMillis || d.pod.memoryMiB > largestNode.memoryMiB) {
      problems.push({
        path: 'cluster.pools[].type',
        reason: `${d.kind} ${d.name} requests ${fmt(d.pod)} per pod, more than the largest node leaves for pods (${fmt(largestNode)})`,
      });
    }
  }
  return problems;
}
