import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, REPO_ROOT, type LoadedEnvironment } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { terraformVars, terraformVarsFile, terraformVarsPath } from '../../apps/generators/terraform-vars.js';

const environments = await loadEnvironments();
const byName = (name: string): LoadedEnvironment => {
  const env = environments.find((e) => e.name === name);
  if (!env) throw new Error(`environment ${name} not found`);
  return env;
};

/** A loaded environment with part of its config replaced (the committed files stay untouched). */
function withConfig(env: LoadedEnvironment, change: (config: LoadedEnvironment['config']) => void): LoadedEnvironment {
  const config = structuredClone(env.config);
  change(config);
  return { ...env, config };
}

/** Names of the variables a Terraform root declares. */
function declaredVariables(envName: string): string[] {
  const source = readFileSync(join(REPO_ROOT, 'terraform', 'environments', envName, 'variables.tf'), 'utf8');
  return [...source.matchAll(/^variable "([a-z_]+)"/gm)].map((m) => m[1]);
}

describe('terraformVarsFile', () => {
  it('writes terraform/environments/<env>/platform.auto.tfvars.json for every environment', () => {
    for (const env of environments) {
      expect(terraformVarsFile(env).map((f) => f.path)).toEqual([`terraform/environments/${env.name}/platform.auto.tfvars.json`]);
    }
  });

  it('renders only variables the environment root declares (ssh keys come from elsewhere)', () => {
    for (const env of environments) {
      const keys = Object.keys(JSON.parse(terraformVarsFile(env)[0].content));
      const declared = declaredVariables(env.name);
      expect(keys.every((k) => declared.includes(k))).toBe(true);
      expect(declared.filter((k) => !keys.includes(k))).toEqual(['ssh_authorized_keys']);
    }
  });

  it('equals the committed file (run `npm run synth` after changing the config)', () => {
    for (const env of environments) {
      const [file] = terraformVarsFile(env);
      expect(readFileSync(join(REPO_ROOT, terraformVarsPath(env.name)), 'utf8')).toBe(file.content);
    }
  });
});

describe('terraformVars', () => {
  it('carries production sizes, bounds and fixed addresses from the config', () => {
    const vars = terraformVars(byName('production'));
    expect(vars.cluster).toEqual({
      label: 'marketplace-production',
      kubernetes_version: '1.34',
      high_availability: true,
      pools: [{ name: 'general', type: 'g6-standard-6', min: 3, max: 10, labels: {} }],
    });
    expect(vars.database.primary).toEqual({ name: 'db-primary', private_ip: '10.0.1.10' });
    expect(vars.database.replicas).toEqual([{ name: 'db-replica-1', private_ip: '10.0.1.11' }]);
    expect(vars.network.admin_cidrs).toEqual(['203.0.113.0/28']);
    expect(vars.region).toBe('us-east');
  });

  it('follows a change of a node pool bound', () => {
    const env = withConfig(byName('staging'), (c) => { c.cluster.pools[0].max = 9; });
    expect(terraformVars(env).cluster.pools[0].max).toBe(9);
    expect(terraformVars(byName('staging')).cluster.pools[0].max).toBe(5);
  });

  it('rejects a shared CPU plan for the database, naming file and field', () => {
    const env = withConfig(byName('staging'), (c) => { c.database.plan = 'g6-standard-4'; });
    expect(() => terraformVars(env)).toThrow(ConfigError);
    expect(() => terraformVars(env)).toThrow(/apps\/environments\/staging\.ts[\s\S]*database\.plan: "g6-standard-4" is a shared CPU plan/);
  });

  it('rejects an unknown node pool plan', () => {
    const env = withConfig(byName('production'), (c) => { c.cluster.pools[0].type = 'g9-huge-1'; });
    expect(() => terraformVars(env)).toThrow(/cluster\.pools\[0\]\.type: "g9-huge-1" is not a known Linode plan/);
  });
});
