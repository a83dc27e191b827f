/**
 * The web pod's server configuration files, rendered from the environment config. Pure functions:
 * the web chart puts their output in a ConfigMap and the real-server test
 * (tests/integration/web) runs Debian's nginx and php-fpm with exactly the same text.
 */
export { FORWARDING_HEADER_PARAMS, renderNginxConf, nginxWorkerProcesses } from './nginx-conf.js';
export { renderPhpFpmPool } from './php-fpm-conf.js';
export { renderPhpIni, opcacheInternedStringsMiB } from './php-ini.js';
export { phpFpmMaxChildren, phpMemoryLimitMiB, PHP_FPM_BASELINE_MIB } from './php-fpm-sizing.js';
export * from './render-options.js';
export * from './request-limits.js';
export * from './shutdown-timings.js';
