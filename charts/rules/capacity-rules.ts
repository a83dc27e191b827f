/**
 * Capacity invariants that only hold when several numbers of the config agree. They are in the
 * chart rules (charts/rules/index.ts, run by apps/load.ts), so synth, cost, diff and diagram refuse a config that breaks one,
 * naming the numbers that collide. The cluster-size invariant needs the
 * rendered pods (sidecars, init containers) and lives in apps/synth/cluster-capacity.ts.
 */
import { phpFpmMaxChildren } from '../web/php-fpm-sizing.js';
import {
  peakEventsPerSecond, peakEventsPerUserPerSecond, soketiAppLimits, soketiEventCapacity, websocketCapacity, type SoketiAppLimits,
} from '../lib/soketi-limits.js';
import type { ConfigProblem } from '../../apps/config/errors.js';
import type { Rule } from '../../apps/config/rules.js';
import type { EnvironmentConfig } from '../../apps/config/schema.js';

/** `php artisan schedule:work` holds one connection; the command it runs in the foreground another. */
export const SCHEDULER_CONNECTIONS = 2;
/**
 * The migration Job: one `php artisan migrate` process with a read and a write PDO, both on the
 * primary (the Job's DB_READ_HOST is the primary: it must see its own `migrations` table).
 * Also the migration user's MAX_USER_CONNECTIONS (generated inventory).
 */
export const MIGRATION_CONNECTIONS = 2;
/** mysqld_exporter runs with MAX_USER_CONNECTIONS 3 (see the Ansible role). */
export const EXPORTER_CONNECTIONS = 3;

export interface ConnectionBudget {
  readonly items: ReadonlyArray<{ readonly what: string; readonly connections: number }>;
  readonly total: number;
}

/**
 * Connections one MariaDB server may see at maximum scale. Every php-fpm child and every worker
 * holds at most one connection per server: writes go to the primary, reads to a replica. With no
 * replica both go to the primary, so each app process may hold two there.
 */
export function connectionBudget(config: EnvironmentConfig): ConnectionBudget {
  const perProcess = config.database.replicas.length === 0 ? 2 : 1;
  const children = phpFpmMaxChildren(config);
  const workerProcesses = config.workers.reduce((sum, g) => sum + g.replicas.max, 0);
  const workerDetail = config.workers.map((g) => `${g.name} ${g.replicas.max}`).join(', ');
  const per = perProcess === 2 ? ' x 2 (no replica: reads and writes both on the primary)' : '';
  const items = [
    {
      what: `web ${config.web.replicas.max} pods (web.replicas.max) x ${children} pm.max_children${per}`,
      connections: config.web.replicas.max * children * perProcess,
    },
    { what: `queue workers at max replicas (${workerDetail})${per}`, connections: workerProcesses * perProcess },
    { what: 'scheduler', connections: SCHEDULER_CONNECTIONS * perProcess },
    { what: 'migrations (read and write, both on the primary)', connections: MIGRATION_CONNECTIONS },
    { what: 'mysqld_exporter', connections: EXPORTER_CONNECTIONS },
    { what: 'database.adminConnectionReserve', connections: config.database.adminConnectionReserve },
  ];
  return { items, total: items.reduce((sum, i) => sum + i.connections, 0) };
}

/** The app at maximum scale never runs the database out of connections. */
export const databaseConnectionsFit: Rule = (config) => {
  const budget = connectionBudget(config);
  const max = config.database.maxConnections;
  if (budget.total <= max) return [];
  return [{
    path: 'database.maxConnections',
    reason:
      `at maximum scale the app may open ${budget.total} connections per server ` +
      `(${budget.items.map((i) => `${i.what} = ${i.connections}`).join('; ')}), ` +
      `above database.maxConnections ${max}: lower web.replicas.max or worker replicas.max, or raise maxConnections`,
  }];
};

/** Peak concurrent users fit Soketi at max replicas and the NodeBalancers in front of it. */
export const websocketsFit: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  const users = config.capacity.peakConcurrentUsers;
  const capacity = websocketCapacity(config);
  if (users > capacity.soketi) {
    problems.push({
      path: 'soketi.replicas.max',
      reason:
        `capacity.peakConcurrentUsers ${users} exceeds Soketi's capacity ${capacity.soketi} ` +
        `(soketi.replicas.max ${config.soketi.replicas.max} x soketi.connectionsPerPod ${config.soketi.connectionsPerPod})`,
    });
  }
  if (users > capacity.nodeBalancers) {
    problems.push({
      path: 'capacity.nodeBalancers',
      reason:
        `capacity.peakConcurrentUsers ${users} exceeds the NodeBalancers' ${capacity.nodeBalancers} connections ` +
        `(capacity.nodeBalancers ${config.capacity.nodeBalancers} x connectionsPerNodeBalancer ` +
        `${config.capacity.connectionsPerNodeBalancer}): add NodeBalancers`,
    });
  }
  return problems;
};

