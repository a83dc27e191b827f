/**
 * The Redis keys Laravel's Redis queue driver uses, derived from the configured prefix (the
 * Laravel 12 skeleton changed the default prefix in 2025, so it is never hard-coded):
 *   <prefix>queues:<name>            LIST  jobs ready to run        (KEDA's redis trigger reads this)
 *   <prefix>queues:<name>:delayed    ZSET  jobs released with a delay (not counted by KEDA)
 *   <prefix>queues:<name>:reserved   ZSET  jobs a worker is running   (not counted by KEDA)
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';

export interface QueueKeys {
  readonly queue: string;
  readonly ready: string;
  readonly delayed: string;
  readonly reserved: string;
}

export function queueKeys(config: EnvironmentConfig, queue: string): QueueKeys {
  const ready = `${config.laravel.redisPrefix}queues:${queue}`;
  return { queue, ready, delayed: `${ready}:delayed`, reserved: `${ready}:reserved` };
}

/** Every queue of every worker group, in config order. */
export function allQueueKeys(config: EnvironmentConfig): QueueKeys[] {
  return config.workers.flatMap((group) => group.queues.map((queue) => queueKeys(config, queue)));
}

/**
 * Value for redis_exporter's REDIS_EXPORTER_CHECK_SINGLE_KEYS (db0, Laravel's default database):
 * the exporter then reports `redis_key_size{key=...}` (LLEN / ZCARD) for each key, which the queue
 * alerts and dashboard read, delayed and reserved jobs included.
 */
export function redisExporterCheckSingleKeys(config: EnvironmentConfig): string {
  return allQueueKeys(config)
    .flatMap((k) => [k.ready, k.delayed, k.reserved])
    .map((key) => `db0=${key}`)
    .join(',');
}
