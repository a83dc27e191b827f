/**
 * The pod template every workload kind shares (Deployment, StatefulSet, Job), so the security
 * baseline, the ServiceAccount wiring and the topology spread are written once:
 * - the restricted security baseline (security.ts) on the pod and on every container;
 * - the workload's own ServiceAccount, API token not mounted unless asked for;
 * - no Service-link env vars (the app reads explicit settings only);
 * - spread across nodes, so one node's loss or drain takes out as few replicas as possible.
 */
import { k8s } from 'cdk8s-plus-27';
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
}

/** A container with the baseline securityContext merged under its own settings. */
export function hardenContainer(container: k8s.Container): k8s.Container {
  return { ...container, securityContext: { ...containerSecurityContext(), ...container.securityContext } };
}

export function hardenedPodTemplate(props: HardenedPodProps): k8s.PodTemplateSpec {
  const annotations = props.annotations ?? {};
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
      ...(props.initContainers?.length ? { initContainers: props.initContainers.map(hardenContainer) } : {}),
      containers: props.containers.map(hardenContainer),
      ...(props.volumes?.length ? { volumes: [...props.volumes] } : {}),
    },
  };
}

