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
} as const;

/** Where Laravel writes its caches: an emptyDir, since the root filesystem is read-only. */
export const LARAVEL_RUNTIME_DIR = '/var/run/laravel';
/** The app's document root inside the images. */
export const APP_ROOT = '/var/www/html';
