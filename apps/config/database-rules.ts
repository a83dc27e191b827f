/**
 * Database settings that follow from other parts of the config, and the rules that keep them
 * sound. The Ansible inventory generator renders exactly these values, so what is validated here
 * is what the servers run.
 */
import type { ConfigProblem } from './errors.js';
import type { Rule } from './rules.js';
import type { EnvironmentConfig } from './schema.js';

const SECONDS_PER_DAY = 86400;
/** An idle connection must outlive the longest job by at least this much (or a quarter of it). */
const WAIT_TIMEOUT_MIN_MARGIN_SECONDS = 60;
const WAIT_TIMEOUT_MARGIN_FRACTION = 0.25;

/**
 * The longest time app code may hold a connection idle between two queries: a queue job runs up
 * to its group's `--timeout`, a web request up to php-fpm's request_terminate_timeout.
 */
export function longestJobSeconds(config: EnvironmentConfig): { seconds: number; what: string } {
  const candidates = [
    { seconds: config.web.phpFpm.requestTerminateTimeoutSeconds, what: 'web.phpFpm.requestTerminateTimeoutSeconds' },
    ...config.workers.map((w, i) => ({ seconds: w.timeoutSeconds, what: `workers[${i}].timeoutSeconds` })),
  ];
  return candidates.reduce((a, b) => (b.seconds > a.seconds ? b : a));
}

/**
 * wait_timeout (and interactive_timeout): above the longest job with a margin, so a job that
 * waits on an API between two queries never finds its connection closed mid-job ("MySQL server
 * has gone away" inside a transaction is not retried by Laravel).
 */
export function databaseWaitTimeoutSeconds(config: EnvironmentConfig): number {
  const { seconds } = longestJobSeconds(config);
  return seconds + Math.max(WAIT_TIMEOUT_MIN_MARGIN_SECONDS, Math.ceil(seconds * WAIT_TIMEOUT_MARGIN_FRACTION));
}

/**
 * Binary logs stay on the hosts one day longer than the oldest backup is kept, so a
 * point-in-time restore from any retained backup finds every binlog written after it.
 */
export function binlogRetentionSeconds(config: EnvironmentConfig): number {
  return (config.database.backupRetentionDays + 1) * SECONDS_PER_DAY;
}

/** The RPO is a cron step (every N minutes), so it must divide the hour evenly. */
export const recoveryPointIsSchedulable: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  const rpo = config.database.recoveryPointObjectiveMinutes;
  if (60 % rpo !== 0) {
    const fits = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60].filter((m) => 60 % m === 0 && m <= rpo).pop();
    problems.push({
      path: 'database.recoveryPointObjectiveMinutes',
      reason: `${rpo} does not divide 60: binary logs are shipped by cron every N minutes of the hour (use ${fits} or another divisor of 60)`,
    });
  }
  return problems;
};
