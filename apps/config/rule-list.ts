/**
 * Every cross-field rule, in one explicit list: validateEnvironment runs exactly these, so synth,
 * cost, diff and diagram (all load through loadEnvironments) refuse the same configs. A new rule
 * module is added here, never registered by importing it for its side effect.
 */
import { CAPACITY_RULES } from './capacity-rules.js';
import { MEMORY_RULES } from './memory-rules.js';
import { PROVIDER_RULES } from './provider-rules.js';
import { BASE_RULES, type Rule } from './rules.js';
import { STORAGE_RULES } from './storage-rules.js';

/**
 * A function, not a constant: the capacity rules import chart helpers that import this config
 * package back, so the lists are read when validation runs, after every module has loaded.
 */
export function allRules(): readonly Rule[] {
  return [...BASE_RULES, ...PROVIDER_RULES, ...CAPACITY_RULES, ...MEMORY_RULES, ...STORAGE_RULES];
}
