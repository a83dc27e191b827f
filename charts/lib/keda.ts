/**
 * KEDA objects (keda.sh/v1alpha1), typed by the constructs `cdk8s import` generated from KEDA's
 * own CRDs (imports/keda.sh.ts, `bash imports/regenerate.sh`, lib/crd.ts): a misspelled or
 * misplaced field fails `tsc`. KEDA creates and owns the HPA of each ScaledObject (one per
 * workload), so CPU and event triggers sit in the same ScaledObject.
 * Reference: https://keda.sh/docs/latest/reference/scaledobject-spec/
 */
import type { Construct } from 'constructs';
import {
  ScaledObject as ScaledObjectCrd, TriggerAuthentication as TriggerAuthenticationCrd,
  type ScaledObjectProps, type ScaledObjectSpec as ScaledObjectCrdSpec, type ScaledObjectSpecAdvancedHorizontalPodAutoscalerConfigBehavior,
  type ScaledObjectSpecTriggers, type TriggerAuthenticationProps, type TriggerAuthenticationSpec,
} from '../../imports/keda.sh.js';
import { CrdObject, type ObjectMeta } from './crd.js';

/** autoscaling/v2 HorizontalPodAutoscalerBehavior, as KEDA's CRD declares it. */
export type HpaBehavior = ScaledObjectSpecAdvancedHorizontalPodAutoscalerConfigBehavior;

/**
 * The triggers this platform uses. The CRD leaves a trigger's `metadata` free-form (each scaler
 * reads its own keys), so the scaler keys are narrowed here; the rest is the CRD's type.
 */
export type KedaTrigger = ScaledObjectSpecTriggers & (
  | { readonly type: 'cpu' | 'memory'; readonly metricType: 'Utilization' | 'AverageValue'; readonly metadata: { readonly value: string } }
  | {
      readonly type: 'prometheus';
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
      readonly metadata: {
        readonly address: string;
        readonly listName: string;
        readonly listLength: string;
        readonly activationListLength?: string;
        readonly databaseIndex?: string;
      };
      readonly authenticationRef: { readonly name: string };
    });

export type ScaledObjectSpec = Omit<ScaledObjectCrdSpec, 'triggers'> & { readonly triggers: readonly KedaTrigger[] };

export class ScaledObject extends CrdObject<ScaledObjectProps> {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly spec: ScaledObjectSpec }) {
    super(scope, id, ScaledObjectCrd, { metadata: props.metadata, spec: { ...props.spec, triggers: [...props.spec.triggers] } });
  }
}

export class TriggerAuthentication extends CrdObject<TriggerAuthenticationProps> {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly spec: TriggerAuthenticationSpec }) {
    super(scope, id, TriggerAuthenticationCrd, props);
  }
}
