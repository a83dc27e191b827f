/**
 * Values shared by every environment. An environment file is this base plus a short, visible
 * patch (see staging.ts and production.ts): objects merge key by key, lists of named things
 * (worker groups, node pools, DB replicas) merge item by item on `name`, other arrays replace whole.
 *
 * The base holds no environment identity: names, domains, cluster, network, DB addresses and the
 * app's APP_ENV, the age key its Secrets are encrypted to, are what `environment()` requires each environment to state. Sizes here are the
 * production-like defaults; a change here changes every environment, which the PR's manifest
 * diff shows per environment.
 */
import { deepMerge, type DeepPartial, type EnvironmentConfig } from '../config/index.js';

/** What every environment must state itself: identity, never inherited. */
type Identity = Pick<EnvironmentConfig, 'name' | 'domains' | 'cluster' | 'network' | 'secrets'> & {
  laravel: Pick<EnvironmentConfig['laravel'], 'appEnv'>;
  database: Pick<EnvironmentConfig['database'], 'primary' | 'replicas'>;
};

type Base = Omit<EnvironmentConfig, 'name' | 'domains' | 'cluster' | 'network' | 'secrets' | 'laravel' | 'database'> & {
  laravel: Omit<EnvironmentConfig['laravel'], 'appEnv'>;
  database: Omit<EnvironmentConfig['database'], 'primary' | 'replicas'>;
};

const base: Base = {
  namespace: 'marketplace',
  images: {
    // The app's four images, built by the app repository's CI; bump the tag in a PR to release.
    nginx: 'ghcr.io/fmtod/marketplace-web:2026.11.3',
    phpFpm: 'ghcr.io/fmtod/marketplace-php:2026.11.3',
    cli: 'ghcr.io/fmtod/marketplace-cli:2026.11.3',
    cron: 'ghcr.io/fmtod/marketplace-cron:2026.11.3',
    soketi: 'quay.io/soketi/soketi:1.6.1-16-debian',
    meilisearch: 'getmeili/meilisearch:v1.15.2',
    redis: 'redis:7.4.5-alpine',
    redisExporter: 'oliver006/redis_exporter:v1.74.0',
    phpFpmExporter: 'hipages/php-fpm_exporter:2.2.0',
    nginxExporter: 'nginx/nginx-prometheus-exporter:1.4.2',
  },
  laravel: {
    appName: 'marketplace',
    // Laravel 12 skeleton default for APP_NAME=marketplace: Str::slug(APP_NAME).'-database-'
    redisPrefix: 'marketplace-database-',
    logChannel: 'stderr',
  },
  web: {
    replicas: { min: 3, max: 20 },
    nginx: {
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      keepaliveTimeoutSeconds: 300,
    },
    phpFpm: {
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
      memoryPerProcessMiB: 64,
      maxRequests: 500,
      requestTerminateTimeoutSeconds: 60,
      opcacheMemoryMiB: 128,
    },
    targetCpuPercent: 65,
  },
  workers: [
    {
      name: 'high',
      queues: ['high'],
      replicas: { min: 2, max: 10 },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      timeoutSeconds: 60,
      retryAfterSeconds: 90,
      maxJobs: 1000,
      maxTimeSeconds: 3600,
      jobsPerReplica: 20,
    },
    {
      name: 'default',
      queues: ['default', 'notifications'],
      replicas: { min: 1, max: 8 },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      timeoutSeconds: 120,
      retryAfterSeconds: 180,
      maxJobs: 1000,
      maxTimeSeconds: 3600,
      jobsPerReplica: 50,
    },
    {
      // Marketplace API syncs (eBay, Amazon): slow, rate-limited calls, so long timeouts.
      name: 'sync',
      queues: ['marketplace-sync', 'low'],
      replicas: { min: 1, max: 12 },
      resources: { requests: { cpu: '200m', memory: '384Mi' }, limits: { memory: '768Mi' } },
      timeoutSeconds: 600,
      retryAfterSeconds: 900,
      maxJobs: 200,
      maxTimeSeconds: 3600,
      jobsPerReplica: 100,
    },
  ],
  scheduler: {
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  },
  // Soketi until the conditions in decision 0007 for Sockudo are met (images.sockudo, re-measured figures).
  realtime: { server: 'soketi' },
  soketi: {
    replicas: { min: 2, max: 8 },
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    // About 70% (the CPU target's margin) of the knee measured by tests/bench/soketi.sh
    // (docs/decisions/0007-soketi-capacity-and-reverb.md#measurement): one of two pods on the Redis
    // adapter at its 500m request and capacity.eventsPerUserPerMinute, p99 <= 500 ms, none lost;
    // tests/unit/soketi-capacity-figures.test.ts keeps both under that knee (tests/bench/results/soketi.json).
    connectionsPerPod: 1000,
    eventsPerSecondPerPod: 1300,
    shutdownGraceSeconds: 30,
  },
  meilisearch: {
    resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } },
    storageGiB: 20,
    snapshotIntervalSeconds: 21600,
  },
  redis: {
    merged: false,
    cache: {
      resources: { requests: { cpu: '200m', memory: '1Gi' }, limits: { memory: '1Gi' } },
      maxmemoryMiB: 768,
    },
    queue: {
      resources: { requests: { cpu: '200m', memory: '1Gi' }, limits: { memory: '1Gi' } },
      // (1024 - 64 overhead) / 2: an AOF rewrite under churn may copy the whole dataset
      // (charts/rules/memory-rules.ts).
      maxmemoryMiB: 480,
      storageGiB: 10,
    },
  },
  edge: { acmeEmail: 'platform@marketplace.example.com', gatewayReplicas: 2, upstreamIdleTimeoutSeconds: 60 },
  ephemeralStorage: {
    containerMiB: 64,
    emptyDirMiB: { tmp: 640, laravelRuntime: 64, laravelStorage: 512, meilisearchTmp: 1024, soketiTmp: 64, redisCacheData: 64 },
    nodeSystemGiB: 40,
  },
  capacity: {
    peakConcurrentUsers: 3000,
    // What the app publishes per user after coalescing (docs/app-contract.md): at most one event
    // per user per second. The requirement's up to 1000 raw events per user per minute do not fit
    // Soketi at this scale (measured, docs/decisions/0007-soketi-capacity-and-reverb.md#measurement).
    eventsPerUserPerMinute: 60,
    nodeBalancers: 1,
    connectionsPerNodeBalancer: 10000,
  },
  database: {
    engine: 'mariadb',
    version: '11.8',
    plan: 'g6-dedicated-8',
    maxConnections: 600,
    bufferPoolFraction: 0.7,
    schema: 'marketplace',
    backupRetentionDays: 14,
    adminConnectionReserve: 20,
    recoveryPointObjectiveMinutes: 5,
  },
};

/**
 * One environment: the base with `patch` applied (named lists merge by name). The type requires
 * the identity fields; validation of the whole happens when it is loaded.
 */
export function environment(patch: DeepPartial<EnvironmentConfig> & Identity): EnvironmentConfig {
  return deepMerge<EnvironmentConfig>(base as EnvironmentConfig, patch as DeepPartial<EnvironmentConfig>, { byName: true });
}
