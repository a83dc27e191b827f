/**
 * Names of the objects that workloads refer to across charts. One place, so a rename is one
 * change and the NetworkPolicies, env vars and Services never disagree.
 */
export const SERVICE_NAMES = {
  web: 'web',
  soketi: 'soketi',
  meilisearch: 'meilisearch',
  redisCache: 'redis-cache',
  redisQueue: 'redis-queue',
  dbWrite: 'mariadb-primary',
  dbRead: 'mariadb-replicas',
} as const;

export const CONFIG_MAP_NAMES = {
  appEnv: 'app-env',
  webServer: 'web-server-config',
  redisCache: 'redis-cache-config',
  redisQueue: 'redis-queue-config',
  sockudo: 'sockudo-config',
} as const;

/**
 * How every queue worker process runs, the same for each group (a per-group need becomes a
 * field of the group in the config):
 * - tries: attempts before a job is failed (`--tries`);
 * - sleepSeconds: wait when the queues are empty (`--sleep`);
 * - killMarginSeconds: pod grace beyond the group's --timeout, for the job to finish and the
 *   process to exit after SIGTERM.
 */
export const WORKER_PROCESS = { tries: 3, sleepSeconds: 3, killMarginSeconds: 30 } as const;

/**
 * CPU utilisation (of requests) the worker and Soketi HPAs aim for, beside their queue and
 * connection triggers (the web tier's is web.targetCpuPercent in the config, tuned per environment).
 */
export const AUTOSCALING_CPU_TARGETS = { workerPercent: 75, soketiPercent: 70 } as const;

/** Ports the workloads listen on; Services, probes and NetworkPolicies all read them here. */
export const PORTS = {
  redis: 6379,
  redisExporter: 9121,
  meilisearch: 7700,
  soketi: 6001,
  soketiMetrics: 9601,
  mysql: 3306,
  dns: 53,
  https: 443,
} as const;

/**
 * The shared Gateway the app's HTTPRoutes attach to. The GitOps layer creates it (and the
 * Gateway API implementation behind it, charts/flux/gateway-chart.ts) with these names: one HTTPS
 * listener per domain terminating TLS, each allowing routes from the app namespace. Plain HTTP
 * is redirected by the Gateway's own route in its namespace.
 */
export const GATEWAY_REF = {
  name: 'public',
  namespace: 'gateway',
  listeners: { app: 'https-app', websockets: 'https-websockets' },
} as const;

/** Namespaces other than the app's that NetworkPolicies let in (matched by their name label). */
export const PEER_NAMESPACES = {
  /** Where the Gateway's data-plane pods (the proxies) run. */
  gateway: GATEWAY_REF.namespace,
  /** Where Prometheus runs (scrapes every metrics port). */
  monitoring: 'monitoring',
  /** KEDA's operator reads the queue lengths from the queue Redis. */
  keda: 'keda',
  /** CoreDNS. */
  dns: 'kube-system',
} as const;

/**
 * Pod labels NetworkPolicies select on. Every pod running the Laravel app (web, workers,
 * scheduler, migrations) carries `laravel`; pods allowed to call external APIs on 443 (eBay,
 * Amazon) also carry `internetEgress`.
 */
export const POD_ROLE_LABELS = {
  laravel: { 'platform.marketplace/laravel': 'true' },
  internetEgress: { 'platform.marketplace/internet-egress': 'true' },
} as const;

/** StorageClass of LKE's Linode Block Storage CSI driver that keeps the volume when a PVC goes. */
export const RETAINED_BLOCK_STORAGE = 'linode-block-storage-retain';

/** Where Laravel writes its caches: an emptyDir, since the root filesystem is read-only. */
export const LARAVEL_RUNTIME_DIR = '/var/run/laravel';
/** The app's document root inside the images. */
export const APP_ROOT = '/var/www/html';

/** Where Laravel containers find the MariaDB CA (MYSQL_ATTR_SSL_CA points at ca.pem in it). */
export const DATABASE_CA_DIR = '/etc/mariadb-ca';

/**
 * Memory the Redis and Soketi containers need beyond what their config sizes (charts/lib/memory-sizing.ts
 * and the rules in charts/rules/memory-rules.ts use these).
 */
export const MEMORY_SIZING = {
  /** Redis beyond its dataset: client and replication buffers, the AOF buffer, fragmentation. */
  redisProcessOverheadMiB: 64,
  /**
   * Share of the dataset an AOF rewrite may duplicate: the forked child shares pages
   * copy-on-write, and under queue churn the parent touches every page before the child is done.
   */
  redisAofRewriteCopyOnWriteFraction: 1,
  /** Node outside V8's old space: young generation, code, uWebSockets.js buffers. */
  soketiNativeMiB: 256,
  /** The smallest old space Soketi gets: below it, it sheds load at idle. */
  soketiMinHeapMiB: 128,
  /** Soketi's /accept-traffic fails above this percentage of the heap (its default, set explicitly). */
  soketiAcceptTrafficMemoryThresholdPercent: 85,
} as const;

/** The cluster's DNS domain (LKE keeps Kubernetes' default): Service FQDNs end with it. */
export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * The MariaDB accounts the app uses: the runtime user (DML only) for web, workers and scheduler,
 * the migration user (DDL) for the migrations Job alone. The Ansible inventory creates exactly
 * these names, so the pods and the grants can never disagree.
 */
export const DATABASE_USERS = { runtime: 'app', migration: 'app_migrate' } as const;

/** Character set and collation: Laravel's defaults, pinned on the server and given to the app. */
export const DATABASE_CHARSET = { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } as const;

/** Every name the app dials for a database Service: short, namespaced and fully qualified. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.${CLUSTER_DOMAIN}`];
}
