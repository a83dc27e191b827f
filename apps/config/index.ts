/** Public surface of the environment config: import from here. */
export * from './errors.js';
export * from './linode-plans.js';
export * from './load.js';
export * from './merge.js';
export * from './network.js';
export * from './quantity.js';
export * from './terraform-labels.js';
export { PROVIDER_LABEL_LIMITS } from './provider-rules.js';
export type * from './schema.js';
export { environmentSchema } from './schema.js';
export { validateEnvironment } from './validate.js';
export { CONFIG_RULES } from './rule-list.js';
export type { Rule } from './rules.js';
export * from './database-rules.js';
