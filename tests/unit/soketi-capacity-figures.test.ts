/**
 * Soketi's capacity figures in the config come from the benchmark (tests/bench/soketi.sh, its
 * output committed as tests/bench/results/soketi.json): the measurement is of the pod as the
 * config sizes it, the per-pod figures do not exceed what one of two Soketi processes on the
 * Redis adapter sustained within the target, and decision 0007 shows the tables the bench printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuMillis, memoryMiB, REPO_ROOT } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';

interface Summary {
  processes: number; mode: string; usersPerProcess: number; wsMessagesSentPerProcess: number; p99Ms: number;
}
interface Run { eventsPerUserPerMinute: number; cpuMillicores: number; memoryLimitMiB: number; table: string; summaries: Summary[]; target: { p99Ms: number } }

const results = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/bench/results/soketi.json'), 'utf8')) as { runs: Record<string, Run> };
const environments = await loadEnvironments();
const decision = readFileSync(join(REPO_ROOT, 'docs/decisions/0007-soketi-capacity-and-reverb.md'), 'utf8');

/** The run measured at an environment's events per user per minute, publishing as Laravel does. */
function sizingRun(eventsPerUserPerMinute: number): { run: Run; twoPods: Summary } {
  const run = Object.values(results.runs).find((r) => r.eventsPerUserPerMinute === eventsPerUserPerMinute);
  if (!run) throw new Error(`tests/bench/results/soketi.json: no run at ${eventsPerUserPerMinute} events/user/min (run tests/bench/soketi.sh)`);
  const twoPods = run.summaries.find((s) => s.processes === 2 && s.mode === 'events');
  if (!twoPods) throw new Error('tests/bench/results/soketi.json: the run has no two-process /events series');
  return { run, twoPods };
}

describe.each(environments.map((e) => [e.name, e.config] as const))('Soketi figures of %s', (_name, config) => {
  const { run, twoPods } = sizingRun(config.capacity.eventsPerUserPerMinute);

  it('were measured on the pod as configured (CPU request, memory limit)', () => {
    expect(run.cpuMillicores).toBe(cpuMillis(config.soketi.resources.requests.cpu));
    expect(run.memoryLimitMiB).toBe(memoryMiB(config.soketi.resources.limits.memory));
  });

  it('do not exceed what one of two Soketi processes on the Redis adapter sustained within the target', () => {
    expect(twoPods.p99Ms).toBeLessThanOrEqual(run.target.p99Ms);
    expect(config.soketi.connectionsPerPod).toBeLessThanOrEqual(twoPods.usersPerProcess);
    expect(config.soketi.eventsPerSecondPerPod).toBeLessThanOrEqual(twoPods.wsMessagesSentPerProcess);
  });
});

describe('decision 0007', () => {
  it.each(Object.entries(results.runs))('shows the measured table of run %s as the bench printed it', (_label, run) => {
    expect(decision).toContain(run.table);
  });
});

describe('decision 0007, Soketi beside Sockudo', () => {
  const comparison = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/bench/results/realtime-servers.json'), 'utf8')) as { runs: Record<string, Run> };
  it.each(Object.entries(comparison.runs))('shows the side-by-side tables of run %s as tests/bench/realtime-servers.sh printed them', (_label, run) => {
    expect(decision).toContain(run.table);
  });
});
