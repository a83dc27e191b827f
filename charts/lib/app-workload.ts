/**
 * AppWorkload: a Deployment with everything a production pod needs around it, so each chart only
 * says what is special about its containers:
 * - a ServiceAccount of its own, token automount off unless asked for;
 * - the hardened pod template (pod-template.ts): security baseline, topology spread;
 * - a PodDisruptionBudget when it can run more than one replica (maxUnavailable 1, so LKE's
 *   one-node-at-a-time upgrades can always drain);
 * - a ClusterIP Service when ports are given.
 */
import * as k8s from '../../imports/k8s.js';
import { Construct } from 'constructs';
import type { ReplicaBounds } from '../../apps/config/index.js';
import { objectLabels, selectorLabels } from './labels.js';
import { hardenedPodTemplate } from './pod-template.js';
import {
  workloadDisruptionBudget,
  workloadService,
  workloadServiceAccount,
  type ServicePortSpec,
  type WorkloadPodProps,
} from './workload-parts.js';

export type { ServicePortSpec } from './workload-parts.js';

export interface AppWorkloadProps extends WorkloadPodProps {
  /** A fixed count, or bounds that an autoscaler works within (spec.replicas is then omitted). */
  readonly replicas: number | ReplicaBounds;
  /** @default 'RollingUpdate' (maxSurge 25%, maxUnavailable 0) */
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  /** Ports exposed through a ClusterIP Service named like the workload. @default none */
  readonly servicePorts?: readonly ServicePortSpec[];
  /** Mount a Kubernetes API token (only for pods that call the API). @default false */
  readonly automountServiceAccountToken?: boolean;
}

export class AppWorkload extends Construct {
  readonly deployment: k8s.KubeDeployment;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly service?: k8s.KubeService;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: AppWorkloadProps) {
    super(scope, id);
    const { config, name } = props;
    const labels = objectLabels(config, name, props.tier);
    this.selector = selectorLabels(name);
    const maxReplicas = typeof props.replicas === 'number' ? props.replicas : props.replicas.max;
    // Autoscaled (bounds given): no spec.replicas, so Flux re-applying the manifest never resets
    // the count the HPA chose (charts/autoscaling-chart.ts owns it).
    const fixedReplicas = typeof props.replicas === 'number' ? { replicas: props.replicas } : {};

    this.serviceAccount = workloadServiceAccount(this, name, labels, props.automountServiceAccountToken);

    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, labels },
      spec: {
        ...fixedReplicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        strategy:
          (props.strategy ?? 'RollingUpdate') === 'Recreate'
            ? { type: 'Recreate' }
            : {
                type: 'RollingUpdate',
                rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) },
              },
        template: hardenedPodTemplate({
          serviceAccountName: name,
          labels: { ...labels, ...props.podLabels },
          selector: this.selector,
          annotations: props.podAnnotations,
          automountServiceAccountToken: props.automountServiceAccountToken,
          terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          containerEphemeralMiB: config.ephemeralStorage.containerMiB,
          initContainers: props.initContainers,
          containers: props.containers,
          volumes: props.volumes,
        }),
      },
    });

    if (maxReplicas > 1) {
      this.podDisruptionBudget = workloadDisruptionBudget(this, name, labels, this.selector);
    }
    if (props.servicePorts?.length) {
      this.service = workloadService(this, name, labels, this.selector, props.servicePorts);
    }
  }
}
