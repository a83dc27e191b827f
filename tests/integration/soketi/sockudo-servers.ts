/**
 * Sockudo 5.2.0 (crates.io, built by tests/bench/install-sockudo.sh) started from the same
 * Soketi Deployment env as Soketi (soketiEnv in soketi-servers.ts), translated key by key.
 * The translation table is what moving from Soketi to Sockudo costs in config (decision 0007):
 * every Soketi key the manifest sets must have a Sockudo key here or a stated reason, so a new
 * Soketi setting fails the comparison instead of silently not being carried over.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpGet, placedCommand, ServerProcess, soketiEnv, until, type SoketiOptions } from './soketi-servers.js';

const PLATFORM_CACHE = process.env.PLATFORM_CACHE ?? join(process.env.HOME ?? '/root', '.cache/marketplace-platform');
export const SOCKUDO_BINARY = join(PLATFORM_CACHE, 'bin/sockudo');

/** Soketi env key → Sockudo env key, and how the value changes (units differ in places). */
const TRANSLATION: Readonly<Record<string, { to: string; value?: (v: string) => string } | { dropped: string }>> = {
  SOKETI_PORT: { to: 'PORT' },
  SOKETI_DEBUG: { to: 'DEBUG', value: (v) => String(v === '1' || v === 'true') },
  SOKETI_DEFAULT_APP_ID: { to: 'SOCKUDO_DEFAULT_APP_ID' },
  SOKETI_DEFAULT_APP_KEY: { to: 'SOCKUDO_DEFAULT_APP_KEY' },
  SOKETI_DEFAULT_APP_SECRET: { to: 'SOCKUDO_DEFAULT_APP_SECRET' },
  SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: { to: 'SOCKUDO_DEFAULT_APP_ENABLE_CLIENT_MESSAGES' },
  SOKETI_DEFAULT_APP_MAX_CONNS: { to: 'SOCKUDO_DEFAULT_APP_MAX_CONNECTIONS' },
  SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC: { to: 'SOCKUDO_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SECOND' },
  SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC: { to: 'SOCKUDO_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SECOND' },
  SOKETI_DEFAULT_APP_MAX_READ_REQ_PER_SEC: { to: 'SOCKUDO_DEFAULT_APP_MAX_READ_REQUESTS_PER_SECOND' },
  SOKETI_ADAPTER_DRIVER: { to: 'ADAPTER_DRIVER' },
  // Sockudo reads the adapter's key prefix from its config file only (adapter.redis.prefix).
  SOKETI_ADAPTER_REDIS_PREFIX: { dropped: 'config file adapter.redis.prefix (no env key in 5.2.0): written to config/config.json' },
  SOKETI_RATE_LIMITER_DRIVER: { to: 'RATE_LIMITER_DRIVER' },
  SOKETI_DB_REDIS_HOST: { to: 'DATABASE_REDIS_HOST' },
  SOKETI_DB_REDIS_PORT: { to: 'DATABASE_REDIS_PORT' },
  SOKETI_DB_REDIS_KEY_PREFIX: { to: 'DATABASE_REDIS_KEY_PREFIX' },
  SOKETI_DB_REDIS_PASSWORD: { to: 'DATABASE_REDIS_PASSWORD' },
  SOKETI_METRICS_ENABLED: { to: 'METRICS_ENABLED', value: (v) => String(v === '1' || v === 'true') },
  SOKETI_METRICS_DRIVER: { to: 'METRICS_DRIVER' },
  SOKETI_METRICS_SERVER_PORT: { to: 'METRICS_PORT' },
  SOKETI_METRICS_HOST: { to: 'METRICS_HOST' },
  SOKETI_HOST: { to: 'HOST' },
  // Soketi counts milliseconds, Sockudo seconds.
  SOKETI_SHUTDOWN_GRACE_PERIOD: { to: 'SHUTDOWN_GRACE_PERIOD', value: (v) => String(Math.ceil(Number(v) / 1000)) },
  // Soketi: percent of the heap; Sockudo: a fraction of its memory limit.
  SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD: { to: 'HTTP_API_ACCEPT_TRAFFIC_MEMORY_THRESHOLD', value: (v) => String(Number(v) / 100) },
  NODE_OPTIONS: { dropped: "Node's heap cap; Sockudo is not a Node process" },
};

