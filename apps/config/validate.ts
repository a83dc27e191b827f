/**
 * Validation of one environment: the JSON Schema first (shape, types, unknown keys, patterns),
 * then the cross-field rules. Either passes completely or throws one ConfigError listing every
 * problem, so a PR author sees them all at once.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigError, type ConfigProblem } from './errors.js';
import type { Rule } from './rules.js';
import { environmentSchema, type EnvironmentConfig } from './schema.js';

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
// `errorMessage` carries a human explanation for a pattern; it does not validate anything itself.
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
ajv.addFormat('ipv4', /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/);
const checkSchema = ajv.compile(environmentSchema);

function describe(error: ErrorObject): ConfigProblem {
  const path = error.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replaceAll('/', '.');
  const explanation = (error.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: path ? `${path}.${key}` : key, reason: 'unknown key (typo, or a field this schema does not have)' };
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      return { path: path ? `${path}.${key}` : key, reason: 'is required' };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { path, reason: `${JSON.stringify(error.data)} is not one of the allowed values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'pattern':
      return { path, reason: `${JSON.stringify(error.data)} ${explanation ?? error.message}` };
    default:
      return { path, reason: `${JSON.stringify(error.data)} ${error.message}` };
  }
}

/** A rule that throws (a bug, or a shape it did not expect) becomes a problem naming the rule. */
export function runRule(rule: Rule, config: EnvironmentConfig): ConfigProblem[] {
  try {
    return rule(config);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ path: `(rule ${rule.name || 'anonymous'})`, reason: `the check itself failed: ${reason}` }];
  }
}

/** Throws ConfigError unless `value` is a valid environment; returns it typed otherwise. */
export function validateEnvironment(value: unknown, file: string, name: string, rules: readonly Rule[]): EnvironmentConfig {
  if (!checkSchema(value)) {
    throw new ConfigError(file, name, (checkSchema.errors ?? []).map(describe));
  }
  const config = value as EnvironmentConfig;
  const problems = rules.flatMap((rule) => runRule(rule, config));
  if (problems.length > 0) throw new ConfigError(file, name, problems);
  return config;
}
