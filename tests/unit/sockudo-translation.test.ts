/**
 * The Soketi → Sockudo comparison (decision 0007) starts Sockudo from the Soketi Deployment's env,
 * translated key by key (tests/integration/soketi/sockudo-servers.ts). Every key every
 * environment's Soketi container sets must translate, so the comparison runs on the platform's
 * real settings and a new Soketi setting is not silently left out of it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../apps/config/index.js';
import { soketiManifest } from '../integration/soketi/soketi-servers.js';
import { sockudoEnv } from '../integration/soketi/sockudo-servers.js';

const environments = readdirSync(join(REPO_ROOT, 'environments'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe.each(environments)('Soketi env of %s, translated for Sockudo', (environment) => {
  const manifest = soketiManifest(environment);
  const secretValues = Object.fromEntries(manifest.secretEnv.map((name) => [name, `test-${name}`]));
  const soketi = { ...manifest.env, ...secretValues };

  it('translates every key (or drops it with a reason)', () => {
    expect(() => sockudoEnv(soketi)).not.toThrow();
  });

  it('keeps the limits, app credentials and adapter the manifest sets', () => {
    const { env, adapterPrefix } = sockudoEnv(soketi);
    expect(env.SOCKUDO_DEFAULT_APP_MAX_CONNECTIONS).toBe(soketi.SOKETI_DEFAULT_APP_MAX_CONNS);
    expect(env.SOCKUDO_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SECOND).toBe(soketi.SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC);
    expect(env.SOCKUDO_DEFAULT_APP_KEY).toBe(soketi.SOKETI_DEFAULT_APP_KEY);
    expect(env.ADAPTER_DRIVER).toBe(soketi.SOKETI_ADAPTER_DRIVER);
    expect(adapterPrefix).toBe(soketi.SOKETI_ADAPTER_REDIS_PREFIX);
    // Soketi's grace period is in milliseconds, Sockudo's in seconds.
    expect(Number(env.SHUTDOWN_GRACE_PERIOD) * 1000).toBe(Number(soketi.SOKETI_SHUTDOWN_GRACE_PERIOD));
  });

  it('fails on a Soketi key it does not know', () => {
    expect(() => sockudoEnv({ ...soketi, SOKETI_NEW_SETTING: '1' })).toThrow(/SOKETI_NEW_SETTING has no Sockudo translation/);
  });
});
