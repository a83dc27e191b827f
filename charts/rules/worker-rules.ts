/**
 * Worker rules that read what the charts render: the --timeout on the container's command line
 * against the retry_after Laravel reads from the container's env (lib/worker-queue.ts).
 */
import type { ConfigProblem, Rule } from '../../apps/config/index.js';
import { parseQueueWork, workerContainerCommand, workerQueueEnv } from '../lib/worker-queue.js';

/** A job's --timeout stays below its queue's retry_after, or a slow job is released and run twice. */
export const workerTimeoutBelowRetryAfter: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  config.workers.forEach((group, i) => {
    const timeout = Number(parseQueueWork(workerContainerCommand(group))?.options.get('timeout'));
    const retryAfter = Number(workerQueueEnv(group).REDIS_QUEUE_RETRY_AFTER);
    if (!(timeout < retryAfter)) {
      problems.push({
        path: `workers[${i}].timeoutSeconds`,
        reason:
          `--timeout (${timeout}s) must be below retry_after (${retryAfter}s, REDIS_QUEUE_RETRY_AFTER of the group), ` +
          'or a slow job is released and run twice',
      });
    }
  });
  return problems;
};

export const WORKER_RULES: readonly Rule[] = [workerTimeoutBelowRetryAfter];
