/**
 * The objects around a workload's pods, shared by AppWorkload (Deployment) and StatefulWorkload:
 * its ServiceAccount, its PodDisruptionBudget and its ClusterIP Service.
 */
import * as k8s from '../../imports/k8s.js';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../apps/config/index.js';

/** What every workload construct needs to describe its pods. */
export interface WorkloadPodProps {
  readonly config: EnvironmentConfig;
  /** Object name and `app.kubernetes.io/name` label. */
  readonly name: string;
  /** `app.kubernetes.io/component` label (web, worker, scheduler, ...). */
  readonly tier: string;
  readonly containers: k8s.Container[];
  /** @default [] */
  readonly initContainers?: k8s.Container[];
  /** Non-persistent volumes (emptyDirs, ConfigMaps, Secrets). @default [] */
  readonly volumes?: k8s.Volume[];
  readonly terminationGracePeriodSeconds: number;
  /** @default {} */
  readonly podAnnotations?: Record<string, string>;
  /** Extra pod labels, e.g. for NetworkPolicy selection. @default {} */
  readonly podLabels?: Record<string, string>;
}

export interface ServicePortSpec {
  readonly name: string;
  readonly port: number;
  /** @default port */
  readonly targetPort?: number;
}

/** A ServiceAccount of the workload's own (RBAC and audit logs name the workload). */
export function workloadServiceAccount(
  scope: Construct,
  name: string,
  labels: Record<string, string>,
  automountToken = false,
): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, 'service-account', {
    metadata: { name, labels },
    automountServiceAccountToken: automountToken,
  });
}

/**
 * maxUnavailable 1: a voluntary disruption (LKE's one-node-at-a-time upgrade, the cluster
 * autoscaler's scale-down) takes one pod at a time and can always proceed.
 */
export function workloadDisruptionBudget(
  scope: Construct,
  name: string,
  labels: Record<string, string>,
  selector: Record<string, string>,
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata: { name, labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
}

export interface WorkloadServiceOptions {
  /** Object id inside the construct. @default 'service' */
  readonly id?: string;
  /** Headless (clusterIP None), for a StatefulSet's stable pod names. @default false */
  readonly headless?: boolean;
}

export function workloadService(
  scope: Construct,
  name: string,
  labels: Record<string, string>,
  selector: Record<string, string>,
  ports: readonly ServicePortSpec[],
  options: WorkloadServiceOptions = {},
): k8s.KubeService {
  return new k8s.KubeService(scope, options.id ?? 'service', {
    metadata: { name, labels },
    spec: {
      type: 'ClusterIP',
      ...(options.headless ? { clusterIp: 'None', publishNotReadyAddresses: true } : {}),
      selector,
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: k8s.IntOrString.fromNumber(p.targetPort ?? p.port),
        protocol: 'TCP',
      })),
    },
  });
}