/**
 * Peak events per second fit what Soketi delivers at max replicas (soketi.eventsPerSecondPerPod,
 * measured): connections and events are separate ceilings, whichever a config hits first.
 */
export const eventsFitSoketi: Rule = (config) => {
  const peak = peakEventsPerSecond(config);
  const capacity = soketiEventCapacity(config);
  if (peak <= capacity) return [];
  const pods = Math.ceil(peak / config.soketi.eventsPerSecondPerPod);
  return [{
    path: 'soketi.replicas.max',
    reason:
      `peak ${peak} events/s (capacity.peakConcurrentUsers ${config.capacity.peakConcurrentUsers} x ` +
      `eventsPerUserPerMinute ${config.capacity.eventsPerUserPerMinute} / 60) exceeds Soketi's ${capacity} events/s ` +
      `(soketi.replicas.max ${config.soketi.replicas.max} x soketi.eventsPerSecondPerPod ${config.soketi.eventsPerSecondPerPod}): ` +
      `needs ${pods} pods, or fewer events per user (coalesce in the app, docs/decisions/0007)`,
  }];
};

/**
 * Peak event rates fit Soketi's per-app rate limits. `limitsOf` is the function that also renders
 * Soketi's env; it is a parameter so a test can show the failure with limits set too low.
 */
export function eventsFitRateLimits(limitsOf: (config: EnvironmentConfig) => SoketiAppLimits = soketiAppLimits): Rule {
  return (config) => {
    const problems: ConfigProblem[] = [];
    const limits = limitsOf(config);
    const peak = peakEventsPerSecond(config);
    if (peak > limits.maxBackendEventsPerSecond) {
      problems.push({
        path: 'capacity.eventsPerUserPerMinute',
        reason:
          `peak ${peak} events/s (capacity.peakConcurrentUsers ${config.capacity.peakConcurrentUsers} x ` +
          `eventsPerUserPerMinute ${config.capacity.eventsPerUserPerMinute} / 60) exceeds Soketi's ` +
          `max backend events per second ${limits.maxBackendEventsPerSecond}`,
      });
    }
    const perUser = peakEventsPerUserPerSecond(config);
    if (perUser > limits.maxClientEventsPerSecond) {
      problems.push({
        path: 'capacity.eventsPerUserPerMinute',
        reason:
          `${perUser} events/s per connection (eventsPerUserPerMinute ${config.capacity.eventsPerUserPerMinute} / 60) ` +
          `exceeds Soketi's max client events per second ${limits.maxClientEventsPerSecond}`,
      });
    }
    if (limits.maxConnections < config.capacity.peakConcurrentUsers) {
      problems.push({
        path: 'capacity.peakConcurrentUsers',
        reason: `${config.capacity.peakConcurrentUsers} users exceed Soketi's app connection limit ${limits.maxConnections}`,
      });
    }
    return problems;
  };
}

/** Scaling to zero is an explicit choice per worker group; web and Soketi always keep a pod. */
export const scaleToZeroIsDeliberate: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  config.workers.forEach((group, i) => {
    if (group.replicas.min === 0 && !group.scaleToZero) {
      problems.push({ path: `workers[${i}].replicas.min`, reason: 'is 0 but scaleToZero is not true (set it to scale to zero on purpose)' });
    }
    if (group.scaleToZero && group.replicas.min !== 0) {
      problems.push({ path: `workers[${i}].replicas.min`, reason: `is ${group.replicas.min} but scaleToZero is true (set min to 0)` });
    }
  });
  for (const key of ['web', 'soketi'] as const) {
    if (config[key].replicas.min < 1) problems.push({ path: `${key}.replicas.min`, reason: 'must be at least 1 (serves live traffic)' });
  }
  return problems;
};

export const CAPACITY_RULES: readonly Rule[] = [
  databaseConnectionsFit, websocketsFit, eventsFitSoketi, eventsFitRateLimits(), scaleToZeroIsDeliberate,
];

