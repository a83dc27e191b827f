/**
 * How every app workload scales (docs/scaling.md explains the numbers):
 * - web: KEDA on CPU and php-fpm saturation (busy / total children), fast up, slow down;
 * - one ScaledObject per worker group: a Redis list trigger per queue plus CPU, optional scale to 0;
 * - Soketi: connections per pod, events per second per pod, CPU (whichever saturates first); very
 *   slow scale-down (a removed pod drops its clients);
 * - scheduler, Meilisearch, Redis: no horizontal scaling, by design.
 * Every workload also gets a recommendation-only VPA, so requests can be right-sized from data.
 *
 * KEDA creates the HPA of each ScaledObject (named like the workload); the Deployments omit
 * spec.replicas so Flux never resets what the HPA decided.
 */
import type { EnvironmentConfig, WorkerGroup } from '../apps/config/index.js';
import { Construct } from 'constructs';
import { ScaledObject, TriggerAuthentication, type HpaBehavior, type KedaTrigger } from './lib/keda.js';
import { websocketPeakAnnotations } from './lib/capacity-annotations.js';
import { objectLabels } from './lib/labels.js';
import { AUTOSCALING_CPU_TARGETS, PORTS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { PROMETHEUS_URL, serviceFqdn } from './lib/platform-services.js';
import { realtimeServer } from './lib/realtime-servers.js';
import { queueKeys } from './lib/queue-keys.js';
import { redisInstances } from './lib/redis-instances.js';
import { SECRETS } from './lib/secrets.js';
import { RecommendationOnlyVpa, type WorkloadRef } from './lib/vpa.js';
import { workerName } from './worker-chart.js';

/** Fraction of php-fpm children busy, averaged over the web tier, that the HPA aims for. */
export const WEB_FPM_SATURATION_TARGET = 0.7;
/** Name of the TriggerAuthentication carrying the queue Redis password. */
export const REDIS_QUEUE_TRIGGER_AUTH = 'redis-queue-auth';

/** Scale up at once: double, or +4 pods, every 30 s (whichever adds more). */
const FAST_SCALE_UP: HpaBehavior['scaleUp'] = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 100, periodSeconds: 30 },
    { type: 'Pods', value: 4, periodSeconds: 30 },
  ],
};

/** Web: up at once; down one pod a minute after 5 quiet minutes. */
export const WEB_BEHAVIOR: HpaBehavior = {
  scaleUp: FAST_SCALE_UP,
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
};

/** Workers: a backlog wants pods now; scaling down waits 5 minutes and halves at most per minute. */
export const WORKER_BEHAVIOR: HpaBehavior = {
  scaleUp: FAST_SCALE_UP,
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
};

/** Soketi: removing a pod disconnects its clients, so one pod per 5 minutes after 15 quiet ones. */
export const SOKETI_BEHAVIOR: HpaBehavior = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
  scaleDown: { stabilizationWindowSeconds: 900, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
};

/** Min replicas KEDA keeps for a worker group: 0 only when the group opted in. */
export function workerMinReplicas(group: WorkerGroup): number {
  return group.scaleToZero ? 0 : group.replicas.min;
}

/** PromQL: busy / total php-fpm children of the web tier (hipages php-fpm_exporter, pool www). */
export function fpmSaturationQuery(config: EnvironmentConfig): string {
  const sel = `namespace="${config.namespace}",pod=~"${SERVICE_NAMES.web}-.*",pool="www"`;
  return `sum(phpfpm_active_processes{${sel}}) / clamp_min(sum(phpfpm_total_processes{${sel}}), 1)`;
}

function soketiSelector(config: EnvironmentConfig): string {
  return `namespace="${config.namespace}",pod=~"${SERVICE_NAMES.soketi}-.*"`;
}

/** PromQL: websocket connections over every pod of the realtime server (each names its own metric). */
export function soketiConnectionsQuery(config: EnvironmentConfig): string {
  return `sum(${realtimeServer(config).metrics.connected}{${soketiSelector(config)}})`;
}

/**
 * PromQL: messages per second Soketi writes to websockets over every pod (events delivered, plus
 * the protocol's few replies), the quantity soketi.eventsPerSecondPerPod was measured in.
 */
export function soketiEventsQuery(config: EnvironmentConfig): string {
  return `sum(rate(${realtimeServer(config).metrics.wsMessagesSent}{${soketiSelector(config)}}[1m]))`;
}

function cpu(percent: number): KedaTrigger {
  return { type: 'cpu', metricType: 'Utilization', metadata: { value: String(percent) } };
}

/** Workloads with a fixed replica count; each still gets a VPA. */
function fixedWorkloads(config: EnvironmentConfig): WorkloadRef[] {
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scheduler' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', name: SERVICE_NAMES.meilisearch },
    // The durable queue instance has a volume (StatefulSet); the volatile cache does not.
    ...redisInstances(config).map((r): WorkloadRef => ({ apiVersion: 'apps/v1', kind: r.persistent ? 'StatefulSet' : 'Deployment', name: r.name })),
  ];
}

