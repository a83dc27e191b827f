/**
 * The web pod's rendered nginx.conf, php-fpm.conf and php.ini, run by Debian's nginx and php-fpm
 * as `nobody` with nothing changed but RenderOptions (path prefix, loopback, test ports).
 * Started by tests/suites/80-web-servers.sh (which installs the packages first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepMerge, type EnvironmentConfig } from '../../../apps/config/index.js';
import { loadEnvironments } from '../../../apps/load.js';
import {
  FORWARDING_HEADER_PARAMS, maxExecutionTimeSeconds, MAX_BODY_MIB, phpFpmMaxChildren, phpMemoryLimitMiB, TRUSTED_PROXY_CIDRS, WEB_STATUS_PATHS,
} from '../../../charts/web/configs.js';
import {
  configTest, http, phpFpmBinary, RENDERED_PORTS, startNginx, startPhpFpm, waitFor, writeRenderedSetup,
  type ServerProcess, type ServerSetup,
} from './servers.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;
const APP = RENDERED_PORTS.http;
const STATUS = RENDERED_PORTS.nginxStatus;

/** A running pair of servers on a fresh rendered setup. */
async function startRendered(
  edit?: Parameters<typeof writeRenderedSetup>[2],
  extra?: Parameters<typeof writeRenderedSetup>[3],
  config: EnvironmentConfig = production,
) {
  const setup = writeRenderedSetup(config, mkdtempSync(join(tmpdir(), 'web-servers-')), edit, extra);
  const fpm = startPhpFpm(setup);
  const nginx = startNginx(setup);
  try {
    await waitFor(STATUS, WEB_STATUS_PATHS.readyz);
    await waitFor(APP, '/');
  } catch (error) {
    throw new Error(`${String(error)}\n--- php-fpm log\n${fpm.log()}\n--- nginx log\n${nginx.log()}`);
  }
  return { setup, fpm, nginx };
}

async function stopAll(setup: ServerSetup | undefined, ...processes: Array<ServerProcess | undefined>) {
  for (const p of processes) await p?.stop('SIGKILL');
  if (setup) rmSync(setup.dir, { recursive: true, force: true });
}

