/**
 * Request size and time limits that nginx and PHP must agree on, derived from
 * web.phpFpm.requestTerminateTimeoutSeconds so one change moves all of them together.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';

/**
 * Largest request body in MiB: nginx client_max_body_size, PHP post_max_size and
 * upload_max_filesize. Not in the environment config yet (one value for every environment).
 */
export const MAX_BODY_MIB = 20;

/** Seconds nginx waits on php-fpm beyond request_terminate_timeout (fpm must give up first). */
export const FASTCGI_TIMEOUT_MARGIN_SECONDS = 5;

/** php-fpm request_terminate_timeout: wall-clock limit after which the child is killed. */
export function requestTerminateTimeoutSeconds(config: EnvironmentConfig): number {
  return config.web.phpFpm.requestTerminateTimeoutSeconds;
}

/**
 * PHP max_execution_time: counts CPU time only (not sleep or I/O wait) on Linux, so it cannot
 * replace the wall-clock request_terminate_timeout; set to 90 % of it, a CPU-bound request gets
 * PHP's catchable "Maximum execution time exceeded" error (logged, with a stack) before fpm
 * kills the child without a word.
 */
export function maxExecutionTimeSeconds(config: EnvironmentConfig): number {
  return Math.max(1, Math.floor(requestTerminateTimeoutSeconds(config) * 0.9));
}

/** nginx fastcgi_read_timeout / fastcgi_send_timeout: longer than fpm's own limit. */
export function fastcgiTimeoutSeconds(config: EnvironmentConfig): number {
  return requestTerminateTimeoutSeconds(config) + FASTCGI_TIMEOUT_MARGIN_SECONDS;
}
