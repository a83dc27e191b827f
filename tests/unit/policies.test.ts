/**
 * Every policy over every object of every environment, and for each policy a crafted object
 * that breaks it, to show the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { declaredSecretKeys } from '../../charts/lib/secrets.js';
import type { K8sObject, Policy } from '../../policies/manifest.js';
import {
  disruptionBudgetPolicy,
  pinnedImagesPolicy,
  POD_POLICIES,
  probesPolicy,
  resourcesPolicy,
  securityContextPolicy,
  serviceAccountPolicy,
  topologySpreadPolicy,
} from '../../policies/pod-policies.js';
import { ENVOY_PROXY_POD_LABELS } from '../../charts/flux/gateway-chart.js';
import {
  edgeResiliencePolicy,
  defaultDenyPolicy,
  noPlaintextSecretsPolicy,
  routeAttachmentPolicy,
  secretReferencesPolicy,
  serviceWiringPolicy,
} from '../../policies/platform-policies.js';
import { find, renderedChoices } from './support/rendered-objects.js';

const environments = await renderedChoices();

const ALL_POLICIES: Record<string, Policy> = {
  ...POD_POLICIES,
  defaultDeny: defaultDenyPolicy,
  secretReferences: secretReferencesPolicy(declaredSecretKeys()),
  noPlaintextSecrets: noPlaintextSecretsPolicy,
  serviceWiring: serviceWiringPolicy,
  routeAttachment: routeAttachmentPolicy,
  edgeResilience: edgeResiliencePolicy(ENVOY_PROXY_POD_LABELS),
};

describe.each(environments)('environment $name', ({ objects, config }) => {
  it('renders every workload of the stack (the policies below are not vacuous)', () => {
    expect(objects.some((o) => o.kind === 'Gateway')).toBe(true);
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    expect(names('Deployment')).toEqual(
      [
        'web', 'soketi', 'scheduler', ...config.workers.map((w) => `worker-${w.name}`),
        ...(config.redis.merged ? [] : ['redis-cache']),
      ].sort(),
    );
    expect(names('StatefulSet')).toEqual(['meilisearch', 'redis-queue']);
    expect(names('Job')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.namespace === config.namespace).map((o) => o.metadata.name).sort()).toEqual(['web', 'websockets']);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(5);
  });

  it.each(Object.keys(ALL_POLICIES))('satisfies the %s policy', (policy) => {
    expect(ALL_POLICIES[policy]!(objects)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Negative cases: a crafted violating object per policy.
// ---------------------------------------------------------------------------------------------

const ns = 'marketplace';
const selector = { 'app.kubernetes.io/name': 'bad' };

function deployment(container: Record<string, unknown>, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bad', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: { metadata: { labels: selector }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...container }], ...podSpec } },
      ...spec,
    },
  };
}

/** A container and pod that pass every pod policy, so each negative test breaks exactly one thing. */
const goodContainer = {
  image: 'nginx:1.27.3',
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
  readinessProbe: { tcpSocket: { port: 80 } },
  livenessProbe: { tcpSocket: { port: 80 } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
};
const goodPod = {
  serviceAccountName: 'bad',
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } }],
};
const goodAccount: K8sObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bad', namespace: ns }, automountServiceAccountToken: false };

const reasons = (policy: Policy, objects: K8sObject[]) => policy(objects).map((v) => v.reason);

