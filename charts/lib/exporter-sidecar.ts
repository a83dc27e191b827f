/**
 * A Prometheus exporter running next to the server it translates (php-fpm, nginx, Redis). They
 * all need the same small, fixed budget and cheap probes on their metrics port, so they are
 * built here once. Resources are constants, not config: an exporter's cost does not grow with
 * the environment.
 */
import * as k8s from '../../imports/k8s.js';

export const EXPORTER_RESOURCES = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { memory: '64Mi' },
} as const;

export interface ExporterSidecarProps {
  readonly name: string;
  readonly image: string;
  /** Metrics port (container port). */
  readonly port: number;
  /** Named port Prometheus' PodMonitor/ServiceMonitor selects. */
  readonly portName: string;
  /** @default [] */
  readonly args?: string[];
  /** @default [] */
  readonly env?: k8s.EnvVar[];
}

export function exporterSidecar(props: ExporterSidecarProps): k8s.Container {
  const port = k8s.IntOrString.fromNumber(props.port);
  return {
    name: props.name,
    image: props.image,
    ...(props.args?.length ? { args: props.args } : {}),
    ...(props.env?.length ? { env: props.env } : {}),
    ports: [{ name: props.portName, containerPort: props.port, protocol: 'TCP' }],
    resources: {
      requests: {
        cpu: k8s.Quantity.fromString(EXPORTER_RESOURCES.requests.cpu),
        memory: k8s.Quantity.fromString(EXPORTER_RESOURCES.requests.memory),
      },
      limits: { memory: k8s.Quantity.fromString(EXPORTER_RESOURCES.limits.memory) },
    },
    // TCP only: an HTTP probe on /metrics would scrape the server on every probe. The same check
    // for both is allow-listed in policies/probe-policies.ts, with the reason.
    readinessProbe: { tcpSocket: { port }, periodSeconds: 10 },
    livenessProbe: { tcpSocket: { port }, periodSeconds: 20, failureThreshold: 3 },
  };
}
