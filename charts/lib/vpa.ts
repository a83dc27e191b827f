/**
 * VerticalPodAutoscaler (autoscaling.k8s.io/v1) in recommendation-only mode: the recommender
 * publishes request recommendations in the object's status, nothing is evicted or resized.
 * Requests stay in the environment config; the recommendations are the data to change them with.
 * Typed by the construct `cdk8s import` generated from the VPA chart's CRD (lib/crd.ts).
 */
import type { Construct } from 'constructs';
import {
  VerticalPodAutoscaler, VerticalPodAutoscalerSpecUpdatePolicyUpdateMode,
  type VerticalPodAutoscalerProps, type VerticalPodAutoscalerSpecTargetRef,
} from '../../imports/autoscaling.k8s.io.js';
import { CrdObject, type ObjectMeta } from './crd.js';

/** The workloads this platform points a VPA at. */
export type WorkloadRef = VerticalPodAutoscalerSpecTargetRef & {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'Deployment' | 'StatefulSet';
};

export class RecommendationOnlyVpa extends CrdObject<VerticalPodAutoscalerProps> {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly targetRef: WorkloadRef }) {
    super(scope, id, VerticalPodAutoscaler, {
      metadata: props.metadata,
      spec: {
        targetRef: props.targetRef,
        // "Off": compute recommendations only. Never "Auto"/"Recreate" next to an HPA on CPU:
        // both would act on the same signal and fight.
        updatePolicy: { updateMode: VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.OFF },
        resourcePolicy: {
          containerPolicies: [{ containerName: '*', controlledResources: ['cpu', 'memory'] }],
        },
      },
    });
  }
}
