/**
 * What a worker group's container tells Laravel: the queue:work command line (queues in priority
 * order, --timeout, recycling) wrapped in the supervisor loop, and the env that carries the
 * group's own `retry_after`. Laravel reads one `retry_after` per queue connection, from
 * `REDIS_QUEUE_RETRY_AFTER` in the skeleton's config/queue.php (default 90 s); each group's
 * Deployment sets it, and only workers pop jobs (where retry_after applies), so every queue's
 * reservations expire after its own group's value. Pure functions: the config rule
 * (apps/config/rules.ts) reads exactly what is rendered.
 */
import type { WorkerGroup } from '../../apps/config/index.js';
import { WORKER_PROCESS } from './names.js';
import { supervisedCommand } from './worker-supervisor.js';

/** The queue connection workers use (config/queue.php `connections.redis`). */
export const WORKER_QUEUE_CONNECTION = 'redis';

/** The queue:work command line for a group. */
export function queueWorkCommand(group: WorkerGroup): string[] {
  return [
    'php', 'artisan', 'queue:work', WORKER_QUEUE_CONNECTION,
    `--queue=${group.queues.join(',')}`,
    `--timeout=${group.timeoutSeconds}`,
    `--max-jobs=${group.maxJobs}`,
    `--max-time=${group.maxTimeSeconds}`,
    `--sleep=${WORKER_PROCESS.sleepSeconds}`,
    `--tries=${WORKER_PROCESS.tries}`,
  ];
}

/** The worker container's command: queue:work under the supervisor loop (worker-supervisor.ts). */
export function workerContainerCommand(group: WorkerGroup): string[] {
  return supervisedCommand(queueWorkCommand(group));
}

/** Env of the worker container beyond what every Laravel container gets. */
export function workerQueueEnv(group: WorkerGroup): Record<string, string> {
  return { REDIS_QUEUE_RETRY_AFTER: String(group.retryAfterSeconds) };
}

export interface QueueWorkInvocation {
  readonly connection: string;
  readonly options: ReadonlyMap<string, string>;
}

/** Finds `artisan queue:work [connection] --opt=value...` in a container's argv. */
export function parseQueueWork(argv: readonly string[]): QueueWorkInvocation | undefined {
  const at = argv.indexOf('queue:work');
  if (at < 0) return undefined;
  const rest = argv.slice(at + 1);
  const options = new Map<string, string>();
  let connection: string | undefined;
  for (const arg of rest) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match) options.set(match[1]!, match[2] ?? 'true');
    else connection ??= arg;
  }
  return { connection: connection ?? 'default', options };
}
