/**
 * Config values that reach the tfvars and that terraform-provider-linode validates fail at synth,
 * naming the field. The limits come from apps/config/provider-rules.ts (which cites the provider's
 * validators); the suite tests/suites/50-terraform.sh shows the real provider rejecting the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtTerraformLabels, PROVIDER_LABEL_LIMITS, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { problemsWith as validate } from './support/config-problems.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;

/** Validates production changed by `change`; returns the error message ('' when valid). */
const problemsWith = (change: (c: EnvironmentConfig) => void): string => validate(production, 'production', change);

const firewallMax = PROVIDER_LABEL_LIMITS.linode_firewall.max;
const instanceMax = PROVIDER_LABEL_LIMITS.linode_instance.max;
/** The longest firewall label suffix the modules append to the environment name. */
const longestFirewallSuffix = Math.max(
  ...builtTerraformLabels(production).filter((l) => l.type === 'linode_firewall').map((l) => l.label.length - production.name.length),
);

describe('labels Terraform builds from the config fit the provider', () => {
  it('the committed environments pass', () => {
    for (const env of environments) {
      for (const built of builtTerraformLabels(env.config)) {
        expect(built.label.length).toBeLessThanOrEqual(PROVIDER_LABEL_LIMITS[built.type].max);
      }
    }
  });

  it('an environment name that makes a firewall label exactly the limit passes', () => {
    const name = 'p'.repeat(firewallMax - longestFirewallSuffix);
    expect(problemsWith((c) => { c.name = name; })).toBe('');
  });

  it('an environment name one character longer fails, naming `name` and the built label', () => {
    const name = 'p'.repeat(firewallMax - longestFirewallSuffix + 1);
    const label = `${name}-lke-nodes`;
    expect(problemsWith((c) => { c.name = name; })).toBe(
      'invalid environment "production" in apps/environments/production.ts:\n' +
        `  - name: the linode_firewall label "${label}" (module.lke_cluster.linode_firewall.nodes, built from name) ` +
        `has ${firewallMax + 1} characters; terraform-provider-linode allows 3-32 ` +
        '(firewall/framework_schema_resource.go: stringvalidator.LengthBetween(3, 32))',
    );
  });

  it('a replica name that makes the VM label too long fails, naming the replica', () => {
    const replica = `r${'e'.repeat(instanceMax - production.name.length - 1)}`;
    const label = `${production.name}-${replica}`;
    expect(label.length).toBe(instanceMax + 1);
    expect(problemsWith((c) => { c.database.replicas[0].name = replica; })).toBe(
      'invalid environment "production" in apps/environments/production.ts:\n' +
        `  - database.replicas[0].name: the linode_instance label "${label}" ` +
        `(module.database_vms.linode_instance.db["${replica}"], built from name + database.replicas[0].name) ` +
        `has ${instanceMax + 1} characters; terraform-provider-linode allows 3-50 ` +
        '(instance/schema_resource.go: validation.StringLenBetween(3, 50))',
    );
  });
});

describe('CIDRs reach the firewall as Go netip prefixes', () => {
  it.each([
    ['an octet above 255', '203.0.113.300/28'],
    ['an octet with a leading zero', '203.0.113.016/28'],
  ])('%s fails at the schema', (_title, cidr) => {
    expect(problemsWith((c) => { c.network.adminCidrs = [cidr]; })).toBe(
      'invalid environment "production" in apps/environments/production.ts:\n' +
        `  - network.adminCidrs[0]: "${cidr}" must be an IPv4 CIDR a.b.c.d/n with octets 0-255 without leading zeros and n 0-32`,
    );
  });
});

describe('docs/terraform.md', () => {
  it('states the label limits the rules enforce', () => {
    const doc = readFileSync(new URL('../../docs/terraform.md', import.meta.url), 'utf8');
    const { linode_firewall: fw, linode_instance: vm } = PROVIDER_LABEL_LIMITS;
    expect(doc).toContain(`firewalls: ${fw.min}-${fw.max}`);
    expect(doc).toContain(`VMs: ${vm.min}-${vm.max}`);
    expect(doc).toContain(`a firewall rule label of ${fw.max + 1} characters`);
    expect(doc).toContain(`makes its VM label ${vm.max + 1} characters`);
  });
});