/** The manifest's Soketi env as Sockudo env; throws on a key with no translation. */
export function sockudoEnv(soketi: Readonly<Record<string, string>>): { env: Record<string, string>; adapterPrefix?: string } {
  const env: Record<string, string> = {};
  const untranslated: string[] = [];
  for (const [key, value] of Object.entries(soketi)) {
    const rule = TRANSLATION[key];
    if (!rule) { untranslated.push(key); continue; }
    if ('to' in rule) env[rule.to] = rule.value ? rule.value(value) : value;
  }
  if (untranslated.length) {
    throw new Error(`tests/integration/soketi/sockudo-servers.ts: Soketi env ${untranslated.join(', ')} has no Sockudo translation: add it to TRANSLATION (or say why it is dropped)`);
  }
  // Sockudo refuses a Redis adapter with its node-local cache (idempotency across pods): one
  // more setting than Soketi needs, on the same Redis.
  if (env.ADAPTER_DRIVER === 'redis') env.CACHE_DRIVER = 'redis';
  // Sockudo adds per-client-IP limiters Soketi does not have (defaults: 100 HTTP API calls and 20
  // websocket connects per minute per IP, no forwarded-header trust): behind the Gateway every
  // connect comes from an Envoy pod and every publish from a Laravel pod, so these would cap the
  // whole app. Soketi's behaviour is no per-IP limit: off. (Its per-app backend-events limit is
  // carried above, but 5.2.0's source enforces only the client-events one: decision 0007.)
  env.RATE_LIMITER_ENABLED = 'false';
  return { env: { ...env, SOCKUDO_DEFAULT_APP_ENABLED: 'true' }, adapterPrefix: soketi.SOKETI_ADAPTER_REDIS_PREFIX };
}

/** Liveness path per server: Soketi answers `/`, Sockudo 404s there and serves `/up`. */
export const LIVENESS_PATHS = { soketi: '/', sockudo: '/up' } as const;

/** The metric names the platform's dashboards, alert and KEDA trigger read, per server. */
export const METRIC_NAMES = {
  soketi: { connected: 'soketi_connected', wsMessagesSent: 'soketi_ws_messages_sent_total' },
  sockudo: { connected: 'sockudo_connected', wsMessagesSent: 'sockudo_ws_messages_sent_total' },
} as const;

/**
 * Sockudo's working directory for a Soketi env: it holds config/config.json, for the one setting
 * env cannot carry; returns it with the translated env.
 */
export function prepareSockudo(cwd: string, soketi: Readonly<Record<string, string>>): { cwd: string; env: Record<string, string> } {
  const { env, adapterPrefix } = sockudoEnv(soketi);
  mkdirSync(join(cwd, 'config'), { recursive: true });
  writeFileSync(join(cwd, 'config/config.json'), JSON.stringify({ adapter: { redis: { prefix: adapterPrefix ?? 'sockudo' } } }));
  return { cwd, env };
}

/** Starts Sockudo with the translated env; waits until it serves its liveness path and `/metrics`. */
export async function startSockudo(options: SoketiOptions): Promise<ServerProcess> {
  if (!existsSync(SOCKUDO_BINARY)) throw new Error(`${SOCKUDO_BINARY} missing: run bash tests/bench/install-sockudo.sh`);
  const { cwd, env } = prepareSockudo(join(options.dir, `sockudo-${options.port}`), { ...soketiEnv(options), SOKETI_HOST: '127.0.0.1', SOKETI_METRICS_HOST: '127.0.0.1' });
  const { command, cleanup } = placedCommand([SOCKUDO_BINARY], options.cpu);
  const name = `sockudo-${options.port}`;
  const logFile = join(options.dir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command[0]!, command.slice(1), {
    cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.dir, ...env, ...options.extraEnv }, stdio: ['ignore', fd, fd], detached: true,
  });
  closeSync(fd);
  if (process.env.SOKETI_PGID_FILE && child.pid) appendFileSync(process.env.SOKETI_PGID_FILE, `${child.pid}\n`);
  const proc = new ServerProcess(name, child, logFile, cleanup);
  await until(async () => (await httpGet(options.port, LIVENESS_PATHS.sockudo)).status === 200, `Sockudo on ${options.port}`, proc);
  await until(async () => (await httpGet(options.metricsPort, '/metrics')).status === 200, `Sockudo metrics on ${options.metricsPort}`, proc);
  return proc;
}
