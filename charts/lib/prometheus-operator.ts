/**
 * prometheus-operator objects (monitoring.coreos.com): PodMonitor, PrometheusRule and ScrapeConfig
 * (v1alpha1, for targets outside the cluster such as the database VMs), typed by the constructs
 * `cdk8s import` generated from the operator's own CRDs (imports/monitoring.coreos.com.ts,
 * lib/crd.ts). Only what the platform requires beyond the CRD is narrowed here.
 * Reference: https://prometheus-operator.dev/docs/api-reference/api/
 */
import type { Construct } from 'constructs';
import {
  PodMonitor as PodMonitorCrd, PrometheusRule as PrometheusRuleCrd, PrometheusRuleSpecGroupsRulesExpr, ScrapeConfig as ScrapeConfigCrd,
  type PodMonitorProps, type PodMonitorSpec, type PodMonitorSpecPodMetricsEndpoints, type PrometheusRuleProps,
  type PrometheusRuleSpecGroups, type PrometheusRuleSpecGroupsRules, type ScrapeConfigProps, type ScrapeConfigSpecStaticConfigs,
} from '../../imports/monitoring.coreos.com.js';
import { CrdObject, type ObjectMeta } from './crd.js';

/** An endpoint is selected by the container port's name. */
export type PodMetricsEndpoint = PodMonitorSpecPodMetricsEndpoints & { readonly port: string };

export class PodMonitor extends CrdObject<PodMonitorProps> {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly spec: PodMonitorSpec }) {
    super(scope, id, PodMonitorCrd, props);
  }
}

/**
 * An alert as this platform writes it: a PromQL string (the CRD's expr is int-or-string), a
 * severity label and a summary and description for the notification.
 */
export type AlertingRule = Omit<PrometheusRuleSpecGroupsRules, 'alert' | 'record' | 'expr' | 'labels' | 'annotations'> & {
  readonly alert: string;
  readonly expr: string;
  readonly labels: { readonly severity: 'warning' | 'critical' } & Record<string, string>;
  readonly annotations: { readonly summary: string; readonly description: string } & Record<string, string>;
};

export type RuleGroup = Omit<PrometheusRuleSpecGroups, 'rules'> & { readonly rules: readonly AlertingRule[] };

export class PrometheusRule extends CrdObject<PrometheusRuleProps> {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly groups: readonly RuleGroup[] }) {
    super(scope, id, PrometheusRuleCrd, {
      metadata: props.metadata,
      spec: {
        groups: props.groups.map((group): PrometheusRuleSpecGroups => ({
          ...group,
          rules: group.rules.map((rule): PrometheusRuleSpecGroupsRules => ({ ...rule, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr) })),
        })),
      },
    });
  }
}

export class ScrapeConfig extends CrdObject<ScrapeConfigProps> {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly metadata: ObjectMeta; readonly staticConfigs: ScrapeConfigSpecStaticConfigs[]; readonly scrapeInterval?: string },
  ) {
    super(scope, id, ScrapeConfigCrd, {
      metadata: props.metadata,
      spec: {
        scrapeInterval: props.scrapeInterval,
        staticConfigs: props.staticConfigs,
      },
    });
  }
}
