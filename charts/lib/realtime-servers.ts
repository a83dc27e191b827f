/**
 * The two Pusher-protocol servers the platform can run behind the `soketi` Service
 * (`realtime.server` in the environment config; decision 0007 measured both):
 * - Soketi 1.6.1, configured by `SOKETI_*` env;
 * - Sockudo 5.2.0, configured by its own env keys and, for the one setting env cannot carry (the
 *   Redis adapter's key prefix), `config/config.json` under its working directory.
 * Everything that differs between them lives here: the chart, the KEDA triggers, the alert and
 * the dashboards read a server's profile instead of naming Soketi, and the benchmark harness
 * starts Sockudo through the same translation the chart renders.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';

export type RealtimeServer = EnvironmentConfig['realtime']['server'];

export interface RealtimeServerProfile {
  /** Container name and the word dashboards and alerts use for it. */
  readonly title: string;
  /** Prometheus metric names (both servers prefix the same meanings with their own name). */
  readonly metrics: {
    readonly connected: string;
    readonly wsMessagesSent: string;
    readonly wsMessagesReceived: string;
    readonly httpCallsReceived: string;
  };
  /** Soketi answers `/`, Sockudo 404s there and serves `/up`. */
  readonly livenessPath: string;
  /** Both fail it while shutting down or over the memory threshold. */
  readonly readinessPath: string;
}

function metricsOf(prefix: string): RealtimeServerProfile['metrics'] {
  return {
    connected: `${prefix}_connected`,
    wsMessagesSent: `${prefix}_ws_messages_sent_total`,
    wsMessagesReceived: `${prefix}_ws_messages_received_total`,
    httpCallsReceived: `${prefix}_http_calls_received_total`,
  };
}

export const REALTIME_SERVERS: Readonly<Record<RealtimeServer, RealtimeServerProfile>> = {
  soketi: { title: 'Soketi', metrics: metricsOf('soketi'), livenessPath: '/', readinessPath: '/accept-traffic' },
  sockudo: { title: 'Sockudo', metrics: metricsOf('sockudo'), livenessPath: '/up', readinessPath: '/accept-traffic' },
};

export function realtimeServer(config: EnvironmentConfig): RealtimeServerProfile {
  return REALTIME_SERVERS[config.realtime.server];
}

/** Sockudo's working directory in its image; it reads `config/config.json` relative to it. */
export const SOCKUDO_WORKING_DIR = '/srv/sockudo';

type Translation = { readonly to: string; readonly value?: (v: string) => string } | { readonly dropped: string };

/**
 * Soketi env key → Sockudo env key, and how the value changes (units differ in places). This is
 * what moving costs in config (decision 0007): every Soketi key the chart sets must have a
 * Sockudo key here or a stated reason, so a new Soketi setting fails synth for Sockudo instead
 * of silently not being carried over.
 */
export const SOKETI_TO_SOCKUDO: Readonly<Record<string, Translation>> = {
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
  SOKETI_ADAPTER_REDIS_PREFIX: { dropped: 'config file adapter.redis.prefix (no env key in 5.2.0): sockudoConfigFile()' },
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

/**
 * Settings Sockudo needs that Soketi has no counterpart for:
 * - it refuses a Redis adapter with its node-local cache (idempotency across pods);
 * - its per-client-IP limiters (defaults: 100 HTTP API calls and 20 websocket connects per minute
 *   per IP, no forwarded-header trust) would cap the whole app behind the Gateway, where every
 *   connect comes from an Envoy pod and every publish from a Laravel pod. Soketi has no per-IP
 *   limit: off. (The per-app backend-events limit is carried, but 5.2.0 enforces only the
 *   client-events one: decision 0007.)
 */
export function sockudoExtraEnv(translated: Readonly<Record<string, unknown>>): Record<string, string> {
  return {
    ...(translated.ADAPTER_DRIVER === 'redis' ? { CACHE_DRIVER: 'redis' } : {}),
    RATE_LIMITER_ENABLED: 'false',
    SOCKUDO_DEFAULT_APP_ENABLED: 'true',
  };
}

/** An env entry: a plain value, or a reference (secretKeyRef, ...) that keeps its source. */
export interface EnvEntry {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: unknown;
}

/**
 * Soketi env entries as Sockudo env entries, in order, with Sockudo's own settings appended.
 * Throws, naming the keys, on a Soketi key with no translation, and on a unit change asked of a
 * value synth cannot see (a Secret reference).
 */
export function translateSoketiEnv<E extends EnvEntry>(entries: readonly E[], where: string): { env: EnvEntry[]; adapterPrefix?: string } {
  const env: EnvEntry[] = [];
  const problems: string[] = [];
  let adapterPrefix: string | undefined;
  for (const entry of entries) {
    const rule = SOKETI_TO_SOCKUDO[entry.name];
    if (!rule) { problems.push(`${entry.name} has no Sockudo translation: add it to SOKETI_TO_SOCKUDO in charts/lib/realtime-servers.ts (or say why it is dropped)`); continue; }
    if (entry.name === 'SOKETI_ADAPTER_REDIS_PREFIX') adapterPrefix = entry.value;
    if (!('to' in rule)) continue;
    if (entry.valueFrom !== undefined) {
      if (rule.value) problems.push(`${entry.name} comes from a reference but its value changes units for Sockudo`);
      env.push({ name: rule.to, valueFrom: entry.valueFrom });
    } else {
      env.push({ name: rule.to, value: rule.value ? rule.value(entry.value ?? '') : entry.value });
    }
  }
  if (problems.length) throw new Error(`${where}: Soketi env for Sockudo: ${problems.join('; ')}`);
  const plain = Object.fromEntries(env.map((e) => [e.name, e.value]));
  for (const [name, value] of Object.entries(sockudoExtraEnv(plain))) env.push({ name, value });
  return { env, adapterPrefix };
}

/** The Soketi env as a plain record (the harness's form) translated for Sockudo. */
export function sockudoEnv(soketi: Readonly<Record<string, string>>): { env: Record<string, string>; adapterPrefix?: string } {
  const { env, adapterPrefix } = translateSoketiEnv(Object.entries(soketi).map(([name, value]) => ({ name, value })), 'sockudoEnv');
  return { env: Object.fromEntries(env.map((e) => [e.name, e.value ?? ''])), adapterPrefix };
}

/** Sockudo's `config/config.json`: only what env cannot carry. */
export function sockudoConfigFile(adapterPrefix: string): string {
  return `${JSON.stringify({ adapter: { redis: { prefix: adapterPrefix } } }, null, 2)}\n`;
}
