/**
 * Graceful shutdown of the web pod. When a pod is deleted, Kubernetes runs the preStop hooks and
 * removes the pod from the Service endpoints at the same time; the Gateway keeps sending requests
 * for a few seconds. So both containers first wait (preStop delay), then stop gracefully with
 * SIGQUIT: nginx closes its listeners and finishes open requests, php-fpm lets every child
 * finish its request for up to process_control_timeout. The grace period covers all of it.
 *
 *   t=0                       pod terminating; endpoints removal starts
 *   t=preStop                 nginx: SIGQUIT (no new connections, open requests complete)
 *   t=preStop+fpmLag          php-fpm: SIGQUIT (children finish; nginx sends nothing new)
 *   t=... + processControl    php-fpm's last child is done or killed
 *   terminationGracePeriod    = preStop + fpmLag + processControl + margin
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { requestTerminateTimeoutSeconds } from './request-limits.js';

/** Seconds both containers keep serving after the pod is marked terminating. */
export const PRE_STOP_DELAY_SECONDS = 10;
/** php-fpm starts quitting this long after nginx, once nginx accepts no new requests. */
export const PHP_FPM_QUIT_LAG_SECONDS = 3;
/** Slack between php-fpm's last possible exit and the kubelet's SIGKILL. */
export const GRACE_MARGIN_SECONDS = 5;
/** Extra time php-fpm gives children beyond request_terminate_timeout. */
export const PROCESS_CONTROL_MARGIN_SECONDS = 5;

export interface WebShutdownTimings {
  /** nginx preStop delay before its graceful quit. */
  readonly nginxPreStopSeconds: number;
  /** php-fpm preStop delay before its graceful quit. */
  readonly phpFpmPreStopSeconds: number;
  /** php-fpm process_control_timeout: how long children may finish after SIGQUIT. */
  readonly processControlTimeoutSeconds: number;
  /** Pod terminationGracePeriodSeconds. */
  readonly terminationGracePeriodSeconds: number;
  /** preStop exec command of the nginx container. */
  readonly nginxPreStopCommand: readonly string[];
  /** preStop exec command of the php-fpm container. */
  readonly phpFpmPreStopCommand: readonly string[];
}

/**
 * A preStop command that waits, sends SIGQUIT to the container's main process (PID 1: nginx or
 * php-fpm) and then waits for it to exit. Waiting matters: when the hook returns, the kubelet
 * sends the image's stop signal, and a SIGTERM would turn both graceful stops into fast ones.
 */
export function gracefulQuitCommand(delaySeconds: number): string[] {
  return ['/bin/sh', '-c', `sleep ${delaySeconds}; kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done`];
}

export function webShutdownTimings(config: EnvironmentConfig): WebShutdownTimings {
  const processControlTimeoutSeconds = requestTerminateTimeoutSeconds(config) + PROCESS_CONTROL_MARGIN_SECONDS;
  const phpFpmPreStopSeconds = PRE_STOP_DELAY_SECONDS + PHP_FPM_QUIT_LAG_SECONDS;
  return {
    nginxPreStopSeconds: PRE_STOP_DELAY_SECONDS,
    phpFpmPreStopSeconds,
    processControlTimeoutSeconds,
    terminationGracePeriodSeconds: phpFpmPreStopSeconds + processControlTimeoutSeconds + GRACE_MARGIN_SECONDS,
    nginxPreStopCommand: gracefulQuitCommand(PRE_STOP_DELAY_SECONDS),
    phpFpmPreStopCommand: gracefulQuitCommand(phpFpmPreStopSeconds),
  };
}