function json(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON: ${body.slice(0, 300)}`);
  }
}

describe('the rendered files of every environment', () => {
  it.each(environments.map((e) => [e.name, e.config] as const))('%s: pass nginx -t and php-fpm -t as a non-root user', (_name, config) => {
    const setup = writeRenderedSetup(config, mkdtempSync(join(tmpdir(), 'web-servers-t-')));
    try {
      expect(configTest(setup, '/usr/sbin/nginx', setup.nginxArgs).output).toContain('test is successful');
      expect(configTest(setup, phpFpmBinary(), setup.phpFpmArgs, setup.phpFpmEnv).output).toContain('test is successful');
    } finally {
      rmSync(setup.dir, { recursive: true, force: true });
    }
  });
});

describe('the rendered files on real servers', () => {
  let setup: ServerSetup;
  let fpm: ServerProcess;
  let nginx: ServerProcess;
  beforeAll(async () => ({ setup, fpm, nginx } = await startRendered()));
  afterAll(() => stopAll(setup, nginx, fpm));

  it('serve a route through the front controller with the rendered php.ini in effect', async () => {
    const res = await http(APP, '/listings/42?sort=price');
    expect(res.status).toBe(200);
    const page = json(res.body);
    expect(page).toMatchObject({
      app: 'web-servers-test',
      uri: '/listings/42?sort=price',
      script_filename: `${setup.dir}/var/www/html/public/index.php`,
      opcache_enabled: true,
      env_from_pod: 'from-the-pod',
      ini: {
        memory_limit: `${phpMemoryLimitMiB(production)}M`,
        max_execution_time: String(maxExecutionTimeSeconds(production)),
        post_max_size: `${MAX_BODY_MIB}M`,
        upload_max_filesize: `${MAX_BODY_MIB}M`,
        expose_php: '',
        'opcache.validate_timestamps': '0',
        'opcache.memory_consumption': String(production.web.phpFpm.opcacheMemoryMiB),
      },
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBe('nginx');
  });

  it('log every request to stdout as JSON with request and upstream times', async () => {
    await http(APP, '/json-log-probe');
    await new Promise((r) => setTimeout(r, 200));
    const entries = nginx.log().split('\n').filter((l) => l.startsWith('{')).map((l) => json(l));
    const entry = entries.find((e) => e.uri === '/json-log-probe');
    expect(entry).toMatchObject({ status: 200, method: 'GET', upstream_status: '200' });
    expect(typeof entry!.request_time).toBe('number');
    expect(entry!.upstream_response_time).toMatch(/^\d+\.\d{3}$/);
  });

  it('answer liveness, readiness, stub_status and the php-fpm status on the status listener', async () => {
    expect(await http(STATUS, WEB_STATUS_PATHS.healthz)).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await http(STATUS, WEB_STATUS_PATHS.readyz)).toMatchObject({ status: 200, body: 'pong' });
    const stub = await http(STATUS, WEB_STATUS_PATHS.stubStatus);
    expect(stub.status).toBe(200);
    expect(stub.body).toMatch(/^Active connections: \d+/);
    const status = await http(STATUS, WEB_STATUS_PATHS.fpmStatus);
    expect(status.status).toBe(200);
    expect(status.body).toMatch(/^process manager:\s+static$/m);
    expect(status.body).toMatch(new RegExp(`^total processes:\\s+${phpFpmMaxChildren(production)}$`, 'm'));
    expect((await http(STATUS, '/anything-else')).status).toBe(404);
  });

  it('do not answer probes or status pages on the app listener (Laravel gets those paths)', async () => {
    for (const path of [...Object.values(WEB_STATUS_PATHS), '/status', '/ping']) {
      const res = await http(APP, path);
      expect(res.status, path).toBe(200);
      expect(json(res.body), path).toMatchObject({ app: 'web-servers-test', uri: path });
    }
  });

  it('ignore X-Forwarded-For from a client outside the pod network', async () => {
    const res = await http(APP, '/', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(json(res.body).remote_addr).toBe('127.0.0.1');
  });

  it('keep readiness answering while every php-fpm worker is busy (status pool)', async () => {
    const children = phpFpmMaxChildren(production);
    const slow = Array.from({ length: children + 2 }, () => http(APP, '/slow?seconds=2', { timeoutMs: 15_000 }));
    await new Promise((r) => setTimeout(r, 500));
    const status = await http(STATUS, WEB_STATUS_PATHS.fpmStatus);
    expect(status.body).toMatch(new RegExp(`^active processes:\\s+${children}$`, 'm'));
    const ready = await http(STATUS, WEB_STATUS_PATHS.readyz, { timeoutMs: 1000 });
    expect(ready).toMatchObject({ status: 200, body: 'pong' });
    expect(ready.ms).toBeLessThan(500);
    const done = await Promise.all(slow);
    expect(done.map((r) => r.status)).toEqual(done.map(() => 200));
  });

  it('gzip text, cache hashed build assets and hide dotfiles and other PHP files', async () => {
    const big = await http(APP, '/big', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(big.headers['content-encoding']).toBe('gzip');
    const asset = await http(APP, '/build/app-3f2a1c.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await http(APP, '/.env')).status).toBe(403);
    const secret = await http(APP, '/secret.php');
    expect(secret.status).toBe(404);
    expect(secret.body).not.toContain('secret.php ran');
    expect(secret.body).not.toContain('<?php');
  });

  it('accept a body up to client_max_body_size and refuse a larger one', async () => {
    const ok = await http(APP, '/upload', { method: 'POST', body: Buffer.alloc(MAX_BODY_MIB * 1024 * 1024 - 4096) });
    expect(ok.status).toBe(200);
    expect(json(ok.body).bytes).toBe(MAX_BODY_MIB * 1024 * 1024 - 4096);
    const tooBig = await http(APP, '/upload', { method: 'POST', body: Buffer.alloc(MAX_BODY_MIB * 1024 * 1024 + 1) });
    expect(tooBig.status).toBe(413);
  });
});

describe('client address behind the Gateway (real_ip)', () => {
  // The test client is 127.0.0.1, outside the pod network: to see the trusted path work, this
  // run also trusts loopback (RenderOptions.trustedProxyCidrs), as if it were a Gateway pod.
  let setup: ServerSetup;
  let fpm: ServerProcess;
  let nginx: ServerProcess;
  beforeAll(async () => ({ setup, fpm, nginx } = await startRendered(undefined, {
    trustedProxyCidrs: ['127.0.0.0/8', ...TRUSTED_PROXY_CIDRS],
  })));
  afterAll(() => stopAll(setup, nginx, fpm));

  const remoteAddr = async (xff: string) => json((await http(APP, '/', { headers: { 'X-Forwarded-For': xff } })).body).remote_addr;

  it('takes the client from X-Forwarded-For sent by a trusted proxy', async () => {
    expect(await remoteAddr('198.51.100.7')).toBe('198.51.100.7');
  });

  it('skips trusted hops (real_ip_recursive) but not a client-supplied entry before an untrusted one', async () => {
    expect(await remoteAddr('198.51.100.7, 10.2.3.4')).toBe('198.51.100.7');
    expect(await remoteAddr('192.0.2.66, 198.51.100.7')).toBe('198.51.100.7');
  });
});

describe('forwarded client, scheme and host: nginx decides, PHP sees only the decision', () => {
  // Only 127.0.0.9 stands for a Gateway proxy here (RenderOptions.trustedProxyCidrs); the test
  // client on 127.0.0.1 is any other peer, like a pod or a client that reached nginx directly.
  const PROXY = '127.0.0.9';
  let setup: ServerSetup;
  let fpm: ServerProcess;
  let nginx: ServerProcess;
  beforeAll(async () => ({ setup, fpm, nginx } = await startRendered(undefined, { trustedProxyCidrs: [`${PROXY}/32`] })));
  afterAll(() => stopAll(setup, nginx, fpm));

  const spoof = {
    Host: 'app.example.com',
    'X-Forwarded-For': '203.0.113.7',
    'X-Forwarded-Host': 'evil.example.net',
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Port': '8443',
    'X-Forwarded-Prefix': '/evil',
    'X-Real-IP': '203.0.113.8',
    Forwarded: 'for=203.0.113.9;host=evil.example.net;proto=https',
  };
  const seen = async (localAddress: string, headers: Record<string, string>) => json((await http(APP, '/', { headers, localAddress })).body);
  const rawHeadersAbsent = Object.fromEntries(FORWARDING_HEADER_PARAMS.map((p) => [p, null]));

  it('an untrusted peer cannot choose the IP, host or scheme PHP sees, and its raw headers never reach PHP', async () => {
    const page = await seen('127.0.0.1', spoof);
    expect(page.remote_addr).toBe('127.0.0.1');
    expect(page.request).toEqual({ HTTP_HOST: 'app.example.com', HTTPS: null, REQUEST_SCHEME: 'http', ...rawHeadersAbsent });
  });

  it('a trusted proxy sets them: client from X-Forwarded-For, scheme and host from X-Forwarded-Proto / -Host', async () => {
    const page = await seen(PROXY, { ...spoof, 'X-Forwarded-For': '198.51.100.7', 'X-Forwarded-Host': 'app.example.com' });
    expect(page.remote_addr).toBe('198.51.100.7');
    expect(page.request).toEqual({ HTTP_HOST: 'app.example.com', HTTPS: 'on', REQUEST_SCHEME: 'https', ...rawHeadersAbsent });
  });

  it('a trusted proxy without forwarding headers gets the connection as it is', async () => {
    const page = await seen(PROXY, { Host: 'app.example.com' });
    expect(page.remote_addr).toBe(PROXY);
    expect(page.request).toMatchObject({ HTTP_HOST: 'app.example.com', HTTPS: null, REQUEST_SCHEME: 'http' });
  });
});

describe('graceful stop of php-fpm (SIGQUIT) during a slow request', () => {
  /** Starts the servers, runs a 3 s request, sends php-fpm SIGQUIT after 0.5 s. */
  async function slowRequestDuringStop(edit?: Parameters<typeof writeRenderedSetup>[2]) {
    const { setup, fpm, nginx } = await startRendered(edit);
    try {
      const request = http(APP, '/slow?seconds=3', { timeoutMs: 20_000 }).catch((error: Error) => error);
      await new Promise((r) => setTimeout(r, 500));
      fpm.signal('SIGQUIT');
      const response = await request;
      const exitCode = await fpm.exited;
      return { response, exitCode };
    } finally {
      await stopAll(setup, nginx, fpm);
    }
  }

  it('lets the in-flight request finish with the rendered process_control_timeout', async () => {
    const { response, exitCode } = await slowRequestDuringStop();
    expect(response).toMatchObject({ status: 200, body: 'slow request finished after 3s\n' });
    expect((response as { ms: number }).ms).toBeGreaterThanOrEqual(2900);
    expect(exitCode).toBe(0);
  });

  it('lets nginx finish an in-flight request on its own graceful stop (preStop SIGQUIT)', async () => {
    const { setup, fpm, nginx } = await startRendered();
    try {
      const request = http(APP, '/slow?seconds=3', { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 500));
      nginx.signal('SIGQUIT');
      await new Promise((r) => setTimeout(r, 300));
      // No new connections once quitting ...
      await expect(http(APP, '/', { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
      // ... but the open request completes, then nginx exits cleanly.
      expect(await request).toMatchObject({ status: 200, body: 'slow request finished after 3s\n' });
      expect(await nginx.exited).toBe(0);
    } finally {
      await stopAll(setup, nginx, fpm);
    }
  });

  it('cuts the request when process_control_timeout is 0 (php-fpm default): the check can fail', async () => {
    const { response } = await slowRequestDuringStop((file, text) => {
      if (file !== 'php-fpm.conf') return text;
      const broken = text.replace(/^process_control_timeout = \d+s$/m, 'process_control_timeout = 0');
      expect(broken).not.toBe(text);
      return broken;
    });
    // nginx answers 502: the child was killed mid-request, long before its 3 s were up.
    expect(response).toMatchObject({ status: 502 });
    expect((response as { ms: number }).ms).toBeLessThan(2500);
  });
});

describe('request_terminate_timeout', () => {
  // The environment's own timeout is 60 s; the schema's minimum, 5 s, keeps the test short. The
  // files come from the config, so this is the same renderer with a different config value.
  const shortTimeout = deepMerge<EnvironmentConfig>(structuredClone(production), {
    web: { phpFpm: { requestTerminateTimeoutSeconds: 5 } },
  });

  it('makes php-fpm give up before nginx: the client gets 502 after about 5 s, not a 504', async () => {
    const { setup, fpm, nginx } = await startRendered(undefined, undefined, shortTimeout);
    try {
      const res = await http(APP, '/slow?seconds=20', { timeoutMs: 30_000 });
      expect(res.status).toBe(502);
      expect(res.ms).toBeGreaterThanOrEqual(4500);
      expect(res.ms).toBeLessThan(9000);
      // php-fpm checks on a heartbeat, so the kill comes up to about 2 s after the limit.
      expect(fpm.log()).toMatch(/execution timed out \([5-7]\.\d+ sec\), terminating/);
      // The pool replaced the killed child and serves again.
      expect((await http(APP, '/')).status).toBe(200);
    } finally {
      await stopAll(setup, nginx, fpm);
    }
  });
});
