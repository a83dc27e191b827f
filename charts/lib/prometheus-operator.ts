/**
 * prometheus-operator objects (monitoring.coreos.com), typed to the fields this platform uses and
 * emitted as plain ApiObjects: PodMonitor, PrometheusRule and ScrapeConfig (v1alpha1, for targets
 * outside the cluster such as the database VMs).
 * Reference: https://prometheus-operator.dev/docs/api-reference/api/
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ObjectMeta } from './keda.js';

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists'; readonly values?: readonly string[] }>;
}

export interface PodMetricsEndpoint {
  /** The container port's name. */
  readonly port: string;
  /** @default /metrics */
  readonly path?: string;
  readonly interval?: string;
  /** Keep the target's own labels (e.g. KEDA's `namespace`) instead of prefixing them `exported_`. */
  readonly honorLabels?: boolean;
  /** Bearer token from a Secret key in the monitor's namespace. */
  readonly authorization?: { readonly type: 'Bearer'; readonly credentials: { readonly name: string; readonly key: string } };
}

export interface PodMonitorSpec {
  readonly selector: LabelSelector;
  /** @default the monitor's own namespace */
  readonly namespaceSelector?: { readonly matchNames: readonly string[] };
  readonly podMetricsEndpoints: readonly PodMetricsEndpoint[];
}

export class PodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly spec: PodMonitorSpec }) {
    super(scope, id, { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: props.metadata, spec: props.spec });
  }
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for?: string;
  readonly labels: { readonly severity: 'warning' | 'critical' } & Record<string, string>;
  readonly annotations: { readonly summary: string; readonly description: string } & Record<string, string>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertingRule[];
}

export class PrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly groups: readonly RuleGroup[] }) {
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: props.metadata,
      spec: { groups: props.groups },
    });
  }
}

export interface StaticTargetGroup {
  readonly targets: readonly string[];
  readonly labels?: Record<string, string>;
}

export class ScrapeConfig extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly metadata: ObjectMeta; readonly staticConfigs: readonly StaticTargetGroup[]; readonly scrapeInterval?: string },
  ) {
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'ScrapeConfig',
      metadata: props.metadata,
      spec: {
        ...(props.scrapeInterval ? { scrapeInterval: props.scrapeInterval } : {}),
        staticConfigs: props.staticConfigs,
      },
    });
  }
}
