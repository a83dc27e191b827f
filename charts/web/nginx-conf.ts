/**
 * nginx.conf for the web pod: a complete main configuration (no includes but the MIME table), so
 * the file in the ConfigMap is all there is to review, and the real-server test runs exactly it.
 *
 * Two listeners: the app server (WEB_PORTS.http) only serves Laravel; probes and metrics live on
 * a separate server (WEB_PORTS.nginxStatus) that no Service or route exposes.
 */
import { cpuMillis, type EnvironmentConfig } from '../../apps/config/index.js';
import {
  nginxListen, PHP_FPM_PATHS, resolveRenderOptions, TRUSTED_PROXY_CIDRS, WEB_PATHS, WEB_STATUS_PATHS,
  type RenderOptions, type ResolvedRenderOptions,
} from './render-options.js';
import { fastcgiTimeoutSeconds, MAX_BODY_MIB } from './request-limits.js';

/** Who may read the metrics pages: the exporter sidecars (loopback) and the pod network. */
const METRICS_CLIENTS = ['127.0.0.1', ...TRUSTED_PROXY_CIDRS];

/** Client-controlled forwarding headers, as FastCGI params, that PHP must never see. */
export const FORWARDING_HEADER_PARAMS = [
  'HTTP_X_FORWARDED_FOR', 'HTTP_X_FORWARDED_HOST', 'HTTP_X_FORWARDED_PROTO', 'HTTP_X_FORWARDED_PORT',
  'HTTP_X_FORWARDED_PREFIX', 'HTTP_X_REAL_IP', 'HTTP_FORWARDED',
] as const;

/**
 * nginx is the one place that decides who the client is and how it connected: $remote_addr from
 * X-Forwarded-For (real_ip, trusted proxies only), and these maps for scheme and host, which take
 * X-Forwarded-Proto / X-Forwarded-Host only when the connecting peer ($realip_remote_addr, the
 * address before real_ip) is a trusted proxy.
 */
function forwardedRequestMaps(o: ResolvedRenderOptions): string[] {
  return [
    ...block('geo $realip_remote_addr $from_trusted_proxy', ['default 0;', ...o.trustedProxyCidrs.map((cidr) => `${cidr} 1;`)]),
    ...block('map "$from_trusted_proxy:$http_x_forwarded_proto" $forwarded_scheme', [
      'default $scheme;',
      '~^1:(?<trusted_proto>https?)$ $trusted_proto;',
    ]),
    ...block('map $forwarded_scheme $forwarded_https', ['default "";', 'https on;']),
    ...block('map "$from_trusted_proxy:$http_x_forwarded_host" $forwarded_host', [
      'default $http_host;',
      // One host[:port], nothing else (a list or junk falls back to the Host header).
      '~^1:(?<trusted_host>[A-Za-z0-9.-]+(:[0-9]+)?)$ $trusted_host;',
    ]),
  ];
}

/** One worker per requested CPU (at least one): `auto` would start one per node core. */
export function nginxWorkerProcesses(config: EnvironmentConfig): number {
  return Math.max(1, Math.ceil(cpuMillis(config.web.nginx.resources.requests.cpu) / 1000));
}

/** The standard FastCGI parameters (Debian's fastcgi_params) plus the front controller's. */
function fastcgiParams(scriptFilename: string): string[] {
  const params: Array<[string, string]> = [
    ['QUERY_STRING', '$query_string'],
    ['REQUEST_METHOD', '$request_method'],
    ['CONTENT_TYPE', '$content_type'],
    ['CONTENT_LENGTH', '$content_length'],
    ['SCRIPT_NAME', '$fastcgi_script_name'],
    ['SCRIPT_FILENAME', scriptFilename],
    ['PATH_INFO', '$fastcgi_path_info'],
    ['REQUEST_URI', '$request_uri'],
    ['DOCUMENT_URI', '$document_uri'],
    ['DOCUMENT_ROOT', '$document_root'],
    ['SERVER_PROTOCOL', '$server_protocol'],
    // Scheme and host as nginx decided them (forwardedRequestMaps): from a trusted proxy's
    // X-Forwarded-Proto / -Host, else from the connection itself.
    ['REQUEST_SCHEME', '$forwarded_scheme'],
    ['HTTPS', '$forwarded_https if_not_empty'],
    ['HTTP_HOST', '$forwarded_host'],
    ['GATEWAY_INTERFACE', 'CGI/1.1'],
    ['SERVER_SOFTWARE', 'nginx'],
    // The client address real_ip decided (X-Forwarded-For only from a trusted proxy).
    ['REMOTE_ADDR', '$remote_addr'],
    ['REMOTE_PORT', '$remote_port'],
    ['SERVER_ADDR', '$server_addr'],
    ['SERVER_PORT', '$server_port'],
    ['SERVER_NAME', '$server_name'],
    ['REDIRECT_STATUS', '200'],
    // httpoxy: never let a client's "Proxy:" header become HTTP_PROXY in PHP's environment.
    ['HTTP_PROXY', '""'],
    // The raw forwarding headers never reach PHP: nginx has decided client, scheme and host
    // above, and an app that trusted these could be handed any IP or host by any client.
    // Naming an HTTP_* param stops nginx passing that header; if_not_empty drops the param.
    ...FORWARDING_HEADER_PARAMS.map((name): [string, string] => [name, '"" if_not_empty']),
  ];
  return params.map(([name, value]) => `fastcgi_param ${name.padEnd(23)} ${value};`);
}

