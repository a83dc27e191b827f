/**
 * The platform side of docs/app-contract.md: every env var of every Laravel container of every
 * environment is in the contract's table with its source, and the table lists nothing that no
 * container gets. (The app side, on the real Laravel, is tests/integration/laravel.)
 */
import { describe, expect, it } from 'vitest';
import { POD_ROLE_LABELS } from '../../charts/lib/names.js';
import { readContract } from '../integration/laravel/contract.js';
import { containerEnvSources, laravelPods, runsLaravel } from './support/container-env.js';
import { renderedEnvironments } from './support/rendered-objects.js';

const environments = await renderedEnvironments();
const contract = readContract();

describe.each(environments)('environment $name', ({ objects, config }) => {
  const sources = new Map<string, Set<string>>();
  for (const { owner, spec } of laravelPods(objects, POD_ROLE_LABELS.laravel)) {
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      if (!runsLaravel(c, config.images)) continue;
      for (const [name, source] of containerEnvSources(objects, c, `${owner.kind}/${owner.metadata.name} ${c.name}`)) {
        sources.set(name, (sources.get(name) ?? new Set()).add(source.from));
      }
    }
  }

  it('finds the Laravel containers (web php-fpm, workers, scheduler, migrations, optimize)', () => {
    expect(sources.size).toBeGreaterThan(20);
    expect(sources.has('REDIS_HOST')).toBe(true);
  });

  it('every variable a Laravel container gets is in docs/app-contract.md, and nothing else is', () => {
    expect([...contract.variables.map((v) => v.name)].sort()).toEqual([...sources.keys()].sort());
  });

  it('each variable comes from the source the contract names', () => {
    for (const v of contract.variables) {
      const from = [...(sources.get(v.name) ?? [])].sort();
      // A cell may name several sources ("ConfigMap app-env; container env (migrations Job)").
      const expected = v.from.split(/;\s*/).map((f) => (f.startsWith('container env') ? 'container env' : f)).sort();
      expect({ name: v.name, from }).toEqual({ name: v.name, from: expected });
    }
  });
});
