/**
 * php-fpm process sizing derived from the container's memory limit (stub: the web-servers work
 * replaces the body; the signature is relied on by the web chart and the capacity rules).
 */
import { memoryMiB, type EnvironmentConfig } from '../../apps/config/index.js';

/** pm.max_children for one web pod. */
export function phpFpmMaxChildren(config: EnvironmentConfig): number {
  const fpm = config.web.phpFpm;
  const usable = memoryMiB(fpm.resources.limits.memory) - fpm.opcacheMemoryMiB;
  return Math.max(1, Math.floor(usable / fpm.memoryPerProcessMiB));
}
