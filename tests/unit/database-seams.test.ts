/**
 * Where the generated MariaDB inventory meets the pods (issue 13, items 1, 12, 14, 15): every
 * expectation is read from the rendered Kubernetes objects or the environment config, never typed
 * here. The live-server side of the same seams is in tests/suites/60-ansible-converge.sh.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, deepMerge, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments, validateEnvironment } from '../../apps/load.js';
import { ansibleInventory } from '../../apps/generators/ansible-inventory.js';
import type { K8sObject } from '../../policies/manifest.js';
import { renderedEnvironments } from './support/rendered-objects.js';

const environments = await renderedEnvironments();
const loaded = await loadEnvironments();

async function inventoryVars(name: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const env = loaded.find((e) => e.name === name)!;
  return parse(ansibleInventory(env)[0].content).all.children.mariadb.vars;
}
const appEnv = (objects: K8sObject[]) =>
  objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'app-env')!.data as Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podContainers = (o: any): any[] => o.spec?.template?.spec?.containers ?? o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? [];

describe.each(environments.map((e) => [e.name, e] as const))('%s: inventory vs pods', (name, { config, objects }) => {
  it('certificates carry every name the app dials for the database Services, short and FQDN', async () => {
    const vars = await inventoryVars(name);
    const names: string[] = vars.mariadb_tls_server_names;
    // The Services the database-endpoints chart renders (selector-less, backed by the VMs).
    const services = objects.filter((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'])
      .map((o) => ({ name: o.metadata.labels!['kubernetes.io/service-name'], namespace: o.metadata.namespace }));
    expect(services.length).toBeGreaterThan(0);
    for (const svc of services) {
      expect(names).toContain(svc.name);
      expect(names).toContain(`${svc.name}.${svc.namespace}.svc.cluster.local`);
    }
    const env = appEnv(objects);
    for (const host of [env.DB_HOST, env.DB_READ_HOST]) expect(names).toContain(host);
    // A replica can be promoted: both Services' names are on every host, so the list is
    // group-wide and no host overrides it.
    expect(names).toContain(`mariadb-primary.${config.namespace}.svc.cluster.local`);
  });

  it('the pods log in with the users the inventory creates: runtime (DML) everywhere, migration user in the Job only', async () => {
    const vars = await inventoryVars(name);
    expect(appEnv(objects).DB_USERNAME).toBe(vars.mariadb_app_user);
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('migrate-'))!;
    const [migrate] = podContainers(job);
    const env = Object.fromEntries(migrate.env.map((e: any) => [e.name, e])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(env.DB_USERNAME.value).toBe(vars.mariadb_migration_user);
    expect(vars.mariadb_migration_user).not.toBe(vars.mariadb_app_user);
    const migrationSecret = env.DB_PASSWORD.valueFrom.secretKeyRef.name;
    // No other workload reads the migration user's password.
    for (const o of objects.filter((x) => x !== job)) {
      for (const c of podContainers(o)) {
        const refs = (c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name); // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(refs, `${o.kind}/${o.metadata.name}`).not.toContain(migrationSecret);
        expect((c.env ?? []).find((e: any) => e.name === 'DB_USERNAME')?.value ?? vars.mariadb_app_user).toBe(vars.mariadb_app_user); // eslint-disable-line @typescript-eslint/no-explicit-any
      }
    }
    // The placeholder Secret exists (SOPS file), with the key the Job reads.
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === migrationSecret);
    expect(secret, `environments/${name}/secrets/apps/${migrationSecret}.sops.yaml`).toBeDefined();
    expect(Object.keys({ ...(secret as any).data, ...(secret as any).stringData })).toContain(env.DB_PASSWORD.valueFrom.secretKeyRef.key); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('the server pins the character set and collation the app is given', async () => {
    const vars = await inventoryVars(name);
    const { DB_CHARSET, DB_COLLATION } = appEnv(objects);
    expect(DB_COLLATION, 'app-env DB_COLLATION').toMatch(/^utf8mb4_/);
    expect([vars.mariadb_character_set, vars.mariadb_collation]).toEqual([DB_CHARSET, DB_COLLATION]);
  });

  it('wait_timeout outlives the longest job the pods can run, with a margin', async () => {
    const vars = await inventoryVars(name);
    // From the rendered workers' --timeout and php-fpm's request_terminate_timeout.
    const timeouts = objects.filter((o) => o.kind === 'Deployment').flatMap(podContainers)
      .flatMap((c) => (c.command ?? []).concat(c.args ?? []))
      .map((a: string) => /^--timeout=(\d+)$/.exec(a)?.[1]).filter(Boolean).map(Number);
    const fpm = objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.values(o.data ?? {}) as string[])
      .flatMap((text) => [...text.matchAll(/^request_terminate_timeout = (\d+)s$/gm)].map((m) => Number(m[1])));
    expect(timeouts.length).toBeGreaterThan(0);
    expect(fpm.length).toBeGreaterThan(0);
    const longest = Math.max(...timeouts, ...fpm);
    expect(vars.mariadb_wait_timeout).toBeGreaterThanOrEqual(longest + 60);
    expect(vars.mariadb_interactive_timeout).toBe(vars.mariadb_wait_timeout);
  });

  it('binlogs stay on the hosts longer than the backups, shipped every RPO minutes', async () => {
    const vars = await inventoryVars(name);
    expect(vars.mariadb_binlog_expire_seconds).toBeGreaterThan(config.database.backupRetentionDays * 86400);
    expect(vars.mariadb_backup_retention_days).toBe(config.database.backupRetentionDays);
    expect(vars.mariadb_recovery_point_objective_minutes).toBe(config.database.recoveryPointObjectiveMinutes);
  });
});

describe('database.recoveryPointObjectiveMinutes is validated', () => {
  const production = environments.find((e) => e.name === 'production')!.config;
  const problems = (rpo: number): string => {
    try {
      validateEnvironment(deepMerge<EnvironmentConfig>(structuredClone(production), { database: { recoveryPointObjectiveMinutes: rpo } }),
        'apps/environments/production.ts', 'production');
      return '';
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.message;
    }
  };
  it('accepts a divisor of 60', () => expect(problems(15)).toBe(''));
  it('refuses a step cron cannot run evenly, naming file, environment and field', () => {
    const message = problems(7);
    expect(message).toContain('invalid environment "production" in apps/environments/production.ts');
    expect(message).toContain('database.recoveryPointObjectiveMinutes: 7 does not divide 60');
  });
  it('refuses 0 and more than an hour', () => {
    expect(problems(0)).toContain('database.recoveryPointObjectiveMinutes: 0 must be >= 1');
    expect(problems(120)).toContain('database.recoveryPointObjectiveMinutes: 120 must be <= 60');
  });
});