describe('each policy catches a violating object', () => {
  it('the well-formed fixture passes every pod policy (so each case below fails for its one reason)', () => {
    const objects = [deployment(goodContainer, {}, goodPod), goodAccount];
    for (const policy of Object.values(POD_POLICIES)) expect(policy(objects)).toEqual([]);
  });

  it('resources: a container without limits', () => {
    const bad = deployment({ ...goodContainer, resources: { requests: { cpu: '10m', memory: '16Mi' } } }, {}, goodPod);
    expect(reasons(resourcesPolicy, [bad])).toEqual(['no resources.limits.memory']);
  });

  it('resources: an init container without requests', () => {
    const bad = deployment(goodContainer, {}, { ...goodPod, initContainers: [{ name: 'init', image: 'busybox:1.36' }] });
    expect(reasons(resourcesPolicy, [bad])).toEqual(['no resources.requests.cpu', 'no resources.requests.memory', 'no resources.limits.memory']);
  });

  it('probes: a long-running container without probes (a Job is exempt)', () => {
    const { readinessProbe: _r, livenessProbe: _l, ...noProbes } = goodContainer;
    expect(reasons(probesPolicy, [deployment(noProbes, {}, goodPod)])).toEqual(['no readinessProbe', 'no livenessProbe']);
    const job: K8sObject = { ...deployment(noProbes, {}, goodPod), apiVersion: 'batch/v1', kind: 'Job' };
    expect(probesPolicy([job])).toEqual([]);
  });

  it('securityContext: root-capable pod and container', () => {
    const bad = deployment({ ...goodContainer, securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } } }, {}, { ...goodPod, securityContext: {} });
    expect(reasons(securityContextPolicy, [bad])).toEqual([
      'pod securityContext.runAsNonRoot is not true',
      'pod seccompProfile is not RuntimeDefault',
      'allowPrivilegeEscalation is not false',
      'readOnlyRootFilesystem is not true',
      'privileged',
      'capabilities do not drop ALL',
      'adds capabilities NET_ADMIN',
    ]);
  });

  it('pinnedImages: latest and untagged images', () => {
    expect(reasons(pinnedImagesPolicy, [deployment({ ...goodContainer, image: 'redis:latest' }, {}, goodPod)])).toEqual([
      'image "redis:latest" uses the latest tag',
    ]);
    expect(reasons(pinnedImagesPolicy, [deployment({ ...goodContainer, image: 'registry:5000/team/redis' }, {}, goodPod)])).toEqual([
      'image "registry:5000/team/redis" has no tag or digest',
    ]);
    expect(pinnedImagesPolicy([deployment({ ...goodContainer, image: `redis@sha256:${'a'.repeat(64)}` }, {}, goodPod)])).toEqual([]);
  });

  it('topologySpread: no spread constraint', () => {
    const bad = deployment(goodContainer, {}, { ...goodPod, topologySpreadConstraints: [] });
    expect(reasons(topologySpreadPolicy, [bad])).toEqual(['no topology spread across kubernetes.io/hostname selecting its own pods']);
  });

  it('disruptionBudget: several replicas (or an autoscaler above one) without a PDB, and a PDB that blocks drains', () => {
    const scaled = deployment(goodContainer, { replicas: 3 }, goodPod);
    expect(reasons(disruptionBudgetPolicy, [scaled])).toEqual(['may run several pods but no PodDisruptionBudget selects it']);
    const hpa: K8sObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad', namespace: ns },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'bad' }, minReplicas: 1, maxReplicas: 4 },
    };
    expect(reasons(disruptionBudgetPolicy, [deployment(goodContainer, {}, goodPod), hpa])).toHaveLength(1);
    const blocking: K8sObject = {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'bad', namespace: ns },
      spec: { maxUnavailable: 0, selector: { matchLabels: selector } },
    };
    expect(reasons(disruptionBudgetPolicy, [scaled, blocking])).toEqual(['maxUnavailable 0 blocks every voluntary disruption']);
  });

  it('serviceAccount: the default account, and a token mounted', () => {
    const { serviceAccountName: _s, ...defaultAccount } = goodPod;
    expect(reasons(serviceAccountPolicy, [deployment(goodContainer, {}, defaultAccount)])).toEqual(['runs as the default ServiceAccount']);
    const mounted = deployment(goodContainer, {}, { ...goodPod, automountServiceAccountToken: true });
    expect(reasons(serviceAccountPolicy, [mounted])).toEqual([
      'ServiceAccount bad is not defined',
      'automountServiceAccountToken is not false on the pod',
    ]);
  });

  it('defaultDeny: a namespace with pods and no default-deny policy', () => {
    expect(reasons(defaultDenyPolicy, [deployment(goodContainer, {}, goodPod)])).toEqual([
      'no default-deny NetworkPolicy (all pods, Ingress and Egress, no rules)',
    ]);
    const ingressOnly: K8sObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    expect(defaultDenyPolicy([deployment(goodContainer, {}, goodPod), ingressOnly])).toHaveLength(1);
  });

  it('secretReferences: an undeclared Secret and an undeclared key', () => {
    const policy = secretReferencesPolicy(declaredSecretKeys());
    const bad = deployment({
      ...goodContainer,
      env: [
        { name: 'A', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'NOPE' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'unknown', key: 'X' } } },
      ],
    }, {}, goodPod);
    expect(reasons(policy, [bad])).toEqual([
      'Secret "app-secrets" declares no key "NOPE"',
      'Secret "unknown" is not declared in charts/lib/secrets.ts',
    ]);
  });

  it('noPlaintextSecrets: a Secret without SOPS metadata', () => {
    const plain: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns }, stringData: { password: 'x' } };
    expect(reasons(noPlaintextSecretsPolicy, [plain])).toEqual(['a Secret that is not SOPS-encrypted']);
    expect(noPlaintextSecretsPolicy([{ ...plain, sops: { mac: 'ENC[...]' } }])).toEqual([]);
  });

  it('serviceWiring: a Service selecting nothing, a missing port, a selector-less Service without endpoints, a dangling route', () => {
    const svc = (name: string, spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });
    const pod = deployment({ ...goodContainer, ports: [{ containerPort: 8080 }] }, {}, goodPod);
    const route: K8sObject = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: ns },
      spec: { rules: [{ backendRefs: [{ name: 'ghost', port: 80 }, { name: 'wrong-port', port: 81 }] }] },
    };
    expect(reasons(serviceWiringPolicy, [
      pod,
      svc('orphan', { selector: { 'app.kubernetes.io/name': 'nothing' }, ports: [{ port: 80 }] }),
      svc('wrong-port', { selector, ports: [{ name: 'http', port: 80, targetPort: 9999 }] }),
      svc('external', { ports: [{ port: 3306 }] }),
      route,
    ])).toEqual([
      'selects no pods',
      'port http: no selected container exposes 9999',
      'has no selector and no EndpointSlice',
      'backend Service ghost does not exist',
      'backend Service wrong-port has no port 81',
    ]);
  });
});

