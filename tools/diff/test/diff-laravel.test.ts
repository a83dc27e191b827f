// Laravel-aware danger flags, each from a pair of real environment configs synthesized in memory:
// the base is the config as committed, the change a patch on it (or, where no config field
// controls the object, an edit of the synthesized objects: what a hand edit or a chart change does).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deepMerge, ENVIRONMENTS_DIR, REPO_ROOT, type DeepPartial, type EnvironmentConfig } from '../../../apps/config/index.js';
import { loadEnvironmentFile, validateEnvironment } from '../../../apps/load.js';
import { diffEnvironment } from '../environment-diff.js';
import { laravelDangerFlags } from '../laravel-danger.js';
import { databaseFacts, laravelContainers } from '../laravel-facts.js';
import type { EnvironmentTree } from '../load-tree.js';
import { renderMarkdown } from '../report.js';
import type { Obj } from '../semantic-diff.js';
import { renderedObjects } from '../../../apps/synth/objects.js';
import { renderEnvironment } from '../../../apps/synth/render.js';

type Patch = DeepPartial<EnvironmentConfig> | ((config: EnvironmentConfig) => DeepPartial<EnvironmentConfig>);

/** Synthesizes `env` with `patch` applied (validated like synth does), then lets `edit` change the objects. */
async function tree(env: string, patch: Patch = {}, edit?: (t: { objects: Obj[]; inventory: Obj }) => void): Promise<EnvironmentTree> {
  const loaded = await loadEnvironmentFile(join(ENVIRONMENTS_DIR, `${env}.ts`));
  const p = typeof patch === 'function' ? patch(loaded.config) : patch;
  const config = validateEnvironment(deepMerge<EnvironmentConfig>(loaded.config, p), loaded.file, env);
  const rendered = renderEnvironment({ ...loaded, config });
  const t = { objects: renderedObjects(rendered).map((o) => o.object as Obj), inventory: parse(rendered.files.get(`ansible/inventories/${env}/hosts.yml`)!) as Obj };
  edit?.(t);
  return t;
}

const bases = new Map<string, Promise<EnvironmentTree>>();
const base = (env: string) => bases.get(env) ?? bases.set(env, tree(env)).get(env)!;

async function flags(env: string, patch: Patch, edit?: Parameters<typeof tree>[2]): Promise<string[]> {
  return laravelDangerFlags(await base(env), await tree(env, patch, edit)).map((f) => `${f.id}: ${f.reason}. Instead: ${f.instead}`);
}

/** Every Laravel container of the objects (the raw container objects, for edits). */
function laravelContainerObjects(objects: Obj[]): Obj[] {
  const names = new Set(laravelContainers(objects).map((c) => `${c.owner}|${c.name}`));
  return objects.flatMap((o) => {
    const pod = o.spec?.template?.spec;
    if (!pod) return [];
    const id = `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core'}/${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`;
    return [...(pod.initContainers ?? []), ...pod.containers].filter((c: Obj) => names.has(`${id}|${c.name}`));
  });
}

const appEnv = (objects: Obj[]) => objects.find((o) => o.kind === 'ConfigMap' && o.data?.APP_NAME !== undefined)!;

