/**
 * A minimal, typed view of rendered manifests for the policy checks: the kind and name of an
 * object, and the pod template of every kind that has one. Policies read plain JSON (what synth
 * writes), not cdk8s constructs, so they judge exactly what Flux applies.
 */

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: any;
  readonly [key: string]: unknown;
}

/** One finding: which object, and what is wrong with it. */
export interface Violation {
  readonly object: string;
  readonly reason: string;
}

/** A policy inspects every object of one environment (some need to see the others). */
export type Policy = (objects: readonly K8sObject[]) => Violation[];

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;

export function ref(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

export interface PodTemplateRef {
  readonly owner: K8sObject;
  readonly template: { metadata?: { labels?: Record<string, string> }; spec: any };
}

/** Every pod template in the set (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods). */
export function podTemplates(objects: readonly K8sObject[]): PodTemplateRef[] {
  const out: PodTemplateRef[] = [];
  for (const o of objects) {
    if (o.kind === 'Pod') out.push({ owner: o, template: { metadata: o.metadata, spec: o.spec } });
    else if (o.kind === 'CronJob') out.push({ owner: o, template: o.spec?.jobTemplate?.spec?.template });
    else if ((WORKLOAD_KINDS as readonly string[]).includes(o.kind)) out.push({ owner: o, template: o.spec?.template });
  }
  return out;
}

export interface ContainerRef {
  readonly owner: K8sObject;
  readonly container: any;
  readonly init: boolean;
}

export function containers(objects: readonly K8sObject[]): ContainerRef[] {
  return podTemplates(objects).flatMap(({ owner, template }) => [
    ...(template?.spec?.initContainers ?? []).map((container: any) => ({ owner, container, init: true })),
    ...(template?.spec?.containers ?? []).map((container: any) => ({ owner, container, init: false })),
  ]);
}

/** True when every label of the selector is on the object. */
export function matchesLabels(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Whether a workload may run more than one pod: replicas > 1, or an autoscaler may go above 1. */
export function mayRunSeveralPods(workload: K8sObject, objects: readonly K8sObject[]): boolean {
  if ((workload.spec?.replicas ?? 1) > 1) return true;
  return objects.some((o) => {
    const target = o.kind === 'HorizontalPodAutoscaler' ? o.spec?.scaleTargetRef : o.kind === 'ScaledObject' ? o.spec?.scaleTargetRef : undefined;
    if (!target || target.name !== workload.metadata.name) return false;
    if ((target.kind ?? 'Deployment') !== workload.kind) return false;
    const max = o.kind === 'HorizontalPodAutoscaler' ? o.spec?.maxReplicas : (o.spec?.maxReplicaCount ?? 100);
    return max > 1;
  });
}
