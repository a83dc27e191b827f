/**
 * Every environment, validated by every rule: the config's own (apps/config/rule-list.ts) and
 * the charts' (charts/rules/). Every entry point (synth, cost, diff, diagram, the tests) loads
 * through here, so they refuse the same configs; apps/config itself imports nothing of the
 * charts, and the charts import only the config.
 */
import {
  CONFIG_RULES, ENVIRONMENTS_DIR, loadEnvironmentFile as loadFileWith, loadEnvironments as loadWith,
  validateEnvironment as validateWith, type EnvironmentConfig, type LoadedEnvironment, type Rule,
} from './config/index.js';
import { CHART_RULES } from '../charts/rules/index.js';

export function allRules(): readonly Rule[] {
  return [...CONFIG_RULES, ...CHART_RULES];
}

export function validateEnvironment(value: unknown, file: string, name: string): EnvironmentConfig {
  return validateWith(value, file, name, allRules());
}

export function loadEnvironmentFile(path: string): Promise<LoadedEnvironment> {
  return loadFileWith(path, allRules());
}

export function loadEnvironments(dir = ENVIRONMENTS_DIR): Promise<LoadedEnvironment[]> {
  return loadWith(dir, allRules());
}
