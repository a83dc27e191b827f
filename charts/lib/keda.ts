/**
 * KEDA objects (keda.sh/v1alpha1), typed to the fields this platform uses and emitted as plain
 * ApiObjects. KEDA creates and owns the HPA of each ScaledObject (one per workload), so CPU and
 * event triggers of a workload always sit in the same ScaledObject.
 * Reference: https://keda.sh/docs/latest/reference/scaledobject-spec/
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

export interface ObjectMeta {
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** One HPA scaling policy: change by `value` pods or percent per `periodSeconds`. */
export interface HpaScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface HpaScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  readonly policies?: readonly HpaScalingPolicy[];
}

/** autoscaling/v2 HorizontalPodAutoscalerBehavior. */
export interface HpaBehavior {
  readonly scaleUp?: HpaScalingRules;
  readonly scaleDown?: HpaScalingRules;
}

export type KedaTrigger =
  | { readonly type: 'cpu' | 'memory'; readonly metricType: 'Utilization' | 'AverageValue'; readonly metadata: { readonly value: string } }
  | {
      readonly type: 'prometheus';
      readonly name?: string;
      /** Value: the query result compared as is; AverageValue: divided by the replica count. */
      readonly metricType?: 'Value' | 'AverageValue';
      readonly metadata: {
        readonly serverAddress: string;
        readonly query: string;
        readonly threshold: string;
        readonly activationThreshold?: string;
        readonly ignoreNullValues?: 'true' | 'false';
      };
    }
  | {
      readonly type: 'redis';
      readonly name?: string;
      readonly metadata: {
        readonly address: string;
        readonly listName: string;
        readonly listLength: string;
        readonly activationListLength?: string;
        readonly databaseIndex?: string;
      };
      readonly authenticationRef: { readonly name: string };
    };

export interface ScaledObjectSpec {
  readonly scaleTargetRef: { readonly apiVersion?: string; readonly kind?: string; readonly name: string };
  readonly pollingInterval?: number;
  /** Seconds after the last active trigger before scaling to minReplicaCount 0 (only then). */
  readonly cooldownPeriod?: number;
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  readonly advanced?: {
    readonly horizontalPodAutoscalerConfig?: { readonly name?: string; readonly behavior?: HpaBehavior };
  };
  readonly triggers: readonly KedaTrigger[];
}

export class ScaledObject extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly spec: ScaledObjectSpec }) {
    super(scope, id, { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: props.metadata, spec: props.spec });
  }
}

/** Maps a trigger parameter (e.g. `password`) to a key of a Secret in the same namespace. */
export interface SecretTargetRef {
  readonly parameter: string;
  readonly name: string;
  readonly key: string;
}

export class TriggerAuthentication extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly metadata: ObjectMeta; readonly spec: { readonly secretTargetRef: readonly SecretTargetRef[] } },
  ) {
    super(scope, id, {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: props.metadata,
      spec: props.spec,
    });
  }
}
