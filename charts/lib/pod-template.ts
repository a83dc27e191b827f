/**
 * The pod template every workload kind shares (Deployment, StatefulSet, Job), so the security
 * baseline, the ServiceAccount wiring and the topology spread are written once:
 * - the restricted security baseline (security.ts) on the pod and on every container;
 * - the workload's own ServiceAccount, API token not mounted unless asked for;
 * - no Service-link env vars (the app reads explicit settings only);
 * - spread across nodes, so one node's loss or drain takes out as few replicas as possible.
 */
import * as k8s from '../../imports/k8s.js';
import { containerSecurityContext, podSecurityContext } from './security.js';

export interface HardenedPodProps {
  /** ServiceAccount name (the workload's name). */
  readonly serviceAccountName: string;
  /** Pod labels (selector labels plus descriptive and role labels). */
  readonly labels: Record<string, string>;
  /** Labels the topology spread counts pods by (the workload's selector). */
  readonly selector: Record<string, string>;
  readonly containers: readonly k8s.Container[];
  /** @default [] */
  readonly initContainers?: readonly k8s.Container[];
  /** @default [] */
  readonly volumes?: readonly k8s.Volume[];
  readonly terminationGracePeriodSeconds: number;
  /** Mount a Kubernetes API token (only for pods that call the API). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** @default {} */
  readonly annotations?: Record<string, string>;
  /** Jobs set 'Never' or 'OnFailure'. @default unset (Always) */
  readonly restartPolicy?: 'Never' | 'OnFailure';
  /** Stop retrying a Job pod after this long. @default unset */
  readonly activeDeadlineSeconds?: number;
  /** Node disk per container for its logs and writable layer (config.ephemeralStorage.containerMiB). */
  readonly containerEphemeralMiB: number;
}

/** A container with the baseline securityContext merged under its own settings. */
export function hardenContainer(container: k8s.Container): k8s.Container {
  return { ...container, securityContext: { ...containerSecurityContext(), ...container.securityContext } };
}

/** A disk-backed emptyDir's sizeLimit in MiB (memory-backed ones count against memory instead). */
function diskEmptyDirMiB(volume: k8s.Volume): number {
  if (!volume.emptyDir || volume.emptyDir.medium === 'Memory') return 0;
  const q = String(volume.emptyDir.sizeLimit?.value ?? '');
  const m = /^([0-9]+)(Mi|Gi)$/.exec(q);
  if (!m) throw new Error(`emptyDir ${volume.name}: sizeLimit "${q}" must be set in Mi or Gi`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

/**
 * ephemeral-storage request = limit on every container: its own allowance, plus the sizeLimit of
 * each disk emptyDir it is the first (regular, else init) container to mount. The kubelet evicts
 * a pod whose disk use passes the sum of its containers' limits, so the sum covers the emptyDirs
 * and a full emptyDir hits its own sizeLimit first; the scheduler reserves the requests.
 */
function withEphemeralStorage(props: HardenedPodProps): { containers: k8s.Container[]; initContainers: k8s.Container[] } {
  const owner = new Map<string, string>();
  for (const c of [...props.containers, ...(props.initContainers ?? [])]) {
    for (const m of c.volumeMounts ?? []) if (!owner.has(m.name)) owner.set(m.name, c.name);
  }
  const extra = new Map<string, number>();
  for (const v of props.volumes ?? []) {
    const mib = diskEmptyDirMiB(v);
    const by = owner.get(v.name);
    if (mib > 0 && by) extra.set(by, (extra.get(by) ?? 0) + mib);
  }
  const sized = (c: k8s.Container): k8s.Container => {
    const quantity = k8s.Quantity.fromString(`${props.containerEphemeralMiB + (extra.get(c.name) ?? 0)}Mi`);
    return {
      ...c,
      resources: {
        requests: { ...c.resources?.requests, 'ephemeral-storage': quantity },
        limits: { ...c.resources?.limits, 'ephemeral-storage': quantity },
      },
    };
  };
  return { containers: props.containers.map(sized), initContainers: (props.initContainers ?? []).map(sized) };
}

export function hardenedPodTemplate(props: HardenedPodProps): k8s.PodTemplateSpec {
  const annotations = props.annotations ?? {};
  const { containers, initContainers } = withEphemeralStorage(props);
  return {
    metadata: {
      labels: props.labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(),
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      ...(props.restartPolicy ? { restartPolicy: props.restartPolicy } : {}),
      ...(props.activeDeadlineSeconds ? { activeDeadlineSeconds: props.activeDeadlineSeconds } : {}),
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: props.selector },
        },
      ],
      ...(initContainers.length ? { initContainers: initContainers.map(hardenContainer) } : {}),
      containers: containers.map(hardenContainer),
      ...(props.volumes?.length ? { volumes: [...props.volumes] } : {}),
    },
  };
}

