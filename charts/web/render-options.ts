/**
 * Ports, paths and options shared by the web pod's rendered server files, the web chart and the
 * real-server test. The pod renders with the defaults; the test changes only these options
 * (a path prefix pointing at a temp dir, loopback listeners, free ports), never the file text.
 */

/** Container ports the web pod uses; shared by the chart, the probes and the test. */
export const WEB_PORTS = {
  /** nginx: application traffic from the Gateway. */
  http: 8080,
  /** nginx: probes, stub_status and the php-fpm status page; never routed by a Service. */
  nginxStatus: 8081,
  /** php-fpm FastCGI listener for application requests, localhost only. */
  fastcgi: 9000,
  /**
   * php-fpm status/ping listener (pm.status_listen), localhost only: a separate hidden pool, so
   * probes and metrics still answer when every worker of the main pool is busy.
   */
  fpmStatus: 9001,
  /** php-fpm exporter metrics. */
  fpmExporter: 9253,
  /** nginx exporter metrics. */
  nginxExporter: 9113,
} as const;

/** The listener ports a renderer writes into the files (the test moves them to free ports). */
export type ListenPorts = { readonly [K in 'http' | 'nginxStatus' | 'fastcgi' | 'fpmStatus']: number };

/** Paths on the status listener (WEB_PORTS.nginxStatus). */
export const WEB_STATUS_PATHS = {
  /** nginx is alive (liveness). */
  healthz: '/healthz',
  /** php-fpm answers its ping (readiness): proxied to the fpm status pool. */
  readyz: '/readyz',
  /** nginx stub_status, scraped by the nginx exporter sidecar. */
  stubStatus: '/stub_status',
  /** php-fpm's status page over HTTP (humans, port-forward); the exporter speaks FastCGI. */
  fpmStatus: '/fpm-status',
} as const;

/** php-fpm's own status and ping paths inside the FastCGI protocol (pm.status_path, ping.path). */
export const PHP_FPM_PATHS = { status: '/status', ping: '/ping', pingResponse: 'pong' } as const;

/** Directories inside the images the files refer to (before the test's prefix). */
export const WEB_PATHS = {
  /** Laravel's public/ directory: nginx's root and the php-fpm SCRIPT_FILENAME base. */
  documentRoot: '/var/www/html/public',
  /** nginx's MIME table, shipped by both the official and Debian's nginx. */
  mimeTypes: '/etc/nginx/mime.types',
  /** Writable scratch space (an emptyDir in the pod): nginx pid and temp files. */
  scratch: '/tmp',
} as const;

/**
 * Addresses whose X-Forwarded-For nginx believes: the LKE pod network, where the Gateway's proxy
 * pods run. The NodeBalancer's proxy protocol ends at the Gateway, which forwards the client
 * address in X-Forwarded-For; nothing outside the pod network can reach nginx directly.
 */
export const TRUSTED_PROXY_CIDRS = ['10.2.0.0/16'] as const;

/**
 * Where the pod mounts the rendered files and how the servers find them (the web chart's mounts
 * and arguments); the real-server test uses the same paths under its prefix.
 */
export const WEB_CONFIG_MOUNTS = {
  /** nginx -c <this> -g 'daemon off;' */
  nginxConf: '/etc/nginx/custom/nginx.conf',
  /** php-fpm --nodaemonize --fpm-config <this> (replaces the image's php-fpm.conf and pool files) */
  phpFpmConf: '/usr/local/etc/php-fpm.d/custom/php-fpm.conf',
  /** appended to PHP's scan dirs: PHP_INI_SCAN_DIR=":<this>" */
  phpIniDir: '/usr/local/etc/php/custom',
  /** the php.ini overrides, last in the scan order */
  phpIni: '/usr/local/etc/php/custom/zz-platform.ini',
} as const;

/** Options that differ between the pod and the local real-server test. */
export interface RenderOptions {
  /**
   * Prefix for every absolute path in the files (the test points it at a temp dir).
   * @default '' (the paths as they are in the images)
   */
  readonly prefix?: string;
  /**
   * Address nginx binds its two listeners to.
   * @default '' (every address of the pod; the test uses '127.0.0.1')
   */
  readonly listenAddress?: string;
  /**
   * Listener ports, for running next to other servers on one machine.
   * @default WEB_PORTS
   */
  readonly ports?: Partial<ListenPorts>;
  /**
   * Proxies whose X-Forwarded-For is believed (the test adds loopback to see it work).
   * @default TRUSTED_PROXY_CIDRS
   */
  readonly trustedProxyCidrs?: readonly string[];
}

/** RenderOptions with defaults applied and checked. */
export interface ResolvedRenderOptions {
  readonly prefix: string;
  readonly listenAddress: string;
  readonly ports: ListenPorts;
  readonly trustedProxyCidrs: readonly string[];
}

export function resolveRenderOptions(options: RenderOptions = {}): ResolvedRenderOptions {
  const prefix = options.prefix ?? '';
  if (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/') || /\s/.test(prefix))) {
    throw new Error(
      `RenderOptions.prefix: "${prefix}" must be an absolute path without a trailing slash or spaces`,
    );
  }
  const listenAddress = options.listenAddress ?? '';
  if (listenAddress !== '' && !/^[0-9.]+$|^\[[0-9a-fA-F:]+\]$/.test(listenAddress)) {
    throw new Error(`RenderOptions.listenAddress: "${listenAddress}" must be an IPv4 address or [IPv6]`);
  }
  const ports: ListenPorts = {
    http: options.ports?.http ?? WEB_PORTS.http,
    nginxStatus: options.ports?.nginxStatus ?? WEB_PORTS.nginxStatus,
    fastcgi: options.ports?.fastcgi ?? WEB_PORTS.fastcgi,
    fpmStatus: options.ports?.fpmStatus ?? WEB_PORTS.fpmStatus,
  };
  for (const [name, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`RenderOptions.ports.${name}: ${port} is not a TCP port (1-65535)`);
    }
  }
  if (new Set(Object.values(ports)).size !== Object.keys(ports).length) {
    throw new Error(`RenderOptions.ports: every listener needs its own port, got ${JSON.stringify(ports)}`);
  }
  const trustedProxyCidrs = options.trustedProxyCidrs ?? TRUSTED_PROXY_CIDRS;
  for (const cidr of trustedProxyCidrs) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
      throw new Error(`RenderOptions.trustedProxyCidrs: "${cidr}" is not an IPv4 CIDR (a.b.c.d/n)`);
    }
  }
  return { prefix, listenAddress, ports, trustedProxyCidrs };
}

/** `listen` argument for nginx: "8080" in the pod, "127.0.0.1:18080" in the test. */
export function nginxListen(options: ResolvedRenderOptions, port: number): string {
  return options.listenAddress === '' ? String(port) : `${options.listenAddress}:${port}`;
}
