/**
 * php-fpm process sizing derived from the container's memory limit. The web chart, the php-fpm
 * pool file and the database capacity rules (max_connections) all use these numbers.
 *
 *   pm.max_children = floor((memory limit - opcache - baseline) / memoryPerProcessMiB)
 *
 * OPcache is one shared-memory segment counted once in the container's cgroup, not per child;
 * the baseline covers the master process and runtime overhead. memoryPerProcessMiB is the
 * measured RSS of a busy child (its private memory), so the product fits under the limit.
 */
import { memoryMiB, type EnvironmentConfig } from '../../apps/config/index.js';

/** Memory for the php-fpm master, the status pool's child and allocator slack (MiB). */
export const PHP_FPM_BASELINE_MIB = 32;

/** pm.max_children for one web pod (pm = static, so also the number of processes). */
export function phpFpmMaxChildren(config: EnvironmentConfig): number {
  const fpm = config.web.phpFpm;
  const limit = memoryMiB(fpm.resources.limits.memory);
  const usable = limit - fpm.opcacheMemoryMiB - PHP_FPM_BASELINE_MIB;
  const children = Math.floor(usable / fpm.memoryPerProcessMiB);
  if (children < 1) {
    throw new Error(
      `environment "${config.name}": web.phpFpm.resources.limits.memory ${fpm.resources.limits.memory} ` +
        `(${limit} MiB) leaves ${usable} MiB after opcacheMemoryMiB ${fpm.opcacheMemoryMiB} and the ` +
        `${PHP_FPM_BASELINE_MIB} MiB php-fpm baseline: not enough for one child of ` +
        `memoryPerProcessMiB ${fpm.memoryPerProcessMiB}`,
    );
  }
  return children;
}

/**
 * PHP's memory_limit per request: twice the measured per-process figure. A single heavy request
 * may exceed the average without being killed, while a runaway one still stops far below the
 * container limit (the baseline and idle children absorb one such outlier).
 */
export function phpMemoryLimitMiB(config: EnvironmentConfig): number {
  return config.web.phpFpm.memoryPerProcessMiB * 2;
}
