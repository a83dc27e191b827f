import { describe, expect, it } from 'vitest';
import { deepMerge, LKE_RESERVED_CIDRS, type DeepPartial, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import {
  fastcgiTimeoutSeconds, maxExecutionTimeSeconds, nginxWorkerProcesses, opcacheInternedStringsMiB, PHP_FPM_BASELINE_MIB,
  phpFpmMaxChildren, phpMemoryLimitMiB, PRE_STOP_DELAY_SECONDS, renderNginxConf, renderPhpFpmPool, renderPhpIni,
  resolveRenderOptions, TRUSTED_PROXY_CIDRS, WEB_PORTS, webShutdownTimings,
} from '../../charts/web/configs.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;

function withFpm(patch: DeepPartial<EnvironmentConfig['web']['phpFpm']>): EnvironmentConfig {
  return deepMerge<EnvironmentConfig>(structuredClone(production), { web: { phpFpm: patch } });
}

/** The value of `key = value` lines in an ini-style file. */
function ini(text: string, key: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${key} = `));
  return line?.slice(key.length + 3);
}

describe('phpFpmMaxChildren', () => {
  it('is (memory limit - opcache - baseline) / memory per process, rounded down', () => {
    // production: 1Gi limit, 128 MiB opcache, 64 MiB per child -> (1024 - 128 - 32) / 64 = 13.5
    expect(PHP_FPM_BASELINE_MIB).toBe(32);
    expect(phpFpmMaxChildren(production)).toBe(13);
    expect(phpFpmMaxChildren(withFpm({ resources: { limits: { memory: '2Gi' } } }))).toBe(29);
    expect(phpFpmMaxChildren(withFpm({ memoryPerProcessMiB: 100 }))).toBe(8);
    expect(phpFpmMaxChildren(withFpm({ opcacheMemoryMiB: 256 }))).toBe(11);
  });

  it('never lets children plus opcache plus baseline exceed the limit', () => {
    for (const memory of ['256Mi', '512Mi', '768Mi', '1Gi', '1536Mi', '3Gi']) {
      const config = withFpm({ resources: { limits: { memory } } });
      const fpm = config.web.phpFpm;
      const used = phpFpmMaxChildren(config) * fpm.memoryPerProcessMiB + fpm.opcacheMemoryMiB + PHP_FPM_BASELINE_MIB;
      expect(used, memory).toBeLessThanOrEqual(Number.parseInt(memory, 10) * (memory.endsWith('Gi') ? 1024 : 1));
    }
  });

  it('names the environment and the fields when the limit fits no child', () => {
    expect(() => phpFpmMaxChildren(withFpm({ resources: { limits: { memory: '192Mi' } } }))).toThrow(
      'environment "production": web.phpFpm.resources.limits.memory 192Mi (192 MiB) leaves 32 MiB after ' +
        'opcacheMemoryMiB 128 and the 32 MiB php-fpm baseline: not enough for one child of memoryPerProcessMiB 64',
    );
  });
});

describe('php-fpm.conf', () => {
  const conf = renderPhpFpmPool(production);

  it('runs one static pool on loopback with the sized children and the config limits', () => {
    expect(ini(conf, 'listen')).toBe(`127.0.0.1:${WEB_PORTS.fastcgi}`);
    expect(ini(conf, 'pm.status_listen')).toBe(`127.0.0.1:${WEB_PORTS.fpmStatus}`);
    expect(ini(conf, 'pm')).toBe('static');
    expect(ini(conf, 'pm.max_children')).toBe('13');
    expect(ini(conf, 'pm.max_requests')).toBe(String(production.web.phpFpm.maxRequests));
    expect(ini(conf, 'request_terminate_timeout')).toBe(`${production.web.phpFpm.requestTerminateTimeoutSeconds}s`);
    expect(ini(conf, 'clear_env')).toBe('no');
    expect(ini(conf, 'daemonize')).toBe('no');
    expect(conf).not.toMatch(/^(user|group|pid|access\.log) =/m);
  });

  it('gives in-flight requests longer than request_terminate_timeout on a graceful stop', () => {
    const pct = Number.parseInt(ini(conf, 'process_control_timeout')!, 10);
    expect(pct).toBeGreaterThan(production.web.phpFpm.requestTerminateTimeoutSeconds);
    expect(pct).toBe(webShutdownTimings(production).processControlTimeoutSeconds);
  });

  it('is deterministic and follows the options', () => {
    expect(renderPhpFpmPool(production)).toBe(conf);
    const test = renderPhpFpmPool(production, { ports: { fastcgi: 19000, fpmStatus: 19001 } });
    expect(ini(test, 'listen')).toBe('127.0.0.1:19000');
    // Only the listeners differ between the pod and the test.
    expect(test.replace(/19000/g, '9000').replace(/19001/g, '9001')).toBe(conf);
  });
});

describe('php.ini', () => {
  const text = renderPhpIni(production);

  it('sizes opcache from the config and never revalidates files in immutable images', () => {
    expect(ini(text, 'opcache.memory_consumption')).toBe('128');
    expect(ini(text, 'opcache.interned_strings_buffer')).toBe(String(opcacheInternedStringsMiB(production)));
    expect(opcacheInternedStringsMiB(production)).toBe(16);
    expect(ini(text, 'opcache.validate_timestamps')).toBe('0');
    expect(ini(text, 'expose_php')).toBe('Off');
  });

  it('keeps PHP limits consistent with php-fpm and nginx', () => {
    expect(ini(text, 'memory_limit')).toBe(`${phpMemoryLimitMiB(production)}M`);
    expect(phpMemoryLimitMiB(production)).toBe(128);
    const maxExecution = Number(ini(text, 'max_execution_time'));
    expect(maxExecution).toBe(maxExecutionTimeSeconds(production));
    expect(maxExecution).toBeLessThan(production.web.phpFpm.requestTerminateTimeoutSeconds);
    const bodyLimit = /client_max_body_size (\d+)m;/.exec(renderNginxConf(production))![1];
    expect(ini(text, 'post_max_size')).toBe(`${bodyLimit}M`);
    expect(ini(text, 'upload_max_filesize')).toBe(`${bodyLimit}M`);
    expect(text).not.toMatch(/^session\./m);
  });
});

describe('nginx.conf', () => {
  const conf = renderNginxConf(production);

  it('serves Laravel on the app port through the front controller', () => {
    expect(conf).toContain(`listen ${WEB_PORTS.http} default_server;`);
    expect(conf).toContain('root /var/www/html/public;');
    expect(conf).toContain('try_files $uri $uri/ /index.php?$query_string;');
    expect(conf).toContain(`fastcgi_pass 127.0.0.1:${WEB_PORTS.fastcgi};`);
    expect(conf).toContain(`fastcgi_read_timeout ${fastcgiTimeoutSeconds(production)}s;`);
    expect(fastcgiTimeoutSeconds(production)).toBeGreaterThan(production.web.phpFpm.requestTerminateTimeoutSeconds);
  });

  it('trusts X-Forwarded-For from the LKE pod network only', () => {
    expect(TRUSTED_PROXY_CIDRS).toEqual(['10.2.0.0/16']);
    expect(LKE_RESERVED_CIDRS).toContain(TRUSTED_PROXY_CIDRS[0]);
    expect(conf.match(/set_real_ip_from .*;/g)).toEqual(['set_real_ip_from 10.2.0.0/16;']);
    expect(conf).toContain('real_ip_header X-Forwarded-For;');
    expect(conf).toContain('real_ip_recursive on;');
  });

  it('keeps probes and status pages on their own listener, metrics for loopback and pods only', () => {
    const [app, status] = conf.split(/^ {2}server \{$/m).slice(1);
    expect(status).toContain(`listen ${WEB_PORTS.nginxStatus};`);
    for (const path of ['/healthz', '/readyz', '/stub_status', '/fpm-status']) {
      expect(status).toContain(`location = ${path} {`);
      expect(app).not.toContain(path);
    }
    expect(status.match(/deny all;/g)).toHaveLength(2);
    expect(status).toContain(`fastcgi_pass 127.0.0.1:${WEB_PORTS.fpmStatus};`);
  });

  it('runs without root: no user directive, pid and temp files in the scratch dir', () => {
    expect(conf).not.toMatch(/^\s*user /m);
    expect(conf).toContain('pid /tmp/nginx.pid;');
    for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) expect(conf).toMatch(new RegExp(`${kind}_temp_path /tmp/`));
    expect(conf).toContain('access_log /dev/stdout json;');
    expect(nginxWorkerProcesses(production)).toBe(1);
  });

  it('moves every absolute path under the prefix and nothing else', () => {
    const prefixed = renderNginxConf(production, { prefix: '/tmp/web-test' });
    expect(prefixed.replaceAll('/tmp/web-test/', '/')).toBe(conf);
    expect(prefixed).toContain('root /tmp/web-test/var/www/html/public;');
  });
});

describe('render options', () => {
  it('reject a relative prefix, a bad address and clashing ports with the field named', () => {
    expect(() => resolveRenderOptions({ prefix: 'tmp/x' })).toThrow('RenderOptions.prefix: "tmp/x" must be an absolute path');
    expect(() => resolveRenderOptions({ prefix: '/tmp/x/' })).toThrow('RenderOptions.prefix');
    expect(() => resolveRenderOptions({ listenAddress: 'localhost' })).toThrow('RenderOptions.listenAddress');
    expect(() => resolveRenderOptions({ ports: { http: 70000 } })).toThrow('RenderOptions.ports.http: 70000');
    expect(() => resolveRenderOptions({ ports: { http: 9000 } })).toThrow('every listener needs its own port');
    expect(() => resolveRenderOptions({ trustedProxyCidrs: ['10.2.0.0'] })).toThrow(
      'RenderOptions.trustedProxyCidrs: "10.2.0.0" is not an IPv4 CIDR',
    );
  });
});

describe('webShutdownTimings', () => {
  it('covers preStop, the php-fpm quit lag, every in-flight request and a margin', () => {
    const t = webShutdownTimings(production);
    expect(t).toMatchObject({
      nginxPreStopSeconds: PRE_STOP_DELAY_SECONDS,
      phpFpmPreStopSeconds: 13,
      processControlTimeoutSeconds: 65,
      terminationGracePeriodSeconds: 83,
    });
    expect(t.phpFpmPreStopSeconds).toBeGreaterThan(t.nginxPreStopSeconds);
    expect(t.terminationGracePeriodSeconds).toBeGreaterThan(
      t.phpFpmPreStopSeconds + production.web.phpFpm.requestTerminateTimeoutSeconds,
    );
    expect(t.terminationGracePeriodSeconds).toBeGreaterThan(t.nginxPreStopSeconds + fastcgiTimeoutSeconds(production));
  });

  it('grows with request_terminate_timeout', () => {
    expect(webShutdownTimings(withFpm({ requestTerminateTimeoutSeconds: 300 })).terminationGracePeriodSeconds).toBe(323);
  });

  it('quits gracefully with SIGQUIT and waits for the main process', () => {
    expect(webShutdownTimings(production).nginxPreStopCommand).toEqual([
      '/bin/sh', '-c', 'sleep 10; kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done',
    ]);
  });
});
