/**
 * StatefulWorkload: one pod with its own persistent volume (Meilisearch, the queue Redis), with
 * the same hardened pod template, ServiceAccount and Service as AppWorkload:
 * - a StatefulSet of exactly one replica: these servers keep their data on a ReadWriteOnce
 *   Linode Block Storage volume and have no replication here, so a second pod would be a second,
 *   diverging copy. They scale vertically (resources from the config);
 * - volumeClaimTemplates on the retaining StorageClass, and a claim retention policy of Retain,
 *   so neither deleting the StatefulSet nor the PVC's StorageClass loses the data;
 * - a headless Service for the StatefulSet's stable identity, and a ClusterIP Service for
 *   clients;
 * - no PodDisruptionBudget: with one replica a budget could only block node drains forever.
 *   A drain restarts the pod on another node (the volume follows); that brief outage is the
 *   accepted cost of a single instance and is why clients retry.
 */
import * as k8s from '../../imports/k8s.js';
import { Construct } from 'constructs';
import { objectLabels, selectorLabels } from './labels.js';
import { RETAINED_BLOCK_STORAGE } from './names.js';
import { hardenedPodTemplate } from './pod-template.js';
import { workloadService, workloadServiceAccount, type ServicePortSpec, type WorkloadPodProps } from './workload-parts.js';

export interface VolumeClaimSpec {
  /** Volume name, as containers' volumeMounts refer to it. */
  readonly name: string;
  readonly storageGiB: number;
}

export interface StatefulWorkloadProps extends WorkloadPodProps {
  /** Persistent volumes, one PVC each per pod. */
  readonly volumeClaims: readonly VolumeClaimSpec[];
  /** Ports of the client Service (named like the workload). */
  readonly servicePorts: readonly ServicePortSpec[];
}

export class StatefulWorkload extends Construct {
  readonly statefulSet: k8s.KubeStatefulSet;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly service: k8s.KubeService;
  readonly headlessService: k8s.KubeService;
  readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: StatefulWorkloadProps) {
    super(scope, id);
    const { config, name } = props;
    const labels = objectLabels(config, name, props.tier);
    this.selector = selectorLabels(name);
    const headlessName = `${name}-headless`;

    this.serviceAccount = workloadServiceAccount(this, name, labels);
    this.headlessService = workloadService(this, headlessName, labels, this.selector, props.servicePorts, {
      id: 'headless-service',
      headless: true,
    });
    this.service = workloadService(this, name, labels, this.selector, props.servicePorts);

    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, labels },
      spec: {
        replicas: 1,
        serviceName: headlessName,
        revisionHistoryLimit: 5,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: this.selector },
        template: hardenedPodTemplate({
          serviceAccountName: name,
          labels: { ...labels, ...props.podLabels },
          selector: this.selector,
          annotations: props.podAnnotations,
          terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          containerEphemeralMiB: config.ephemeralStorage.containerMiB,
          initContainers: props.initContainers,
          containers: props.containers,
          volumes: props.volumes,
        }),
        volumeClaimTemplates: props.volumeClaims.map((claim) => ({
          metadata: { name: claim.name, labels: selectorLabels(name) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: RETAINED_BLOCK_STORAGE,
            resources: { requests: { storage: k8s.Quantity.fromString(`${claim.storageGiB}Gi`) } },
          },
        })),
      },
    });
  }
}
