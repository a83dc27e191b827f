/**
 * VerticalPodAutoscaler (autoscaling.k8s.io/v1) in recommendation-only mode: the recommender
 * publishes request recommendations in the object's status, nothing is evicted or resized.
 * Requests stay in the environment config; the recommendations are the data to change them with.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ObjectMeta } from './keda.js';

export interface WorkloadRef {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
}

export class RecommendationOnlyVpa extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ObjectMeta; readonly targetRef: WorkloadRef }) {
    super(scope, id, {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: props.metadata,
      spec: {
        targetRef: props.targetRef,
        // "Off": compute recommendations only. Never "Auto"/"Recreate" next to an HPA on CPU:
        // both would act on the same signal and fight.
        updatePolicy: { updateMode: 'Off' },
        resourcePolicy: {
          containerPolicies: [{ containerName: '*', controlledResources: ['cpu', 'memory'] }],
        },
      },
    });
  }
}
