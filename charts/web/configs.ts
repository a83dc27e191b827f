/**
 * The web pod's server configuration files, rendered from the environment config (stub: the
 * web-servers work fills these in). Pure functions: the web chart puts their output in ConfigMaps
 * and the real-server test runs Debian's nginx and php-fpm with exactly the same text.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';

/** Container ports the web pod uses; shared by the chart, the probes and the test. */
export const WEB_PORTS = {
  /** nginx: application traffic from the Gateway. */
  http: 8080,
  /** nginx: probes and stub_status, pod-network only. */
  nginxStatus: 8081,
  /** php-fpm FastCGI listener, localhost only. */
  fastcgi: 9000,
  /** php-fpm exporter metrics. */
  fpmExporter: 9253,
  /** nginx exporter metrics. */
  nginxExporter: 9113,
} as const;

/** Options that differ between the pod and the local real-server test. */
export interface RenderOptions {
  /** Prefix for every absolute path in the files (the test points it at a temp dir). */
  readonly prefix?: string;
}

export function renderNginxConf(_config: EnvironmentConfig, _options: RenderOptions = {}): string {
  return '# nginx.conf: not rendered yet\n';
}

export function renderPhpFpmPool(_config: EnvironmentConfig, _options: RenderOptions = {}): string {
  return '; www.conf: not rendered yet\n';
}

export function renderPhpIni(_config: EnvironmentConfig, _options: RenderOptions = {}): string {
  return '; php.ini overrides: not rendered yet\n';
}
