/**
 * What every container running the Laravel app (php-fpm, queue workers, scheduler, migrations)
 * shares: the non-secret env from the app-env ConfigMap, secret env vars, and writable paths.
 */
import * as k8s from '../../imports/k8s.js';
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { APP_ROOT, CONFIG_MAP_NAMES, DATABASE_CA_DIR, DATABASE_USERS, LARAVEL_RUNTIME_DIR, SERVICE_NAMES } from './names.js';
import { SECRETS, secretEnv } from './secrets.js';
import { emptyDir, mount } from './volumes.js';

export function laravelEnvFrom(): k8s.EnvFromSource[] {
  return [{ configMapRef: { name: CONFIG_MAP_NAMES.appEnv } }];
}

/** Every secret the app reads: its own, plus the Redis password and the Pusher credentials. */
export function laravelSecretEnv(): k8s.EnvVar[] {
  return [
    ...SECRETS.app.keys.map((key) => secretEnv(SECRETS.app, key)),
    secretEnv(SECRETS.redis, 'REDIS_PASSWORD'),
    ...SECRETS.soketi.keys.map((key) => secretEnv(SECRETS.soketi, key)),
  ];
}

/** Writable paths (the root filesystem is read-only) and the database CA. */
export function laravelVolumes(config: EnvironmentConfig): k8s.Volume[] {
  const size = config.ephemeralStorage.emptyDirMiB;
  return [
    emptyDir('tmp', `${size.tmp}Mi`),
    emptyDir('laravel-runtime', `${size.laravelRuntime}Mi`),
    emptyDir('laravel-storage', `${size.laravelStorage}Mi`),
    {
      name: 'mariadb-ca',
      secret: { secretName: SECRETS.databaseCa.name, items: [{ key: 'ca.pem', path: 'ca.pem' }] },
    },
  ];
}

export function laravelMounts(): k8s.VolumeMount[] {
  return [
    mount('tmp', '/tmp'),
    mount('laravel-runtime', LARAVEL_RUNTIME_DIR),
    mount('laravel-storage', `${APP_ROOT}/storage/framework`),
    mount('mariadb-ca', DATABASE_CA_DIR, { readOnly: true }),
  ];
}

/**
 * An init container that builds Laravel's config, route, event and view caches into the
 * runtime emptyDir (APP_*_CACHE point there), so boot does not parse config on every request
 * while the image stays environment-agnostic. `env` must be the main container's own env: the
 * cached config is what the app reads afterwards, and env set only on the main container would
 * never reach it.
 */
export function laravelOptimizeInit(image: string, resources: k8s.ResourceRequirements, env: Record<string, string> = {}): k8s.Container {
  return laravelContainer({ name: 'laravel-optimize', image, command: ['php', 'artisan', 'optimize'], resources, env });
}

export interface LaravelContainerProps {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  readonly resources: k8s.ResourceRequirements;
  /** Env of this container only (after app-env and the secrets, so it wins). @default {} */
  readonly env?: Record<string, string>;
  /** Which MariaDB account the container logs in with (default: the DML-only runtime user). */
  readonly databaseUser?: keyof typeof DATABASE_USERS;
}

/**
 * The migration user's credentials, replacing the runtime user's: DB_USERNAME (over the app-env
 * value) and DB_PASSWORD from its own Secret. Reads go to the primary too: `migrate` reads its
 * `migrations` table through the read connection, so on a lagging replica a second Job would
 * apply the same migrations again (seen in the rehearsal, tests/rehearsal).
 */
function migrationDatabaseEnv(env: k8s.EnvVar[]): k8s.EnvVar[] {
  return [
    { name: 'DB_USERNAME', value: DATABASE_USERS.migration },
    { name: 'DB_READ_HOST', value: SERVICE_NAMES.dbWrite },
    ...env.map((e) => (e.name === 'DB_PASSWORD' ? secretEnv(SECRETS.databaseMigrations, 'DB_PASSWORD') : e)),
  ];
}

/** A container running the app: app-env and its secrets as env, writable paths and the DB CA mounted. */
export function laravelContainer(props: LaravelContainerProps): k8s.Container {
  const { env = {}, databaseUser = 'runtime', ...container } = props;
  const secretEnvVars = databaseUser === 'migration' ? migrationDatabaseEnv(laravelSecretEnv()) : laravelSecretEnv();
  return {
    ...container,
    envFrom: laravelEnvFrom(),
    env: [...secretEnvVars, ...Object.entries(env).map(([name, value]) => ({ name, value }))],
    volumeMounts: laravelMounts(),
  };
}

/**
 * Probes for Laravel CLI containers (queue workers, scheduler), which serve no port:
 * - readiness: the pod can open a TCP connection to its queue Redis (REDIS_HOST:REDIS_PORT from
 *   app-env), so `kubectl get pods` and the alerts show workers cut off from their queue;
 * - liveness: PID 1 is still the artisan process (or, in workers, the supervisor loop running it:
 *   its argv holds `artisan`, and it exits when artisan fails) and PHP can start beside it; it
 *   checks the process only, never a dependency. Hung jobs are
 *   not the probe's business: queue:work's --timeout kills them and --max-time recycles the
 *   process; restarting a worker because Redis is down would only add churn.
 */
export function laravelCliProbes(): Pick<k8s.Container, 'readinessProbe' | 'livenessProbe'> {
  const php = (code: string) => ({ exec: { command: ['php', '-r', code] } });
  return {
    readinessProbe: {
      ...php("exit(@fsockopen(getenv('REDIS_HOST'), (int) getenv('REDIS_PORT'), $errno, $errstr, 2) ? 0 : 1);"),
      periodSeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 2,
    },
    livenessProbe: {
      ...php("exit(str_contains((string) @file_get_contents('/proc/1/cmdline'), 'artisan') ? 0 : 1);"),
      periodSeconds: 30,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
  };
}
