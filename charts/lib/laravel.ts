/**
 * What every container running the Laravel app (php-fpm, queue workers, scheduler, migrations)
 * shares: the non-secret env from the app-env ConfigMap, secret env vars, and writable paths.
 */
import { k8s } from 'cdk8s-plus-27';
import { CONFIG_MAP_NAMES, LARAVEL_RUNTIME_DIR, APP_ROOT } from './names.js';
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

/** Writable paths for a Laravel container with a read-only root filesystem. */
export function laravelVolumes(): k8s.Volume[] {
  return [emptyDir('tmp', '256Mi'), emptyDir('laravel-runtime', '64Mi'), emptyDir('laravel-storage', '512Mi')];
}

export function laravelMounts(): k8s.VolumeMount[] {
  return [
    mount('tmp', '/tmp'),
    mount('laravel-runtime', LARAVEL_RUNTIME_DIR),
    mount('laravel-storage', `${APP_ROOT}/storage/framework`),
  ];
}

/**
 * An init container that builds Laravel's config, route, event and view caches into the
 * runtime emptyDir (APP_*_CACHE point there), so boot does not parse config on every request
 * while the image stays environment-agnostic.
 */
export function laravelOptimizeInit(image: string, resources: k8s.ResourceRequirements): k8s.Container {
  return {
    name: 'laravel-optimize',
    image,
    command: ['php', 'artisan', 'optimize'],
    envFrom: laravelEnvFrom(),
    env: laravelSecretEnv(),
    resources,
    volumeMounts: laravelMounts(),
  };
}
