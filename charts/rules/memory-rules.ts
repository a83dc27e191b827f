/**
 * Memory rules that need the charts' sizing functions (charts/lib/memory-sizing.ts); CHART_RULES
 * (charts/rules/index.ts) lists them, apps/load.ts runs them with the config's own rules.
 * - the durable Redis survives an AOF rewrite under churn: maxmemory + copy-on-write + overhead
 *   stays under its container limit (the cache, without persistence, keeps rules.ts's 80% rule);
 * - Soketi's Node heap cap leaves a usable heap under its limit, so /accept-traffic sheds load
 *   (it measures against the heap) before the kernel's OOM killer ends the pod.
 */
import { MEMORY_SIZING } from '../lib/names.js';
import { redisMaxmemoryCeilingMiB, redisPeakMiB, soketiHeapMiB } from '../lib/memory-sizing.js';
import { redisInstances } from '../lib/redis-instances.js';
import type { ConfigProblem } from '../../apps/config/errors.js';
import type { Rule } from '../../apps/config/rules.js';

export const redisSurvivesAofRewrite: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  for (const instance of redisInstances(config).filter((i) => i.persistent)) {
    const key = instance.role === 'queue' ? 'queue' : 'cache';
    const limit = instance.settings.resources.limits.memory;
    const peak = redisPeakMiB(instance.settings, true);
    const limitMiB = redisMaxmemoryCeilingMiB(instance.settings, true);
    if (instance.settings.maxmemoryMiB > limitMiB) {
      problems.push({
        path: `redis.${key}.maxmemoryMiB`,
        reason:
          `${instance.settings.maxmemoryMiB} MiB + up to ${instance.settings.maxmemoryMiB * MEMORY_SIZING.redisAofRewriteCopyOnWriteFraction} MiB ` +
          `copied on write during an AOF rewrite + ${MEMORY_SIZING.redisProcessOverheadMiB} MiB overhead = ${peak} MiB exceeds the ` +
          `container limit ${limit}: set maxmemoryMiB to at most ${limitMiB} or raise the limit`,
      });
    }
  }
  return problems;
};

export const soketiHeapFitsItsLimit: Rule = (config) => {
  if (config.realtime.server !== 'soketi') return []; // Sockudo is not a Node process
  const heap = soketiHeapMiB(config);
  if (heap >= MEMORY_SIZING.soketiMinHeapMiB) return [];
  return [{
    path: 'soketi.resources.limits.memory',
    reason:
      `${config.soketi.resources.limits.memory} leaves ${heap} MiB of Node heap after ${MEMORY_SIZING.soketiNativeMiB} MiB of native ` +
      `memory (at least ${MEMORY_SIZING.soketiMinHeapMiB} MiB needed): raise the limit`,
  }];
};

export const MEMORY_RULES: readonly Rule[] = [redisSurvivesAofRewrite, soketiHeapFitsItsLimit];