/** A location body asking php-fpm's status pool for one of its built-in pages. */
function fpmStatusRequest(o: ResolvedRenderOptions, fpmPath: string, queryString: string): string[] {
  return [
    `fastcgi_pass 127.0.0.1:${o.ports.fpmStatus};`,
    `fastcgi_param SCRIPT_NAME     ${fpmPath};`,
    `fastcgi_param SCRIPT_FILENAME ${fpmPath};`,
    `fastcgi_param REQUEST_METHOD  GET;`,
    `fastcgi_param QUERY_STRING    ${queryString};`,
    'fastcgi_connect_timeout 1s;',
    'fastcgi_read_timeout 2s;',
  ];
}

function indent(lines: string[], depth: number): string[] {
  return lines.map((line) => (line === '' ? '' : '  '.repeat(depth) + line));
}

function block(head: string, body: string[]): string[] {
  return [`${head} {`, ...indent(body, 1), '}'];
}

function appServer(config: EnvironmentConfig, o: ResolvedRenderOptions): string[] {
  const root = o.prefix + WEB_PATHS.documentRoot;
  const timeout = fastcgiTimeoutSeconds(config);
  return block('server', [
    `listen ${nginxListen(o, o.ports.http)} default_server;`,
    'server_name _;',
    `root ${root};`,
    'index index.php;',
    'charset utf-8;',
    '',
    '# Laravel front controller: files from public/, everything else through index.php.',
    ...block('location /', ['try_files $uri $uri/ /index.php?$query_string;']),
    ...block('location = /favicon.ico', ['access_log off;', 'log_not_found off;']),
    ...block('location = /robots.txt', ['access_log off;', 'log_not_found off;']),
    '# Vite build output: file names carry a content hash.',
    ...block('location /build/', [
      'add_header Cache-Control "public, max-age=31536000, immutable";',
      'access_log off;',
      'try_files $uri =404;',
    ]),
    '# Dotfiles (.env, .git) never leave the server.',
    ...block('location ~ /\\.(?!well-known)', ['deny all;']),
    ...block('location ~ ^/index\\.php(/|$)', [
      `fastcgi_pass 127.0.0.1:${o.ports.fastcgi};`,
      'fastcgi_split_path_info ^(.+\\.php)(/.*)$;',
      // $document_root, not $realpath_root: the path must exist in the php-fpm container,
      // which has the same /var/www/html layout as the nginx image.
      ...fastcgiParams('$document_root$fastcgi_script_name'),
      'fastcgi_hide_header X-Powered-By;',
      'fastcgi_connect_timeout 5s;',
      `fastcgi_send_timeout ${timeout}s;`,
      `fastcgi_read_timeout ${timeout}s;`,
      // Laravel responses carry large cookie and CSP headers: 32k for the header buffer.
      'fastcgi_buffer_size 32k;',
      'fastcgi_buffers 16 16k;',
      'fastcgi_busy_buffers_size 64k;',
    ]),
    '# Any other PHP file in public/ is neither run nor handed out as source.',
    ...block('location ~ \\.php$', ['return 404;']),
  ]);
}

