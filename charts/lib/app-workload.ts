/**
 * AppWorkload: a Deployment with everything a production pod needs around it, so each chart only
 * says what is special about its containers:
 * - a ServiceAccount of its own, token automount off unless asked for;
 * - the restricted security baseline (security.ts) on the pod and every container;
 * - topology spread across nodes;
 * - a PodDisruptionBudget when it can run more than one replica (maxUnavailable 1, so LKE's
 *   one-node-at-a-time upgrades can always drain);
 * - a ClusterIP Service when ports are given.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { EnvironmentConfig, ReplicaBounds } from '../../apps/config/index.js';
import { objectLabels, selectorLabels } from './labels.js';
import { containerSecurityContext, podSecurityContext } from './security.js';

export interface ServicePortSpec {
  readonly name: string;
  readonly port: number;
  /** @default port */
  readonly targetPort?: number;
}

export interface AppWorkloadProps {
  readonly config: EnvironmentConfig;
  /** Object name and `app.kubernetes.io/name` label. */
  readonly name: string;
  /** `app.kubernetes.io/component` label (web, worker, scheduler, ...). */
  readonly tier: string;
  readonly containers: k8s.Container[];
  /** @default [] */
  readonly initContainers?: k8s.Container[];
  /** @default [] */
  readonly volumes?: k8s.Volume[];
  /** A fixed count, or bounds that an autoscaler works within (spec.replicas is then omitted). */
  readonly replicas: number | ReplicaBounds;
  /** @default 'RollingUpdate' (maxSurge 25%, maxUnavailable 0) */
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  readonly terminationGracePeriodSeconds: number;
  /** Ports exposed through a ClusterIP Service named like the workload. @default none */
  readonly servicePorts?: readonly ServicePortSpec[];
  /** Mount a Kubernetes API token (only for pods that call the API). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** @default {} */
  readonly podAnnotations?: Record<string, string>;
  /** Extra pod labels, e.g. for NetworkPolicy selection. @default {} */
  readonly podLabels?: Record<string, string>;
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

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, labels },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });

    const harden = (c: k8s.Container): k8s.Container => ({
      ...c,
      securityContext: { ...containerSecurityContext(), ...c.securityContext },
    });

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
        template: {
          metadata: {
            labels: { ...labels, ...props.podLabels },
            ...(props.podAnnotations && Object.keys(props.podAnnotations).length > 0
              ? { annotations: props.podAnnotations }
              : {}),
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: props.automountServiceAccountToken ?? false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(),
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: this.selector },
              },
            ],
            ...(props.initContainers?.length ? { initContainers: props.initContainers.map(harden) } : {}),
            containers: props.containers.map(harden),
            ...(props.volumes?.length ? { volumes: props.volumes } : {}),
          },
        },
      },
    });

    if (maxReplicas > 1) {
      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: { name, labels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.selector } },
      });
    }

    if (props.servicePorts?.length) {
      this.service = new k8s.KubeService(this, 'service', {
        metadata: { name, labels },
        spec: {
          type: 'ClusterIP',
          selector: this.selector,
          ports: props.servicePorts.map((p) => ({
            name: p.name,
            port: p.port,
            targetPort: k8s.IntOrString.fromNumber(p.targetPort ?? p.port),
            protocol: 'TCP',
          })),
        },
      });
    }
  }
}
