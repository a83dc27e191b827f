/**
 * The config's own cross-field rules, in one explicit list (a rule module is added here, never
 * registered by importing it for its side effect). The rules that need the charts' sizing live
 * in charts/rules/; apps/load.ts runs both lists, so synth, cost, diff and diagram refuse the
 * same configs.
 */
import { PROVIDER_RULES } from './provider-rules.js';
import { BASE_RULES, type Rule } from './rules.js';

export const CONFIG_RULES: readonly Rule[] = [...BASE_RULES, ...PROVIDER_RULES];
