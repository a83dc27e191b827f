/**
 * The Pusher-protocol websocket server the browser connects to (through the Gateway) and Laravel
 * publishes to (HTTP API on the same port, inside the cluster): Soketi, or Sockudo when
 * `realtime.server` says so (lib/realtime-servers.ts). Both run as the `soketi` workload and
 * Service, so Laravel's PUSHER_HOST, the route, the NetworkPolicies, the monitors and the KEDA
 * trigger shape stay the same on a switch; Sockudo gets the same settings, translated key by key.
 * - Redis adapter: an event published to any pod reaches subscribers on every pod, so Soketi
 *   scales horizontally (the autoscaling layer decides replicas from connection metrics);
 * - Redis rate limiter: the per-app limits (lib/soketi-limits.ts, derived from config.capacity:
 *   users x events per user per minute / 60 with headroom for backend events, the per-user rate
 *   for client events per connection) are counted cluster-wide;
 * - Prometheus metrics on 9601 (`metrics`);
 * - graceful shutdown: on SIGTERM Soketi fails /accept-traffic (readiness), so no new
 *   connections arrive, waits SOKETI_SHUTDOWN_GRACE_PERIOD for clients to reconnect elsewhere,
 *   then closes the rest; the pod's grace period covers that wait.
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { objectLabels } from './lib/labels.js';
import { soketiNodeOptions } from './lib/memory-sizing.js';
import { CONFIG_MAP_NAMES, MEMORY_SIZING, PORTS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';
import { realtimeServer, SOCKUDO_WORKING_DIR, sockudoConfigFile, translateSoketiEnv } from './lib/realtime-servers.js';
import { cacheRedisService } from './lib/redis-instances.js';
import { containerResources } from './lib/resources.js';
import { SECRETS, secretEnv } from './lib/secrets.js';
import { soketiAppLimits } from './lib/soketi-limits.js';
import { configMapVolume, emptyDir, mount } from './lib/volumes.js';

/** HTTP API reads per second (channel and presence queries). */
export const MAX_READ_REQUESTS_PER_SECOND = 100;

/** Seconds between Soketi's own shutdown grace ending and the kubelet's SIGKILL. */
export const SOKETI_KILL_MARGIN_SECONDS = 10;

export class SoketiChart extends PlatformChart {
  readonly fileName = 'soketi.yaml';
  override readonly layer: Layer = 'apps/base';
  readonly workload: AppWorkload;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const limits = soketiAppLimits(config);
    const http = (path: string): k8s.Probe['httpGet'] => ({ path, port: k8s.IntOrString.fromNumber(PORTS.soketi) });
    const env = (name: string, value: string | number | boolean): k8s.EnvVar => ({ name, value: String(value) });

