/**
 * The rules that hold a config to what the charts render from it (capacity, memory, disk,
 * worker timeouts): they use the charts' own sizing functions, so they live with the charts.
 * apps/load.ts runs them with the config's own rules.
 */
import type { Rule } from '../../apps/config/index.js';
import { CAPACITY_RULES } from './capacity-rules.js';
import { MEMORY_RULES } from './memory-rules.js';
import { STORAGE_RULES } from './storage-rules.js';
import { WORKER_RULES } from './worker-rules.js';

export const CHART_RULES: readonly Rule[] = [...WORKER_RULES, ...CAPACITY_RULES, ...MEMORY_RULES, ...STORAGE_RULES];
