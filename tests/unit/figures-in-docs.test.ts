/**
 * Figures the README, docs/scaling.md and the decision records quote for production, checked against what synth
 * renders (the ScaledObjects) and the config's own arithmetic, so a PR that changes a bound
 * and leaves the prose behind fails here instead of misleading the next reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionBudget } from '../../charts/rules/capacity-rules.js';
import { phpFpmMaxChildren } from '../../charts/web/php-fpm-sizing.js';
import { REPO_ROOT } from '../../apps/config/index.js';
import { peakEventsPerSecond, soketiEventCapacity, websocketCapacity } from '../../charts/lib/soketi-limits.js';
import { find, renderedEnvironments } from './support/rendered-objects.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */
const production = (await renderedEnvironments()).find((e) => e.name === 'production')!;
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const scaling = readFileSync(join(REPO_ROOT, 'docs/scaling.md'), 'utf8');
const thousands = (n: number) => n.toLocaleString('en-US');
const scaler = (name: string) => find(production.objects, 'ScaledObject', name) as any;
const bounds = (name: string) => `${scaler(name).spec.minReplicaCount}-${scaler(name).spec.maxReplicaCount}`;
const cpuTarget = (name: string) => scaler(name).spec.triggers.find((t: any) => t.type === 'cpu').metadata.value;
/** The docs/scaling.md table row of a workload, split into cells. */
const row = (workload: string) => {
  const line = scaling.split('\n').find((l) => l.startsWith(`| ${workload} `));
  if (!line) throw new Error(`docs/scaling.md: no table row for ${workload}`);
  return line.split('|').map((c) => c.trim()).filter(Boolean);
};

describe('README figures for production', () => {
  it('quotes the web and Soketi bounds the ScaledObjects carry', () => {
    expect(readme).toContain(`**web** ${bounds('web')} pods: CPU ${cpuTarget('web')}%`);
    expect(readme).toContain(`**Soketi** ${bounds('soketi')} pods`);
  });

  it('quotes the connection budget and the websocket capacity the rules compute', () => {
    const config = production.config;
    expect(readme).toContain(`DB connections at max scale ${connectionBudget(config).total} of ${config.database.maxConnections}`);
    const ws = websocketCapacity(config);
    expect(readme).toContain(`${config.capacity.peakConcurrentUsers} peak websocket users of ${thousands(ws.soketi)} Soketi / ${thousands(ws.nodeBalancers)} NodeBalancer capacity`);
    expect(readme).toContain(`${thousands(peakEventsPerSecond(config))} of ${thousands(soketiEventCapacity(config))} events/s`);
  });
});

describe('docs/scaling.md table for production', () => {
  const workloads = ['web', ...production.config.workers.map((w) => `worker-${w.name}`), 'soketi'];

  it.each(workloads)('%s: bounds and CPU target as rendered', (name) => {
    const cells = row(name === 'web' ? 'web (nginx + php-fpm)' : name);
    expect(cells[1]).toBe(bounds(name));
    expect(cells[2]).toContain(`CPU ${cpuTarget(name)}%`);
  });

  it.each(production.config.workers.map((w) => w.name))('worker-%s: jobs per replica as the Redis triggers say', (group) => {
    const listLength = scaler(`worker-${group}`).spec.triggers.find((t: any) => t.type === 'redis').metadata.listLength;
    expect(row(`worker-${group}`)[2]).toContain(`${listLength} jobs/replica`);
  });

  it('sums the DB connection budget as the rule does', () => {
    expect(scaling).toContain(`**${connectionBudget(production.config).total} <= ${production.config.database.maxConnections}**`);
  });
});

describe('decision records quoting the production connection budget', () => {
  const config = production.config;
  const budget = connectionBudget(config);
  const terms = (what: string) => budget.items.find((i) => i.what.startsWith(what))!.connections;
  const children = phpFpmMaxChildren(config);
  const workers = config.workers.reduce((sum, g) => sum + g.replicas.max, 0);
  const doc = (path: string) => readFileSync(join(REPO_ROOT, 'docs/decisions', path), 'utf8');

  it('0003 quotes the total the rule computes', () => {
    expect(doc('0003-database-security-tuning-and-read-write-split.md')).toContain(`**${budget.total} <= ${config.database.maxConnections}** in production`);
  });

  it('0005 quotes every term and the total the rule computes', () => {
    expect(doc('0005-scaling.md')).toContain(
      `${config.web.replicas.max} web x ${children} children + ${workers} worker processes + scheduler ${terms('scheduler')} + ` +
      `migrations ${terms('migrations')} + exporter ${terms('mysqld_exporter')} + admin ${config.database.adminConnectionReserve} | ` +
      `**${budget.total} <= ${config.database.maxConnections}**`,
    );
  });

  it('0006 quotes every term and the total the rule computes', () => {
    const text = doc('0006-open-connections.md').replace(/\s+/g, ' ');
    expect(text).toContain(`${config.web.replicas.max} web pods x ${children} \`pm.max_children\` = ${config.web.replicas.max * children}, + ${workers} worker processes + ${terms('scheduler')} scheduler + ${terms('migrations')} migration + ${terms('mysqld_exporter')} exporter + ${config.database.adminConnectionReserve} admin reserve = **${budget.total}**`);
    expect(text).toContain(`not needed at ${budget.total} connections`);
  });
});
