/**
 * Memory rules (charts/rules/memory-rules.ts): the durable Redis leaves room for an AOF rewrite's
 * copy-on-write under its limit, and Soketi's Node heap cap leaves a usable heap under its limit.
 * The rendered objects carry exactly what the rules checked.
 */
import { describe, expect, it } from 'vitest';
import { deepMerge, memoryMiB, type DeepPartial, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { redisSurvivesAofRewrite, soketiHeapFitsItsLimit } from '../../charts/rules/memory-rules.js';
import { soketiHeapMiB } from '../../charts/lib/memory-sizing.js';
import { MEMORY_SIZING } from '../../charts/lib/names.js';
import { find, renderedChoices, renderedEnvironments } from './support/rendered-objects.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;
const withPatch = (patch: DeepPartial<EnvironmentConfig>) => deepMerge<EnvironmentConfig>(structuredClone(production), patch);

describe('the durable Redis survives an AOF rewrite', () => {
  it('holds for every committed environment', () => {
    for (const env of environments) expect(redisSurvivesAofRewrite(env.config)).toEqual([]);
  });

  it("refuses 768 MiB maxmemory in a 1 GiB limit (main's old value), naming the numbers and the fix", () => {
    expect(redisSurvivesAofRewrite(withPatch({ redis: { queue: { maxmemoryMiB: 768 } } }))).toEqual([{
      path: 'redis.queue.maxmemoryMiB',
      reason: '768 MiB + up to 768 MiB copied on write during an AOF rewrite + 64 MiB overhead = 1600 MiB exceeds the container limit 1Gi: set maxmemoryMiB to at most 480 or raise the limit',
    }]);
  });

  it('applies to the merged instance too, and never to the cache (no fork without persistence)', () => {
    expect(redisSurvivesAofRewrite(withPatch({ redis: { merged: true, queue: { maxmemoryMiB: 700 } } }))[0]?.path).toBe('redis.queue.maxmemoryMiB');
    expect(redisSurvivesAofRewrite(withPatch({ redis: { cache: { maxmemoryMiB: 800 } } }))).toEqual([]);
  });

  it('renders the checked maxmemory into the queue redis.conf', async () => {
    for (const { config, objects } of await renderedEnvironments()) {
      const conf = (find(objects, 'ConfigMap', 'redis-queue-config').data as Record<string, string>)['redis.conf']!;
      const maxmemory = Number(conf.match(/^maxmemory (\d+)mb$/m)?.[1]);
      const limit = memoryMiB(config.redis.queue.resources.limits.memory);
      expect(maxmemory * (1 + MEMORY_SIZING.redisAofRewriteCopyOnWriteFraction) + MEMORY_SIZING.redisProcessOverheadMiB).toBeLessThanOrEqual(limit);
    }
  });
});

describe("Soketi's Node heap cap", () => {
  it('leaves a usable heap in every committed environment', () => {
    for (const env of environments) expect(soketiHeapFitsItsLimit({ ...env.config, realtime: { server: 'soketi' } })).toEqual([]);
  });

  it('refuses a limit that leaves no heap after native memory', () => {
    const small = withPatch({ realtime: { server: 'soketi' }, soketi: { resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '320Mi' } } } });
    expect(soketiHeapFitsItsLimit(small)).toEqual([{
      path: 'soketi.resources.limits.memory',
      reason: '320Mi leaves 64 MiB of Node heap after 256 MiB of native memory (at least 128 MiB needed): raise the limit',
    }]);
  });

  it('runs Node with that cap, below the container limit', async () => {
    // Every environment rendered with Soketi (Sockudo is no Node process: no cap, no NODE_OPTIONS).
    for (const { config, objects } of (await renderedChoices()).filter((c) => c.config.realtime.server === 'soketi')) {
      const container = find(objects, 'Deployment', 'soketi').spec.template.spec.containers[0];
      const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
      const cap = Number(String(env.NODE_OPTIONS).match(/--max-old-space-size=(\d+)/)?.[1]);
      expect(cap).toBe(soketiHeapMiB(config));
      expect(cap).toBeLessThan(memoryMiB(container.resources.limits.memory));
    }
  });
});
