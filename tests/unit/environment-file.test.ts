/**
 * What an environment file may leave out and what it must state: the base carries no identity,
 * named lists merge by name, enum errors list the allowed values.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, deepMerge, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { runRule } from '../../apps/config/validate.js';
import { environment } from '../../apps/environments/base.js';
import { problemsWith } from './support/config-problems.js';

const production = (await loadEnvironments()).find((e) => e.name === 'production')!.config;
const identity = {
  name: 'dev',
  domains: { app: 'app.dev.example.com', websockets: 'ws.dev.example.com' },
  cluster: production.cluster,
  network: production.network,
  secrets: production.secrets,
  laravel: { appEnv: 'development' as const },
  database: { primary: { name: 'db-primary', privateIp: '10.0.1.10' }, replicas: [] },
};

describe('environment()', () => {
  it('requires the identity fields in its type (typecheck fails if the base supplies them)', () => {
    // @ts-expect-error laravel.appEnv and database.primary/replicas must be stated by each environment
    const partial = environment({ name: 'dev', domains: identity.domains, cluster: identity.cluster, network: identity.network, secrets: identity.secrets });
    expect(partial.laravel.appEnv).toBeUndefined();
    expect(partial.database.primary).toBeUndefined();
  });

  it('changes one worker group by name and keeps the others whole', () => {
    const base = environment(identity);
    const patched = environment({ ...identity, workers: [{ name: 'sync', replicas: { min: 1, max: 2 } }] });
    expect(patched.workers.map((w) => w.name)).toEqual(base.workers.map((w) => w.name));
    const sync = patched.workers.find((w) => w.name === 'sync')!;
    expect(sync.replicas).toEqual({ min: 1, max: 2 });
    expect(sync.timeoutSeconds).toBe(base.workers.find((w) => w.name === 'sync')!.timeoutSeconds);
    for (const other of patched.workers.filter((w) => w.name !== 'sync')) {
      expect(other).toEqual(base.workers.find((w) => w.name === other.name));
    }
  });

  it('appends a group with a new name', () => {
    const extra = { ...production.workers[0]!, name: 'exports', queues: ['exports'] };
    const patched = environment({ ...identity, workers: [extra] });
    expect(patched.workers.at(-1)).toEqual(extra);
  });

  it('leaves plain deepMerge replacing arrays (tests use it to delete a group)', () => {
    const merged = deepMerge<EnvironmentConfig>(production, { workers: [production.workers[0]!] });
    expect(merged.workers).toHaveLength(1);
  });
});

describe('enum errors', () => {
  it('list the allowed values', () => {
    expect(problemsWith(production, 'production', { laravel: { appEnv: 'dev' as never } }))
      .toMatch(/laravel\.appEnv: "dev" is not one of the allowed values: "production", "staging", "development", "testing"/);
  });
});

describe('a rule that throws', () => {
  it('becomes a problem naming the rule and the reason, inside the usual ConfigError (no stack)', () => {
    const brokenRule = (): never => { throw new Error('cannot read properties of undefined'); };
    const problems = runRule(brokenRule, production);
    expect(problems).toEqual([{ path: '(rule brokenRule)', reason: 'the check itself failed: cannot read properties of undefined' }]);
    const message = new ConfigError('apps/environments/production.ts', 'production', problems).message;
    expect(message).toBe('invalid environment "production" in apps/environments/production.ts:\n  - (rule brokenRule): the check itself failed: cannot read properties of undefined');
  });
});