describe('routeAttachment catches a detached route', () => {
  const gateway: K8sObject = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'gateway' },
    spec: { listeners: [{ name: 'https-app', hostname: 'app.example.com', protocol: 'HTTPS', port: 443 }] },
  };
  const route = (sectionName: string, hostname: string): K8sObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: ns },
    spec: { parentRefs: [{ name: 'public', namespace: 'gateway', sectionName }], hostnames: [hostname] },
  });
  it('flags a missing listener and a hostname the listener does not serve', () => {
    expect(routeAttachmentPolicy([gateway, route('https-app', 'app.example.com')])).toEqual([]);
    expect(reasons(routeAttachmentPolicy, [gateway, route('https', 'app.example.com')])).toEqual(['Gateway public has no listener "https"']);
    expect(reasons(routeAttachmentPolicy, [gateway, route('https-app', 'ws.example.com')])).toEqual([
      'hostname ws.example.com is not served by listener "https-app"',
    ]);
  });
});

describe('edgeResilience catches an edge a node drain or an in-cluster call takes down', () => {
  it('flags one replica, no PDB, no spread over nodes and a missing hostname-only-ingress annotation', () => {
    const proxy: K8sObject = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyProxy', metadata: { name: 'public', namespace: 'gateway' },
      spec: { provider: { type: 'Kubernetes', kubernetes: { envoyDeployment: { replicas: 1 }, envoyService: { type: 'LoadBalancer', annotations: {} } } } },
    };
    expect(reasons(edgeResiliencePolicy(ENVOY_PROXY_POD_LABELS), [proxy])).toEqual([
      '1 proxy replica(s): a single node drain takes the edge down',
      'no envoyPDB that keeps at least one proxy and lets one go',
      "no topology spread across kubernetes.io/hostname selecting Envoy Gateway's proxy pods",
      'envoyService lacks service.beta.kubernetes.io/linode-loadbalancer-hostname-only-ingress: "true"',
    ]);
  });

  it('flags a spread whose selector misses the proxy pods and a PDB that allows no disruption', () => {
    const proxy: K8sObject = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyProxy', metadata: { name: 'public', namespace: 'gateway' },
      spec: { provider: { type: 'Kubernetes', kubernetes: {
        envoyDeployment: { replicas: 2, pod: { topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'envoy' } } }] } },
        envoyPDB: { minAvailable: 2 },
      } } },
    };
    expect(reasons(edgeResiliencePolicy(ENVOY_PROXY_POD_LABELS), [proxy])).toEqual([
      'no envoyPDB that keeps at least one proxy and lets one go',
      "no topology spread across kubernetes.io/hostname selecting Envoy Gateway's proxy pods",
    ]);
  });
});

describe('objects are real, not fixtures', () => {
  it('finds the rendered web Deployment by name', () => {
    for (const { objects } of environments) expect(find(objects, 'Deployment', 'web').spec.template.spec.containers.length).toBe(4);
  });
});
