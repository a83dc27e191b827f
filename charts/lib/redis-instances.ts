/**
 * Which Redis instances an environment runs and what each one is for. The Redis chart, the app's
 * env (REDIS_HOST / REDIS_CACHE_HOST), Soketi and the NetworkPolicies all read this, so they
 * cannot disagree about where the cache lives when `redis.merged` is set.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { CONFIG_MAP_NAMES, SERVICE_NAMES } from './names.js';

export interface RedisInstance {
  /** cache: volatile (allkeys-lru, no persistence); queue: durable (noeviction, AOF, PVC). */
  readonly role: 'cache' | 'queue';
  /** Service, StatefulSet/Deployment and ServiceAccount name. */
  readonly name: string;
  readonly configMapName: string;
  readonly settings: EnvironmentConfig['redis']['cache'];
  readonly maxmemoryPolicy: 'allkeys-lru' | 'noeviction';
  readonly persistent: boolean;
}

/** Volume size of the queue instance when the config gives none (Linode's minimum volume). */
export const DEFAULT_REDIS_STORAGE_GIB = 10;

export function redisInstances(config: EnvironmentConfig): RedisInstance[] {
  const queue: RedisInstance = {
    role: 'queue',
    name: SERVICE_NAMES.redisQueue,
    configMapName: CONFIG_MAP_NAMES.redisQueue,
    settings: config.redis.queue,
    // Queues and sessions must never be evicted: a full Redis rejects writes (visible, alerting)
    // instead of silently dropping jobs. When merged, the cache shares this rule.
    maxmemoryPolicy: 'noeviction',
    persistent: true,
  };
  if (config.redis.merged) return [queue];
  return [
    {
      role: 'cache',
      name: SERVICE_NAMES.redisCache,
      configMapName: CONFIG_MAP_NAMES.redisCache,
      settings: config.redis.cache,
      maxmemoryPolicy: 'allkeys-lru',
      persistent: false,
    },
    queue,
  ];
}

/** The Service holding volatile data (Laravel's cache store, Soketi's adapter and limiter). */
export function cacheRedisService(config: EnvironmentConfig): string {
  return config.redis.merged ? SERVICE_NAMES.redisQueue : SERVICE_NAMES.redisCache;
}