function statusServer(o: ResolvedRenderOptions): string[] {
  const metricsAccess = [...METRICS_CLIENTS.map((c) => `allow ${c};`), 'deny all;'];
  return block('server', [
    `listen ${nginxListen(o, o.ports.nginxStatus)};`,
    'server_name _;',
    'access_log off;',
    '# Probes answer any source: the kubelet probes from the node address, outside the pod',
    '# network. They reveal nothing; this port is in no Service, route or NetworkPolicy allow.',
    ...block(`location = ${WEB_STATUS_PATHS.healthz}`, ['default_type text/plain;', 'return 200 "ok\\n";']),
    ...block(`location = ${WEB_STATUS_PATHS.readyz}`, fpmStatusRequest(o, PHP_FPM_PATHS.ping, '""')),
    ...block(`location = ${WEB_STATUS_PATHS.stubStatus}`, [...metricsAccess, 'stub_status;']),
    ...block(`location = ${WEB_STATUS_PATHS.fpmStatus}`, [
      ...metricsAccess,
      ...fpmStatusRequest(o, PHP_FPM_PATHS.status, '$query_string'),
    ]),
    ...block('location /', ['return 404;']),
  ]);
}

/** JSON access log: one object a line, times in seconds (upstream time may list several). */
const JSON_LOG_FORMAT = [
  '{"time":"$time_iso8601"',
  '"remote_addr":"$remote_addr"',
  '"x_forwarded_for":"$http_x_forwarded_for"',
  '"request_id":"$request_id"',
  '"method":"$request_method"',
  '"uri":"$request_uri"',
  '"status":$status',
  '"bytes_sent":$body_bytes_sent',
  '"request_time":$request_time',
  '"upstream_response_time":"$upstream_response_time"',
  '"upstream_status":"$upstream_status"',
  '"user_agent":"$http_user_agent"}',
].join(',');

export function renderNginxConf(config: EnvironmentConfig, options: RenderOptions = {}): string {
  const o = resolveRenderOptions(options);
  const scratch = o.prefix + WEB_PATHS.scratch;
  const lines = [
    `# nginx.conf of the web pod, environment "${config.name}".`,
    '# Generated by charts/web/nginx-conf.ts from the environment config: edit that, not this.',
    '# Runs as a non-root user (no `user` directive); pid and temp files go to the writable',
    '# scratch directory. Start with `-g "daemon off;"` (foreground, as a container).',
    `worker_processes ${nginxWorkerProcesses(config)};`,
    `pid ${scratch}/nginx.pid;`,
    'error_log stderr warn;',
    'pcre_jit on;',
    '',
    ...block('events', ['worker_connections 1024;']),
    '',
    ...block('http', [
      `include ${o.prefix}${WEB_PATHS.mimeTypes};`,
      'default_type application/octet-stream;',
      'server_tokens off;',
      'sendfile on;',
      'tcp_nopush on;',
      // Idle keep-alive of the Gateway's connections: longer than the Gateway's own upstream idle
      // timeout (the BackendTrafficPolicy; rule edgeClosesIdleConnectionsFirst), so Envoy closes first.
      `keepalive_timeout ${config.web.nginx.keepaliveTimeoutSeconds}s;`,
      'keepalive_requests 1000;',
      `client_max_body_size ${MAX_BODY_MIB}m;`,
      'client_body_buffer_size 128k;',
      `client_body_temp_path ${scratch}/nginx-client-body;`,
      `proxy_temp_path ${scratch}/nginx-proxy;`,
      `fastcgi_temp_path ${scratch}/nginx-fastcgi;`,
      `uwsgi_temp_path ${scratch}/nginx-uwsgi;`,
      `scgi_temp_path ${scratch}/nginx-scgi;`,
      '',
      '# Client address: the Gateway (pods in the LKE pod network) sends X-Forwarded-For; trust it',
      '# from there only, and skip every trusted hop (real_ip_recursive) to reach the client.',
      ...o.trustedProxyCidrs.map((cidr) => `set_real_ip_from ${cidr};`),
      'real_ip_header X-Forwarded-For;',
      'real_ip_recursive on;',
      ...forwardedRequestMaps(o),
      '',
      `log_format json escape=json '${JSON_LOG_FORMAT}';`,
      'access_log /dev/stdout json;',
      '',
      'gzip on;',
      'gzip_comp_level 5;',
      'gzip_min_length 1024;',
      'gzip_proxied any;',
      'gzip_vary on;',
      'gzip_types text/plain text/css text/xml application/json application/javascript application/xml image/svg+xml;',
      '',
      ...appServer(config, o),
      '',
      ...statusServer(o),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