export class AutoscalingChart extends PlatformChart {
  readonly fileName = 'autoscaling.yaml';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const scaled: WorkloadRef[] = [];
    const scaledObject = (
      name: string,
      tier: string,
      spec: Omit<ConstructorParameters<typeof ScaledObject>[2]['spec'], 'scaleTargetRef'>,
      annotations?: Record<string, string>,
    ) => {
      scaled.push({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      new ScaledObject(this, `${name}-scaler`, {
        metadata: { name, labels: objectLabels(config, name, tier), ...(annotations ? { annotations } : {}) },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          ...spec,
          advanced: { horizontalPodAutoscalerConfig: { name, ...spec.advanced?.horizontalPodAutoscalerConfig } },
        },
      });
    };

    scaledObject(SERVICE_NAMES.web, 'web', {
      pollingInterval: 15,
      minReplicaCount: config.web.replicas.min,
      maxReplicaCount: config.web.replicas.max,
      advanced: { horizontalPodAutoscalerConfig: { behavior: WEB_BEHAVIOR } },
      triggers: [
        cpu(config.web.targetCpuPercent),
        {
          type: 'prometheus',
          name: 'fpm-saturation',
          // Value: the HPA computes replicas x (saturation / target), i.e. enough pods to bring
          // the busy share of children back to the target.
          metricType: 'Value',
          metadata: {
            serverAddress: PROMETHEUS_URL,
            query: fpmSaturationQuery(config),
            threshold: String(WEB_FPM_SATURATION_TARGET),
            ignoreNullValues: 'true',
          },
        },
      ],
    });

    new TriggerAuthentication(this, 'redis-queue-auth', {
      metadata: { name: REDIS_QUEUE_TRIGGER_AUTH, labels: objectLabels(config, SERVICE_NAMES.redisQueue, 'autoscaling') },
      spec: { secretTargetRef: [{ parameter: 'password', name: SECRETS.redis.name, key: SECRETS.redis.keys[0] }] },
    });

    for (const group of config.workers) {
      scaledObject(workerName(group), 'worker', {
        pollingInterval: 10,
        // Only matters with minReplicaCount 0: idle time before the last pod goes.
        cooldownPeriod: 300,
        minReplicaCount: workerMinReplicas(group),
        maxReplicaCount: group.replicas.max,
        advanced: { horizontalPodAutoscalerConfig: { behavior: WORKER_BEHAVIOR } },
        triggers: [
          // One trigger per queue: the HPA follows the busiest queue of the group.
          ...group.queues.map((queue): KedaTrigger => ({
            type: 'redis',
            name: `queue-${queue}`,
            metadata: {
              // KEDA's operator runs in its own namespace: the Service needs its full name.
              address: serviceFqdn(SERVICE_NAMES.redisQueue, config.namespace, PORTS.redis),
              listName: queueKeys(config, queue).ready,
              listLength: String(group.jobsPerReplica),
              // Any waiting job wakes a scaled-to-zero group; a higher value would strand jobs.
              activationListLength: '0',
              databaseIndex: '0',
            },
            authenticationRef: { name: REDIS_QUEUE_TRIGGER_AUTH },
          })),
          cpu(AUTOSCALING_CPU_TARGETS.workerPercent),
        ],
      });
    }

    scaledObject(SERVICE_NAMES.soketi, 'websockets', {
      pollingInterval: 15,
      minReplicaCount: config.soketi.replicas.min,
      maxReplicaCount: config.soketi.replicas.max,
      advanced: { horizontalPodAutoscalerConfig: { behavior: SOKETI_BEHAVIOR } },
      triggers: [
        {
          type: 'prometheus',
          name: 'connections',
          // AverageValue: total connections / connectionsPerPod = replicas needed.
          metricType: 'AverageValue',
          metadata: {
            serverAddress: PROMETHEUS_URL,
            query: soketiConnectionsQuery(config),
            threshold: String(config.soketi.connectionsPerPod),
            ignoreNullValues: 'true',
          },
        },
        {
          type: 'prometheus',
          name: 'events',
          // A pod saturates on events before connections when users are busy: the HPA takes the
          // larger of the two replica counts (and CPU's).
          metricType: 'AverageValue',
          metadata: {
            serverAddress: PROMETHEUS_URL,
            query: soketiEventsQuery(config),
            threshold: String(config.soketi.eventsPerSecondPerPod),
            ignoreNullValues: 'true',
          },
        },
        cpu(AUTOSCALING_CPU_TARGETS.soketiPercent),
      ],
    }, websocketPeakAnnotations(config));

    for (const target of [...scaled, ...fixedWorkloads(config)]) {
      new RecommendationOnlyVpa(this, `${target.name}-vpa`, {
        metadata: { name: target.name, labels: objectLabels(config, target.name, 'autoscaling') },
        targetRef: target,
      });
    }
  }
}
