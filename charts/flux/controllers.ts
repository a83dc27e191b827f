/**
 * The cluster's third-party controllers: what Flux installs in the first layer, with pinned chart
 * versions. An upgrade is a PR changing one version here; the manifest diff shows it.
 * Values are derived from the environment config where they depend on it.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { GATEWAY_REF, PEER_NAMESPACES } from '../lib/names.js';
import type { ChartSource, HelmReleaseProps } from './flux-types.js';

export interface ControllerSpec {
  /** HelmRelease, source and file name. */
  readonly name: string;
  readonly namespace: string;
  /** Pod Security level of the namespace (node-exporter needs host access: privileged). */
  readonly podSecurity: 'restricted' | 'baseline' | 'privileged';
  readonly source: ChartSource;
  readonly values: (config: EnvironmentConfig) => Record<string, unknown>;
  readonly dependsOn?: HelmReleaseProps['dependsOn'];
  /**
   * Metrics the chart's workloads expose, by name prefix, and the `app.kubernetes.io/name` of the
   * rendered workload exposing them: an alert or dashboard reading such a metric needs the chart
   * to render a ServiceMonitor or PodMonitor for that workload (tests/integration/controller-charts).
   */
  readonly metrics?: ReadonlyArray<{ readonly prefix: string; readonly workload: string }>;
  /**
   * Values paths the chart copies as a whole (a free-form map, e.g. through toYaml), with why:
   * the ignored-keys check does not descend into them.
   */
  readonly passThroughValues?: Readonly<Record<string, string>>;
}

/**
 * CRDs of Flux itself, as `go-module@version/path` on the Go module proxy. Flux is installed by
 * `flux bootstrap`, not by a HelmRelease, so no pinned chart carries its CRDs: these are the Go
 * modules of the pinned Flux release set (v2.9). Every controller below gets its CRD schemas from
 * its own pinned chart, rendered with its values (.ci/install.d/20-k8s-schemas.sh), so the chart
 * version here is both what is installed and what is validated. The proxy serves no
 * notification-controller of that set that the checksum database knows, so notification uses
 * v1.6.0, the newest it serves.
 */
export const FLUX_CRD_SOURCES: readonly string[] = [
  'github.com/fluxcd/kustomize-controller@v1.9.5/config/crd/bases',
  'github.com/fluxcd/source-controller@v1.9.5/config/crd/bases',
  'github.com/fluxcd/helm-controller@v1.6.4/config/crd/bases',
  'github.com/fluxcd/notification-controller@v1.6.0/config/crd/bases',
];

// The app's NetworkPolicies and routes name these namespaces too: one definition (lib/names.ts).
export const MONITORING_NAMESPACE = PEER_NAMESPACES.monitoring;
export const GATEWAY_NAMESPACE = GATEWAY_REF.namespace;
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const KEDA_NAMESPACE = PEER_NAMESPACES.keda;

export const CONTROLLERS: readonly ControllerSpec[] = [
  {
    // Prometheus operator, Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics.
    name: 'kube-prometheus-stack',
    namespace: MONITORING_NAMESPACE,
    podSecurity: 'privileged',
    source: { url: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '77.0.0' },
    metrics: [{ prefix: 'kube_', workload: 'kube-state-metrics' }],
    passThroughValues: {
      'prometheus.prometheusSpec.storageSpec': 'the chart has storageSpec: {} and copies it with toYaml into the Prometheus CR (spec.storage)',
    },
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
    // keda_scaler_* (scaler errors and values) come from the operator.
    metrics: [{ prefix: 'keda_', workload: 'keda-operator' }],
    // Its ServiceMonitors need the prometheus-operator CRDs, which kube-prometheus-stack installs.
    dependsOn: [{ name: 'kube-prometheus-stack', namespace: MONITORING_NAMESPACE }],
    values: () => ({
      // `enabled` only opens the metrics ports; the ServiceMonitors make Prometheus scrape them.
      prometheus: {
        // The operator's metrics are scraped once, by the PodMonitor keda-operator
        // (charts/monitoring-chart.ts) with honorLabels: KEDA labels each series with its
        // ScaledObject's namespace, which this chart's ServiceMonitor (no honorLabels) would rename
        // exported_namespace, and a second scrape would double every series.
        operator: { enabled: true, serviceMonitor: { enabled: false } },
        metricServer: { enabled: true, serviceMonitor: { enabled: true } },
      },
      // No CPU limit (throttling, as for every workload): null removes the chart's default of 1.
      resources: {
        operator: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: null, memory: '512Mi' } },
        metricServer: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: null, memory: '512Mi' } },
      },
    }),
  },
  {
    // Gateway API implementation; the chart also installs the Gateway API CRDs, experimental
    // channel (the manifests are held to the standard channel: docs/validation.md).
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
    values: () => ({
      // The chart appends `args` to `defaultArgs`, whose address types (InternalIP,ExternalIP,
      // Hostname) metrics-server would join with ours: defaultArgs is replaced by the chart's
      // other defaults (certificates in the writable /tmp, kubelet port from the node status,
      // metric resolution), and our flags come once, in args.
      defaultArgs: ['--cert-dir=/tmp', '--kubelet-use-node-status-port', '--metric-resolution=15s'],
      args: ['--kubelet-insecure-tls', '--kubelet-preferred-address-types=InternalIP'],
    }),
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
