/**
 * The cluster's third-party controllers: what Flux installs in the first layer, with pinned chart
 * versions. An upgrade is a PR changing one version here; the manifest diff shows it.
 * Values are derived from the environment config where they depend on it.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';
import type { ChartSource } from './flux-types.js';

export interface ControllerSpec {
  /** HelmRelease, source and file name. */
  readonly name: string;
  readonly namespace: string;
  /** Pod Security level of the namespace (node-exporter needs host access: privileged). */
  readonly podSecurity: 'restricted' | 'baseline' | 'privileged';
  readonly source: ChartSource;
  readonly values: (config: EnvironmentConfig) => Record<string, unknown>;
  readonly dependsOn?: ReadonlyArray<{ name: string; namespace: string }>;
}

export const MONITORING_NAMESPACE = 'monitoring';
export const GATEWAY_NAMESPACE = 'gateway';
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const KEDA_NAMESPACE = 'keda';

export const CONTROLLERS: readonly ControllerSpec[] = [
  {
    // Prometheus operator, Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics.
    name: 'kube-prometheus-stack',
    namespace: MONITORING_NAMESPACE,
    podSecurity: 'privileged',
    source: { url: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '77.0.0' },
    values: (config) => ({
      crds: { enabled: true },
      prometheus: {
        prometheusSpec: {
          retention: config.name === 'production' ? '15d' : '5d',
          // Select every monitor and rule in the cluster, not only the chart's own.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                storageClassName: 'linode-block-storage-retain',
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: config.name === 'production' ? '50Gi' : '20Gi' } },
              },
            },
          },
        },
      },
      grafana: {
        sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } },
      },
    }),
  },
  {
    name: 'keda',
    namespace: KEDA_NAMESPACE,
    podSecurity: 'restricted',
    source: { url: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.18.0' },
    values: () => ({
      prometheus: {
        operator: { enabled: true },
        metricServer: { enabled: true },
      },
      resources: {
        operator: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
        metricServer: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      },
    }),
  },
  {
    // Gateway API implementation; the chart also installs the Gateway API CRDs.
    name: 'envoy-gateway',
    namespace: GATEWAY_NAMESPACE,
    podSecurity: 'restricted',
    source: { url: 'oci://docker.io/envoyproxy', chart: 'gateway-helm', version: 'v1.6.0' },
    values: () => ({}),
  },
  {
    name: 'cert-manager',
    namespace: CERT_MANAGER_NAMESPACE,
    podSecurity: 'restricted',
    source: { url: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.19.1' },
    values: () => ({ crds: { enabled: true, keep: true } }),
  },
  {
    // LKE does not ship metrics-server; the HPAs that KEDA manages need it for CPU triggers.
    // LKE kubelets serve self-signed certificates, hence --kubelet-insecure-tls (traffic stays
    // on the node network); revisit if LKE starts issuing kubelet serving certificates.
    name: 'metrics-server',
    namespace: 'kube-system',
    podSecurity: 'privileged',
    source: { url: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', version: '3.13.0' },
    values: () => ({ args: ['--kubelet-insecure-tls', '--kubelet-preferred-address-types=InternalIP'] }),
  },
  {
    // Vertical Pod Autoscaler in recommendation-only mode: no updater, no admission webhook.
    name: 'vpa',
    namespace: 'vpa',
    podSecurity: 'restricted',
    source: { url: 'https://charts.fairwinds.com/stable', chart: 'vpa', version: '4.7.1' },
    values: () => ({ recommender: { enabled: true }, updater: { enabled: false }, admissionController: { enabled: false } }),
  },
];
