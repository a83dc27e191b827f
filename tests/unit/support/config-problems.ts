/** Validates a changed copy of an environment's config the way synth does, for the config tests. */
import { ConfigError, deepMerge, type DeepPartial, type EnvironmentConfig } from '../../../apps/config/index.js';
import { validateEnvironment } from '../../../apps/load.js';

/** A patch merged into the config, or a function that edits the copy (or returns a replacement). */
export type ConfigChange = DeepPartial<EnvironmentConfig> | ((c: EnvironmentConfig) => unknown);

/**
 * Applies `change` to a copy of `config` (loaded from apps/environments/<name>.ts) and validates
 * it; returns the error message, or '' when the result is valid.
 */
export function problemsWith(config: EnvironmentConfig, name: string, change: ConfigChange): string {
  const copy = structuredClone(config);
  const candidate = typeof change === 'function'
    ? ((change(copy) as EnvironmentConfig | undefined) ?? copy)
    : deepMerge<EnvironmentConfig>(copy, change);
  try {
    validateEnvironment(candidate, `apps/environments/${name}.ts`, name);
    return '';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
}
