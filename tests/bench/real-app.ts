/**
 * The real Laravel app of the rehearsal (skeleton + tests/rehearsal/app + the contract's lines)
 * set up for a benchmark: the generated Redis instances, the converged MariaDB (TLS, Service
 * names; run inside tests/bench/converged-hosts.sh), migrations run by the Job's command, and the
 * web pod's init container (`artisan optimize`) run with the pod's env, so the config cache holds
 * exactly what the pod would. Used by web-servers.ts and app-connections.ts.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisInstances } from '../../charts/lib/redis-instances.js';
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { appEnv, container, envOf, workload } from '../rehearsal/platform.js';
import { LaravelPod, makeRoot, POD_APP_ROOT, prepareApp, type Proc, redisCli, startRedis } from '../rehearsal/servers.js';

const WORK = process.env.REHEARSAL_DB_WORK;
if (!WORK) throw new Error('REHEARSAL_DB_WORK is not set: run through tests/bench/converged-hosts.sh');

const redisPassword = randomBytes(12).toString('hex');
const secretValues: Record<string, string> = {
  'app-secrets/APP_KEY': `base64:${randomBytes(32).toString('base64')}`,
  'app-secrets/DB_PASSWORD': process.env.APP_PASSWORD!,
  'database-migrations/DB_PASSWORD': process.env.MIGRATION_PASSWORD!,
  'app-secrets/MEILISEARCH_KEY': randomBytes(8).toString('hex'),
  'redis-auth/REDIS_PASSWORD': redisPassword,
  'soketi-app/PUSHER_APP_KEY': randomBytes(8).toString('hex'),
  'soketi-app/PUSHER_APP_SECRET': randomBytes(16).toString('hex'),
};
const secrets = (name: string, key: string): string => {
  const v = secretValues[`${name}/${key}`];
  if (v === undefined) throw new Error(`bench: no test value for Secret ${name} key ${key}`);
  return v;
};

/** SQL as root on a converged host. */
export function sql(host: 'primary' | 'replica1', query: string): string {
  return execFileSync('chroot', [join(WORK!, host), 'mariadb', '-N', '-B', '-e', query], { encoding: 'utf8' }).trim();
}

/** The converged servers' mariadbd processes (to pin them beside the load generator). */
export function mariadbPids(): number[] {
  return execFileSync('pgrep', ['-x', 'mariadbd'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
}

export interface RealApp {
  readonly root: string;
  readonly appDir: string;
  readonly redis: Proc[];
  readonly host: string;
  /** The web pod's php-fpm env (paths mapped): where the config cache is, among others. */
  readonly env: Record<string, string>;
  /** Runs the web pod's init container with its env (plus `override`): rewrites the config cache. */
  optimize(override?: Record<string, string>): void;
}

export async function startRealApp(config: EnvironmentConfig, seedRows: number): Promise<RealApp> {
  const root = makeRoot();
  const port = Number(appEnv.REDIS_PORT);
  const redis: Proc[] = [];
  for (const instance of redisInstances(config)) {
    const address = (await lookup(instance.name, { family: 4 })).address;
    const owner = workload(['StatefulSet', 'Deployment'], instance.name);
    redis.push(startRedis(root, instance, container(owner, 'redis-auth').command, address, port, redisPassword));
    for (let i = 0; ; i++) {
      try { if (redisCli(address, port, redisPassword, ['ping']) === 'PONG') break; } catch { /* not up yet */ }
      if (i > 50) throw new Error(`${instance.name}: Redis did not answer`);
      await sleep(200);
    }
  }
  const appDir = prepareApp(root);
  const pod = (owner: any, main: string, name: string) =>
    new LaravelPod(root, name, envOf(owner, main, secrets), container(owner, main).volumeMounts?.map((m: any) => m.mountPath) ?? []);
  const job = workload('Job', 'migrate-');
  const migrated = pod(job, 'migrate', 'migrate').run(container(job, 'migrate').command);
  if (migrated.status !== 0) throw new Error(`migrations Job command failed: ${migrated.output}`);
  sql('primary', `USE marketplace; INSERT INTO rehearsal_rows (token) SELECT CONCAT('row-', seq) FROM seq_1_to_${seedRows}`); // USE: the sequence engine's seq_ tables need a current database
  const web = workload('Deployment', 'web');
  const webPod = pod(web, 'php-fpm', 'web');
  const optimize = (override: Record<string, string> = {}) => {
    const r = webPod.run(container(web, 'laravel-optimize').command, { ...webPod.env, ...override });
    if (r.status !== 0) throw new Error(`laravel-optimize failed: ${r.output}`);
  };
  optimize();
  return { root, appDir, redis, host: new URL(appEnv.APP_URL!).host, env: webPod.env, optimize };
}

export { POD_APP_ROOT };