    const soketiEnv: k8s.EnvVar[] = [
      env('SOKETI_PORT', PORTS.soketi),
      env('SOKETI_DEBUG', 0),
      // The one app: Laravel's PUSHER_APP_ID / KEY / SECRET.
      env('SOKETI_DEFAULT_APP_ID', config.laravel.appName),
      secretEnv(SECRETS.soketi, 'PUSHER_APP_KEY', 'SOKETI_DEFAULT_APP_KEY'),
      secretEnv(SECRETS.soketi, 'PUSHER_APP_SECRET', 'SOKETI_DEFAULT_APP_SECRET'),
      env('SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES', true),
      env('SOKETI_DEFAULT_APP_MAX_CONNS', limits.maxConnections),
      env('SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC', limits.maxBackendEventsPerSecond),
      env('SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC', limits.maxClientEventsPerSecond),
      // The app reads channel/presence state rarely; 100/s is generous and still bounded.
      env('SOKETI_DEFAULT_APP_MAX_READ_REQ_PER_SEC', MAX_READ_REQUESTS_PER_SECOND),
      // Fan-out between pods and shared rate-limit counters, on the volatile Redis.
      env('SOKETI_ADAPTER_DRIVER', 'redis'),
      env('SOKETI_ADAPTER_REDIS_PREFIX', `${config.laravel.appName}-soketi`),
      env('SOKETI_RATE_LIMITER_DRIVER', 'redis'),
      env('SOKETI_DB_REDIS_HOST', cacheRedisService(config)),
      env('SOKETI_DB_REDIS_PORT', PORTS.redis),
      env('SOKETI_DB_REDIS_KEY_PREFIX', `${config.laravel.appName}-soketi:`),
      secretEnv(SECRETS.redis, 'REDIS_PASSWORD', 'SOKETI_DB_REDIS_PASSWORD'),
      env('SOKETI_METRICS_ENABLED', 1),
      env('SOKETI_METRICS_DRIVER', 'prometheus'),
      env('SOKETI_METRICS_SERVER_PORT', PORTS.soketiMetrics),
      env('SOKETI_SHUTDOWN_GRACE_PERIOD', config.soketi.shutdownGraceSeconds * 1000),
      // Node's heap cap under the container limit: /accept-traffic measures memory against
      // the heap, so with a cap it fails (and the pod leaves the rotation) before the
      // kernel's OOM killer would end it; without one the heap size follows the node's RAM.
      env('NODE_OPTIONS', soketiNodeOptions(config)),
      env('SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD', MEMORY_SIZING.soketiAcceptTrafficMemoryThresholdPercent),
    ];
    const server = config.realtime.server === 'sockudo' ? this.sockudo(config, soketiEnv) : {
      name: 'soketi',
      image: config.images.soketi,
      env: soketiEnv,
      volumeMounts: [mount('tmp', '/tmp')],
    };
    const profile = realtimeServer(config);

    this.workload = new AppWorkload(this, 'soketi', {
      config,
      name: SERVICE_NAMES.soketi,
      tier: 'websockets',
      replicas: config.soketi.replicas,
      terminationGracePeriodSeconds: config.soketi.shutdownGraceSeconds + SOKETI_KILL_MARGIN_SECONDS,
      containers: [
        {
          ...server,
          ports: [
            { name: 'websocket', containerPort: PORTS.soketi, protocol: 'TCP' },
            { name: 'metrics', containerPort: PORTS.soketiMetrics, protocol: 'TCP' },
          ],
          resources: containerResources(config.soketi.resources),
          // /accept-traffic fails while shutting down or over the memory threshold: the Gateway
          // stops sending new connections there within one period.
          readinessProbe: { httpGet: http(profile.readinessPath), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 1 },
          livenessProbe: { httpGet: http(profile.livenessPath), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
        },
      ],
      volumes: [
        emptyDir('tmp', `${config.ephemeralStorage.emptyDirMiB.soketiTmp}Mi`),
        ...(config.realtime.server === 'sockudo' ? [configMapVolume('config', CONFIG_MAP_NAMES.sockudo)] : []),
      ],
      servicePorts: [
        { name: 'websocket', port: PORTS.soketi },
        { name: 'metrics', port: PORTS.soketiMetrics },
      ],
    });
  }

  /**
   * Sockudo: the Soketi settings translated (a Soketi key without a translation fails synth), and
   * the adapter's key prefix, which has no env key, in config/config.json under its working dir.
   */
  private sockudo(config: PlatformChartProps['config'], soketiEnv: k8s.EnvVar[]) {
    const { env, adapterPrefix } = translateSoketiEnv(soketiEnv, 'charts/soketi-chart.ts');
    new k8s.KubeConfigMap(this, 'sockudo-config', {
      metadata: { name: CONFIG_MAP_NAMES.sockudo, labels: objectLabels(config, SERVICE_NAMES.soketi, 'websockets') },
      data: { 'config.json': sockudoConfigFile(adapterPrefix ?? `${config.laravel.appName}-soketi`) },
    });
    return {
      name: 'sockudo',
      image: config.images.sockudo!,
      workingDir: SOCKUDO_WORKING_DIR,
      env: env as k8s.EnvVar[],
      volumeMounts: [mount('tmp', '/tmp'), mount('config', `${SOCKUDO_WORKING_DIR}/config`, { readOnly: true })],
    };
  }
}
