/**
 * Redis: a volatile cache instance (allkeys-lru, no persistence, a Deployment) and a durable
 * queue/session instance (noeviction, AOF on a retained block-storage volume, a StatefulSet), or
 * only the latter when `redis.merged` is set (lib/redis-instances.ts). Each pod runs
 * redis_exporter beside Redis. Neither scales horizontally: Redis is single-threaded per
 * instance and the app talks to one endpoint; size them vertically (maxmemory and resources).
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { exporterSidecar } from './lib/exporter-sidecar.js';
import { objectLabels } from './lib/labels.js';
import { PORTS } from './lib/names.js';
import { redisExporterCheckSingleKeys } from './lib/queue-keys.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';
import { DEFAULT_REDIS_STORAGE_GIB, redisInstances, type RedisInstance } from './lib/redis-instances.js';
import { containerResources } from './lib/resources.js';
import { SECRETS, secretEnv } from './lib/secrets.js';
import { StatefulWorkload } from './lib/stateful-workload.js';
import { configMapVolume, emptyDir, mount } from './lib/volumes.js';
import {
  REDIS_AUTH_CONF,
  REDIS_AUTH_DIR,
  REDIS_CONF_DIR,
  REDIS_DATA_DIR,
  renderRedisConf,
} from './redis/redis-conf.js';

const TIER = 'redis';

export class RedisChart extends PlatformChart {
  readonly fileName = 'redis.yaml';
  override readonly layer: Layer = 'apps/base';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    for (const instance of redisInstances(props.config)) this.addInstance(instance);
  }

  private addInstance(instance: RedisInstance): void {
    const { config } = this;
    const conf = renderRedisConf(instance);
    new k8s.KubeConfigMap(this, `${instance.role}-config`, {
      metadata: { name: instance.configMapName, labels: objectLabels(config, instance.name, TIER) },
      data: { 'redis.conf': conf },
    });

    const redisPort = k8s.IntOrString.fromNumber(PORTS.redis);
    const password = secretEnv(SECRETS.redis, 'REDIS_PASSWORD');
    // The password only as an env var of the init container, the exporter and REDISCLI_AUTH
    // (redis-cli's own variable, for the readiness probe); never in argv.
    const writeAuth: k8s.Container = {
      name: 'redis-auth',
      image: config.images.redis,
      command: ['/bin/sh', '-c', `umask 077; printf 'requirepass "%s"\\n' "$REDIS_PASSWORD" > ${REDIS_AUTH_CONF}`],
      env: [password],
      resources: containerResources({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } }),
      volumeMounts: [mount('redis-auth', REDIS_AUTH_DIR)],
    };
    const redis: k8s.Container = {
      name: 'redis',
      image: config.images.redis,
      command: ['redis-server', `${REDIS_CONF_DIR}/redis.conf`],
      env: [secretEnv(SECRETS.redis, 'REDIS_PASSWORD', 'REDISCLI_AUTH')],
      ports: [{ name: 'redis', containerPort: PORTS.redis, protocol: 'TCP' }],
      resources: containerResources(instance.settings.resources),
      // Redis listens before it has loaded the AOF and answers LOADING until then: TCP for
      // startup and liveness (a long load must not restart it), PONG for readiness.
      ...(instance.persistent
        ? { startupProbe: { tcpSocket: { port: redisPort }, periodSeconds: 5, failureThreshold: 60 } }
        : {}),
      livenessProbe: { tcpSocket: { port: redisPort }, periodSeconds: 10, failureThreshold: 3 },
      readinessProbe: {
        exec: { command: ['/bin/sh', '-c', `test "$(redis-cli -p ${PORTS.redis} ping)" = PONG`] },
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 2,
      },
      volumeMounts: [
        mount('config', REDIS_CONF_DIR, { readOnly: true }),
        mount('redis-auth', REDIS_AUTH_DIR, { readOnly: true }),
        mount('data', REDIS_DATA_DIR),
      ],
    };
    const exporter = exporterSidecar({
      name: 'redis-exporter',
      image: config.images.redisExporter,
      port: PORTS.redisExporter,
      portName: 'metrics',
      env: [
        { name: 'REDIS_ADDR', value: `redis://127.0.0.1:${PORTS.redis}` },
        password,
        // The queue lists and sets KEDA and the queue alerts read (redis_key_size{key=...}).
        ...(instance.role === 'queue'
          ? [{ name: 'REDIS_EXPORTER_CHECK_SINGLE_KEYS', value: redisExporterCheckSingleKeys(config) }]
          : []),
      ],
    });

    const common = {
      config,
      name: instance.name,
      tier: TIER,
      initContainers: [writeAuth],
      containers: [redis, exporter],
      // Redis writes the AOF on SIGTERM before it exits; give a large dataset time to flush.
      terminationGracePeriodSeconds: instance.persistent ? 60 : 30,
      servicePorts: [
        { name: 'redis', port: PORTS.redis },
        { name: 'metrics', port: PORTS.redisExporter },
      ],
    };
    const volumes = [configMapVolume('config', instance.configMapName), emptyDir('redis-auth', '1Mi', 'Memory')];

    if (instance.persistent) {
      new StatefulWorkload(this, instance.role, {
        ...common,
        volumes,
        volumeClaims: [{ name: 'data', storageGiB: instance.settings.storageGiB ?? DEFAULT_REDIS_STORAGE_GIB }],
      });
    } else {
      new AppWorkload(this, instance.role, {
        ...common,
        // Rolling: during an update two empty-ish caches briefly coexist, which a cache tolerates
        // better than a gap with none.
        replicas: 1,
        volumes: [...volumes, emptyDir('data', `${config.ephemeralStorage.emptyDirMiB.redisCacheData}Mi`)],
      });
    }
  }
}
