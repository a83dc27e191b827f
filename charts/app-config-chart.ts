/**
 * The app's non-secret environment (the app-env ConfigMap). Secrets are referenced by name from
 * lib/secrets.ts and delivered SOPS-encrypted by the GitOps layer; nothing secret is here.
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../apps/config/index.js';
import { objectLabels } from './lib/labels.js';
import {
  APP_ROOT, CONFIG_MAP_NAMES, DATABASE_CA_DIR, DATABASE_CHARSET, DATABASE_USERS, LARAVEL_RUNTIME_DIR, PORTS, SERVICE_NAMES,
} from './lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';
import { cacheRedisService } from './lib/redis-instances.js';

/** Laravel env vars as the app reads them; docs/app-contract.md lists the config lines each needs. */
export function laravelEnvironment(config: EnvironmentConfig): Record<string, string> {
  const { laravel, domains, database } = config;
  const redisCache = cacheRedisService(config);
  return {
    APP_NAME: laravel.appName,
    APP_ENV: laravel.appEnv,
    APP_DEBUG: 'false',
    APP_URL: `https://${domains.app}`,
    LOG_CHANNEL: laravel.logChannel,
    LOG_STDERR_FORMATTER: 'Monolog\\Formatter\\JsonFormatter',
    // Caches go to an emptyDir; the images stay environment-agnostic (lib/laravel.ts).
    APP_CONFIG_CACHE: `${LARAVEL_RUNTIME_DIR}/config.php`,
    APP_EVENTS_CACHE: `${LARAVEL_RUNTIME_DIR}/events.php`,
    APP_PACKAGES_CACHE: `${LARAVEL_RUNTIME_DIR}/packages.php`,
    APP_ROUTES_CACHE: `${LARAVEL_RUNTIME_DIR}/routes.php`,
    APP_SERVICES_CACHE: `${LARAVEL_RUNTIME_DIR}/services.php`,
    VIEW_COMPILED_PATH: `${APP_ROOT}/storage/framework/views`,
    // Database: writes to the primary, reads from the replicas; sticky keeps a request that
    // wrote reading its own writes (see docs/database.md for the redirect caveat).
    DB_CONNECTION: 'mariadb',
    DB_HOST: SERVICE_NAMES.dbWrite,
    DB_READ_HOST: database.replicas.length > 0 ? SERVICE_NAMES.dbRead : SERVICE_NAMES.dbWrite,
    DB_PORT: '3306',
    DB_DATABASE: database.schema,
    // The runtime user (DML only); the migrations Job overrides it with the migration user.
    DB_USERNAME: DATABASE_USERS.runtime,
    // Laravel's defaults, pinned on the server too (the inventory renders the same values).
    DB_CHARSET: DATABASE_CHARSET.charset,
    DB_COLLATION: DATABASE_CHARSET.collation,
    DB_STICKY: 'true',
    DB_PERSISTENT: 'false',
    // MariaDB only accepts TLS from the app user (REQUIRE SSL): Laravel's mariadb connection
    // passes this to PDO::MYSQL_ATTR_SSL_CA.
    MYSQL_ATTR_SSL_CA: `${DATABASE_CA_DIR}/ca.pem`,
    // Redis: queues and sessions on the persistent instance, cache on the volatile one.
    REDIS_CLIENT: 'phpredis',
    REDIS_HOST: SERVICE_NAMES.redisQueue,
    REDIS_CACHE_HOST: redisCache,
    REDIS_PORT: String(PORTS.redis),
    REDIS_PREFIX: laravel.redisPrefix,
    QUEUE_CONNECTION: 'redis',
    SESSION_DRIVER: 'redis',
    SESSION_CONNECTION: 'default',
    CACHE_STORE: 'redis',
    REDIS_CACHE_CONNECTION: 'cache',
    // Search and websockets.
    SCOUT_DRIVER: 'meilisearch',
    MEILISEARCH_HOST: `http://${SERVICE_NAMES.meilisearch}:7700`,
    BROADCAST_CONNECTION: 'pusher',
    PUSHER_APP_ID: laravel.appName,
    PUSHER_HOST: SERVICE_NAMES.soketi,
    PUSHER_PORT: '6001',
    PUSHER_SCHEME: 'http',
    // No VITE_*: Vite inlines them at the app's asset build; at runtime they do nothing
    // (docs/app-contract.md).
  };
}

export class AppConfigChart extends PlatformChart {
  readonly fileName = 'app-config.yaml';
  override readonly layer: Layer = 'apps/base';
  readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    this.environment = laravelEnvironment(props.config);
    new k8s.KubeConfigMap(this, 'app-env', {
      metadata: { name: CONFIG_MAP_NAMES.appEnv, labels: objectLabels(props.config, 'app', 'config') },
      data: this.environment,
    });
  }
}
