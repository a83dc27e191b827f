/**
 * Memory figures derived from container limits, shared by the charts (what runs) and the config
 * rules (what is checked): the Redis AOF-rewrite peak and Soketi's Node heap cap.
 */
import { memoryMiB, type EnvironmentConfig } from '../../apps/config/index.js';
import { MEMORY_SIZING } from './names.js';

type RedisSettings = EnvironmentConfig['redis']['queue'];

/**
 * Peak memory of a Redis instance: the dataset at maxmemory, plus, when it persists (AOF), the
 * pages an AOF rewrite's fork may duplicate, plus the process overhead.
 */
export function redisPeakMiB(settings: RedisSettings, persistent: boolean): number {
  const copyOnWrite = persistent ? settings.maxmemoryMiB * MEMORY_SIZING.redisAofRewriteCopyOnWriteFraction : 0;
  return settings.maxmemoryMiB + copyOnWrite + MEMORY_SIZING.redisProcessOverheadMiB;
}

/** The largest maxmemory whose peak still fits the container limit. */
export function redisMaxmemoryCeilingMiB(settings: RedisSettings, persistent: boolean): number {
  const factor = 1 + (persistent ? MEMORY_SIZING.redisAofRewriteCopyOnWriteFraction : 0);
  return Math.floor((memoryMiB(settings.resources.limits.memory) - MEMORY_SIZING.redisProcessOverheadMiB) / factor);
}

/** Node's old-space cap for Soketi (--max-old-space-size): the limit minus Node's native memory. */
export function soketiHeapMiB(config: EnvironmentConfig): number {
  return memoryMiB(config.soketi.resources.limits.memory) - MEMORY_SIZING.soketiNativeMiB;
}

/** NODE_OPTIONS of the Soketi container. */
export function soketiNodeOptions(config: EnvironmentConfig): string {
  return `--max-old-space-size=${soketiHeapMiB(config)}`;
}
