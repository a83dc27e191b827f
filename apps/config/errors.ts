/** One problem found in an environment's config, located precisely enough to fix it. */
export interface ConfigProblem {
  /** Dotted path inside the environment object, e.g. `web.replicas.min`. */
  readonly path: string;
  readonly reason: string;
}

/**
 * Thrown when an environment's config is invalid. The message names the file, the environment,
 * each field path and the reason; the CLI prints it without a stack trace.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly environment: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `invalid environment "${environment}" in ${file}:\n` +
        problems.map((p) => `  - ${p.path || '(root)'}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