describe('Laravel danger flags', () => {
  it('flags the queues left without a consumer when the sync worker group is deleted', async () => {
    const found = await flags('production', (c) => ({ workers: c.workers.filter((g) => g.name !== 'sync') }));
    const queues = (await base('production')).objects
      .filter((o) => o.kind === 'Deployment' && o.metadata.name === 'worker-sync')
      .flatMap((o) => o.spec.template.spec.containers[0].command.find((a: string) => a.startsWith('--queue=')).slice(8).split(','));
    expect(queues.length).toBeGreaterThan(0);
    for (const q of queues) expect(found.some((f) => f.includes(`queue "${q}" was consumed by worker-sync and no worker consumes it`))).toBe(true);
    // A queue moved to another group still has a consumer: no flag for it.
    const moved = await flags('production', (c) => ({
      workers: c.workers.filter((g) => g.name !== 'sync').map((g) => (g.name === 'default' ? { ...g, queues: [...g.queues, 'low'] } : g)),
    }));
    expect(moved.filter((f) => f.includes('no worker consumes it')).map((f) => /queue "([^"]+)"/.exec(f)![1])).toEqual(['marketplace-sync']);
  });

  it('reads the queues of a hand-edited shell command line too', async () => {
    const found = await flags('production', {}, (t) => {
      const sync = t.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'worker-sync')!.spec.template.spec.containers[0];
      sync.command = ['sh', '-c', sync.command.join(' ').replace('marketplace-sync,low', 'marketplace-sync')];
    });
    expect(found.filter((f) => f.includes('no worker consumes it')).map((f) => /queue "([^"]+)"/.exec(f)![1])).toEqual(['low']);
  });

  it('flags a changed REDIS_PREFIX', async () => {
    const found = await flags('production', { laravel: { redisPrefix: 'marketplace_database_' } });
    expect(found.some((f) => /REDIS_PREFIX .* changes "marketplace-database-" -> "marketplace_database_": queued jobs stay under the old/.test(f))).toBe(true);
  });

  it('flags a REDIS_PREFIX derived from a changed APP_NAME when REDIS_PREFIX is unset (hand edit)', async () => {
    const dropPrefix = (t: { objects: Obj[] }) => { delete appEnv(t.objects).data.REDIS_PREFIX; };
    const before = await tree('production', {}, dropPrefix);
    const after = await tree('production', { laravel: { appName: 'shop' } }, dropPrefix);
    expect(laravelDangerFlags(before, after).map((f) => f.reason).join('\n')).toContain('"marketplace-database-" -> "shop-database-"');
  });

  it('flags an APP_NAME change as a logout (the session cookie name derives from it)', async () => {
    const found = await flags('production', { laravel: { appName: 'shop' } });
    expect(found.some((f) => f.includes('the session cookie name changes "marketplace-session" -> "shop-session"'))).toBe(true);
  });

  it('flags a changed session driver and a move of the session Redis (edits of the objects)', async () => {
    const driver = await flags('production', {}, (t) => { appEnv(t.objects).data.SESSION_DRIVER = 'database'; });
    expect(driver.some((f) => /sessions move from redis connection "default" at redis-queue:6379 db 0 to database table on mariadb-primary\/marketplace .*every user is logged out/.test(f))).toBe(true);
    const instance = await flags('production', {}, (t) => { appEnv(t.objects).data.SESSION_CONNECTION = 'cache'; });
    expect(instance.some((f) => f.includes('to redis connection "cache" at redis-cache:6379 db 1'))).toBe(true);
  });

  it('flags a changed APP_KEY Secret reference', async () => {
    const found = await flags('production', {}, (t) => {
      for (const c of laravelContainerObjects(t.objects)) {
        const key = (c.env ?? []).find((e: Obj) => e.name === 'APP_KEY');
        if (key) key.valueFrom.secretKeyRef.name = 'app-secrets-2026';
      }
    });
    expect(found.some((f) => f.includes('APP_KEY now comes from Secret app-secrets-2026 key APP_KEY instead of Secret app-secrets key APP_KEY') && f.includes('APP_PREVIOUS_KEYS'))).toBe(true);
  });

  it('flags a changed APP_KEY value in the encrypted Secret, not a change of another key', async () => {
    // The committed SOPS file (hand-managed, so not synthesized): the diff sees it beside the manifests.
    const secret = parse(readFileSync(join(REPO_ROOT, 'environments/production/secrets/apps/app-secrets.sops.yaml'), 'utf8')) as Obj;
    const withSecret = (edit: (s: Obj) => void) => (t: { objects: Obj[] }) => {
      const copy = structuredClone(secret);
      edit(copy);
      t.objects.push(copy);
    };
    const before = await tree('production', {}, withSecret(() => {}));
    const reencrypted = (key: string) => (s: Obj) => { s.stringData[key] = s.stringData[key].replace(/data:[^,]+/, 'data:AAAAAAAAAAAA'); };
    const rotated = laravelDangerFlags(before, await tree('production', {}, withSecret(reencrypted('APP_KEY')))).map((f) => f.reason);
    expect(rotated.some((r) => r.startsWith('the APP_KEY value in Secret app-secrets key APP_KEY changed'))).toBe(true);
    expect(rotated.join('\n')).not.toContain('ENC[');
    expect(laravelDangerFlags(before, await tree('production', {}, withSecret(reencrypted('DB_PASSWORD'))))).toEqual([]);
  });

  describe('database host names, TLS settings and the CA reference', () => {
    const rename: Patch = { database: { primary: { name: 'db-main', privateIp: '10.0.1.10' } } };
    /** Removes mariadb_tls_server_names wherever the generated inventory carries it (an older inventory). */
    const stripCertificateNames = (node: Obj): void => {
      if (!node || typeof node !== 'object') return;
      delete node.mariadb_tls_server_names;
      for (const child of Object.values(node)) stripCertificateNames(child as Obj);
    };
    const withoutCertificateNames = (t: { inventory: Obj }) => stripCertificateNames(t.inventory);
    /** An inventory whose certificate names are exactly the dialled names, short and FQDN, less `drop`. */
    const withCertificateNames = (drop: string[] = []) => (t: { objects: Obj[]; inventory: Obj }) => {
      stripCertificateNames(t.inventory);
      const namespace = appEnv(t.objects).metadata.namespace;
      const names = databaseFacts(t).dialledNames.flatMap((n) => [n, `${n}.${namespace}.svc.cluster.local`]).filter((n) => !drop.includes(n));
      t.inventory.all.vars = { ...(t.inventory.all.vars ?? {}), mariadb_tls_server_names: names };
    };

    it('flags a DB host rename when the inventory has no certificate names', async () => {
      const found = await flags('production', rename, withoutCertificateNames);
      expect(found.some((f) => f.includes('DB servers "db-primary", "db-replica-1" -> "db-main", "db-replica-1"') && f.includes('lists no mariadb_tls_server_names'))).toBe(true);
    });

    it('does not flag the rename with the certificate names the inventory generator writes', async () => {
      const found = await flags('production', rename);
      expect(found.filter((f) => /database connection|CA reference/.test(f))).toEqual([]);
    });

    it('flags dropping the replicas (reads move to the primary) in staging when the names are unknown', async () => {
      const found = await flags('staging', { database: { replicas: [] } }, withoutCertificateNames);
      expect(found.some((f) => f.includes('host names dialled "mariadb-primary", "mariadb-replicas" -> "mariadb-primary"'))).toBe(true);
    });

    it('does not flag the rename when mariadb_tls_server_names carries every dialled name', async () => {
      const found = await flags('production', rename, withCertificateNames());
      expect(found.filter((f) => /database connection|CA reference/.test(f))).toEqual([]);
    });

    it('flags a name the pods dial that mariadb_tls_server_names lacks', async () => {
      const found = await flags('production', rename, withCertificateNames(['mariadb-replicas']));
      expect(found.some((f) => f.includes('the pods dial "mariadb-replicas", which mariadb_tls_server_names'))).toBe(true);
    });

    it('flags a changed CA reference even when the names match', async () => {
      const found = await flags('production', {}, (t) => {
        withCertificateNames()(t);
        for (const o of t.objects) for (const v of o.spec?.template?.spec?.volumes ?? []) if (v.secret?.secretName === 'mariadb-ca') v.secret.secretName = 'mariadb-ca-2027';
      });
      expect(found.some((f) => f.includes('the MariaDB CA reference changes "Secret mariadb-ca') && f.includes('-> "Secret mariadb-ca-2027'))).toBe(true);
    });
  });

  describe('capacity under the last measured peak', () => {
    it('flags Soketi sized under the base peak when the peak figure is lowered with it', async () => {
      // A peak one pod carries (connections and events), so the head config itself is valid.
      const found = await flags('production', (c) => {
        const users = Math.min(c.soketi.connectionsPerPod, Math.floor((c.soketi.eventsPerSecondPerPod * 60) / c.capacity.eventsPerUserPerMinute));
        return { capacity: { peakConcurrentUsers: users }, soketi: { replicas: { min: 1, max: 1 } } };
      });
      const c = (await loadEnvironmentFile(join(ENVIRONMENTS_DIR, 'production.ts'))).config;
      const users = Math.min(c.soketi.connectionsPerPod, Math.floor((c.soketi.eventsPerSecondPerPod * 60) / c.capacity.eventsPerUserPerMinute));
      const soketi = found.find((f) => f.startsWith('keda.sh/ScaledObject/marketplace/soketi: websocket capacity under the last measured peak'));
      expect(soketi).toContain(`Soketi holds ${c.soketi.connectionsPerPod} connections at maxReplicas, under the ${c.capacity.peakConcurrentUsers} peak concurrent users`);
      expect(soketi).toContain(`the measured peak was lowered (users ${c.capacity.peakConcurrentUsers} -> ${users}`);
      expect(soketi).toContain('SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC');
    });

    it('flags web and worker maxima lowered (no measured peak for them: the base maximum)', async () => {
      const found = await flags('production', (c) => ({
        web: { replicas: { min: 3, max: 10 } },
        workers: c.workers.map((g) => (g.name === 'sync' ? { ...g, replicas: { min: 1, max: 6 } } : g)),
      }));
      expect(found.some((f) => f.startsWith('apps/Deployment/marketplace/web: web capacity at max scale lowered 260 -> 130 concurrent requests'))).toBe(true);
      expect(found.some((f) => f.includes('queue "marketplace-sync": worker processes at max scale lowered 12 -> 6'))).toBe(true);
      expect(found.some((f) => f.includes('queue "low": worker processes at max scale lowered 12 -> 6'))).toBe(true);
    });

    it('flags DB maxConnections lowered under what the base maximum scale opens', async () => {
      const before = databaseFacts(await base('production'));
      const found = await flags('production', { web: { replicas: { min: 3, max: 8 } }, database: { maxConnections: 200 } });
      expect(found.some((f) => f.includes(`MariaDB max_connections ${before.maxConnections} -> 200, under the ${before.connectionsAtMaxScale} connections`))).toBe(true);
    });
  });

  it('flags a migrations Job of another release than the app image', async () => {
    const found = await flags('production', { images: { phpFpm: 'ghcr.io/fmtod/marketplace-php:2026.12.0' } });
    expect(found.some((f) => f.startsWith('batch/Job/marketplace/migrate-2026-11-3: migrate-2026-11-3 migrates with ghcr.io/fmtod/marketplace-cli:2026.11.3 but web runs ghcr.io/fmtod/marketplace-php:2026.12.0'))).toBe(true);
  });

  it('produces none of these flags for a change that touches none of them', async () => {
    const release = '2026.12.0';
    for (const patch of [
      {},
      { web: { targetCpuPercent: 70 }, meilisearch: { snapshotIntervalSeconds: 43200 } },
      { web: { replicas: { min: 3, max: 24 } }, images: Object.fromEntries(['nginx', 'phpFpm', 'cli', 'cron'].map((k) => [k, `ghcr.io/fmtod/marketplace-${{ nginx: 'web', phpFpm: 'php', cli: 'cli', cron: 'cron' }[k]}:${release}`])) },
    ] as DeepPartial<EnvironmentConfig>[]) {
      expect(await flags('production', patch)).toEqual([]);
    }
  });

  it('puts the Laravel flags above the object diff in the PR comment, with what to do instead', async () => {
    const d = diffEnvironment('production', await base('production'), await tree('production', (c) => ({ workers: c.workers.filter((g) => g.name !== 'sync') })));
    const md = renderMarkdown([d]);
    const flag = md.indexOf('no worker consumes it');
    expect(flag).toBeGreaterThan(0);
    expect(md.indexOf('_Instead:_ keep "')).toBeGreaterThan(flag);
    expect(flag).toBeLessThan(md.indexOf('### production'));
  });
});
