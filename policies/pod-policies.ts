/**
 * Policies every pod of every environment must satisfy (issue 3's "every pod" list). Each is a
 * pure function over the rendered objects returning violations, so the same check runs over
 * the real environments and over a crafted bad object in its negative test.
 */
import { containers, mayRunSeveralPods, matchesLabels, podTemplates, ref, type Policy, type Violation } from './manifest.js';

const where = (owner: Parameters<typeof ref>[0], container: { name?: string }) => `${ref(owner)} container ${container.name}`;

/** requests (cpu, memory) and a memory limit on every container, init containers included. */
export const resourcesPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const { owner, container } of containers(objects)) {
    const r = container.resources ?? {};
    for (const missing of [
      !r.requests?.cpu && 'requests.cpu',
      !r.requests?.memory && 'requests.memory',
      !r.limits?.memory && 'limits.memory',
    ].filter(Boolean)) {
      out.push({ object: where(owner, container), reason: `no resources.${missing}` });
    }
  }
  return out;
};

/**
 * readiness and liveness probes on every long-running container (Jobs run to completion and
 * have none). A startupProbe is required where the container declares a slow start
 * (liveness initialDelaySeconds would be the smell it replaces).
 */
export const probesPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const { owner, container, init } of containers(objects)) {
    if (init || owner.kind === 'Job' || owner.kind === 'CronJob') continue;
    if (!container.readinessProbe) out.push({ object: where(owner, container), reason: 'no readinessProbe' });
    if (!container.livenessProbe) out.push({ object: where(owner, container), reason: 'no livenessProbe' });
    if ((container.livenessProbe?.initialDelaySeconds ?? 0) > 30) {
      out.push({ object: where(owner, container), reason: 'liveness initialDelaySeconds > 30: use a startupProbe for slow starts' });
    }
  }
  return out;
};

/** The restricted Pod Security Standard, plus a read-only root filesystem. */
export const securityContextPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const { owner, template } of podTemplates(objects)) {
    const pod = template?.spec?.securityContext ?? {};
    if (pod.runAsNonRoot !== true) out.push({ object: ref(owner), reason: 'pod securityContext.runAsNonRoot is not true' });
    if (pod.seccompProfile?.type !== 'RuntimeDefault') out.push({ object: ref(owner), reason: 'pod seccompProfile is not RuntimeDefault' });
    if (template?.spec?.hostNetwork || template?.spec?.hostPID || template?.spec?.hostIPC) {
      out.push({ object: ref(owner), reason: 'uses host namespaces' });
    }
  }
  for (const { owner, container } of containers(objects)) {
    const sc = container.securityContext ?? {};
    const w = where(owner, container);
    if (sc.allowPrivilegeEscalation !== false) out.push({ object: w, reason: 'allowPrivilegeEscalation is not false' });
    if (sc.readOnlyRootFilesystem !== true) out.push({ object: w, reason: 'readOnlyRootFilesystem is not true' });
    if (sc.privileged === true) out.push({ object: w, reason: 'privileged' });
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push({ object: w, reason: 'capabilities do not drop ALL' });
    if ((sc.capabilities?.add ?? []).length > 0) out.push({ object: w, reason: `adds capabilities ${sc.capabilities.add}` });
    if (sc.runAsUser === 0) out.push({ object: w, reason: 'runAsUser 0' });
  }
  return out;
};

/** Images pinned by a tag or digest, never `latest` or untagged. */
export const pinnedImagesPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const { owner, container } of containers(objects)) {
    const image: string = container.image ?? '';
    const lastSegment = image.slice(image.lastIndexOf('/') + 1);
    const digest = /@sha256:[a-f0-9]{64}$/.test(image);
    const tag = lastSegment.split('@')[0]!.split(':')[1];
    if (!digest && !tag) out.push({ object: where(owner, container), reason: `image "${image}" has no tag or digest` });
    if (tag === 'latest') out.push({ object: where(owner, container), reason: `image "${image}" uses the latest tag` });
  }
  return out;
};

/** Every pod template spreads across nodes by its own labels. */
export const topologySpreadPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const { owner, template } of podTemplates(objects)) {
    if (owner.kind === 'Job' || owner.kind === 'CronJob') continue;
    const spread = (template?.spec?.topologySpreadConstraints ?? []).find(
      (c: any) => c.topologyKey === 'kubernetes.io/hostname' && matchesLabels(c.labelSelector?.matchLabels, template?.metadata?.labels),
    );
    if (!spread) out.push({ object: ref(owner), reason: 'no topology spread across kubernetes.io/hostname selecting its own pods' });
  }
  return out;
};

/**
 * A PodDisruptionBudget selects every workload that may run several pods, and lets at least one
 * pod go (a budget that allows no disruption blocks node drains and LKE upgrades forever).
 */
export const disruptionBudgetPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const b of budgets) {
    if (b.spec?.maxUnavailable === 0 || b.spec?.maxUnavailable === '0%') {
      out.push({ object: ref(b), reason: 'maxUnavailable 0 blocks every voluntary disruption' });
    }
  }
  for (const w of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
    if (!mayRunSeveralPods(w, objects)) continue;
    const labels = w.spec?.template?.metadata?.labels;
    const budget = budgets.find((b) => b.metadata.namespace === w.metadata.namespace && matchesLabels(b.spec?.selector?.matchLabels, labels));
    if (!budget) out.push({ object: ref(w), reason: 'may run several pods but no PodDisruptionBudget selects it' });
  }
  return out;
};

/**
 * Every pod runs as a ServiceAccount of its own that exists in the set, and mounts no API token
 * unless the pod says so explicitly (none of the app's pods call the API).
 */
export const serviceAccountPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  const accounts = objects.filter((o) => o.kind === 'ServiceAccount');
  for (const { owner, template } of podTemplates(objects)) {
    const name: string | undefined = template?.spec?.serviceAccountName;
    if (!name || name === 'default') {
      out.push({ object: ref(owner), reason: 'runs as the default ServiceAccount' });
      continue;
    }
    const account = accounts.find((a) => a.metadata.name === name && a.metadata.namespace === owner.metadata.namespace);
    if (!account) out.push({ object: ref(owner), reason: `ServiceAccount ${name} is not defined` });
    if (template.spec.automountServiceAccountToken !== false) {
      out.push({ object: ref(owner), reason: 'automountServiceAccountToken is not false on the pod' });
    }
    if (account && (account as any).automountServiceAccountToken !== false) {
      out.push({ object: ref(account), reason: 'automountServiceAccountToken is not false' });
    }
  }
  return out;
};

export const POD_POLICIES = {
  resources: resourcesPolicy,
  probes: probesPolicy,
  securityContext: securityContextPolicy,
  pinnedImages: pinnedImagesPolicy,
  topologySpread: topologySpreadPolicy,
  disruptionBudget: disruptionBudgetPolicy,
  serviceAccount: serviceAccountPolicy,
} as const;
