import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { ENVIRONMENTS_DIR, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { problemsWith as validate, type ConfigChange } from './support/config-problems.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;

/** Validates production with a patch applied; returns the error message ('' when valid). */
const problemsWith = (change: ConfigChange): string => validate(production, 'production', change);

describe('the committed environments', () => {
  it('are one per apps/environments/<name>.ts (base.ts aside), production among them, and are valid', () => {
    const files = readdirSync(ENVIRONMENTS_DIR).filter((f) => f.endsWith('.ts') && f !== 'base.ts').map((f) => f.replace(/\.ts$/, '')).sort();
    expect(environments.map((e) => e.name)).toEqual(files);
    expect(files).toContain('production');
    for (const env of environments) expect(problemsWith(() => env.config)).toBe('');
  });
});

describe('bad input names the environment, the field and the reason', () => {
  const cases: Array<[string, Parameters<typeof problemsWith>[0], string]> = [
    ['minReplicas above maxReplicas', { web: { replicas: { min: 30, max: 20 } } }, 'web.replicas.min: min (30) is above max (20)'],
    ['a memory limit below its request',
      { web: { nginx: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '128Mi' } } } } },
      'web.nginx.resources.limits.memory: limit 128Mi is below the request 256Mi'],
    ['a CPU limit below its request',
      { soketi: { resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } } } },
      'soketi.resources.limits.cpu: limit 500m is below the request 1'],
    ['an unknown key', (c: EnvironmentConfig) => ({ ...c, web: { ...c.web, replica: 3 } }),
      'web.replica: unknown key'],
    ['an image without tag or digest', { images: { phpFpm: 'ghcr.io/fmtod/marketplace-php' } },
      'images.phpFpm: "ghcr.io/fmtod/marketplace-php" must be pinned by tag or digest'],
    ['an image on latest', { images: { redis: 'redis:latest' } }, 'images.redis: "redis:latest" must be pinned'],
    ['a DB IP outside the VPC subnet', { database: { primary: { name: 'db-primary', privateIp: '10.0.2.10' } } },
      'database.primary.privateIp: 10.0.2.10 is outside network.databaseSubnet 10.0.1.0/24'],
    ['a DB IP on the subnet gateway', { database: { replicas: [{ name: 'db-replica-1', privateIp: '10.0.1.1' }] } },
      'database.replicas[0].privateIp: 10.0.1.1 is the subnet\'s network, gateway or broadcast address'],
    ['a subnet overlapping LKE pods', { network: { clusterSubnet: '10.2.5.0/24' } },
      'network.clusterSubnet: 10.2.5.0/24 overlaps LKE\'s fixed range 10.2.0.0/16'],
    ['admin access from anywhere', { network: { adminCidrs: ['0.0.0.0/0'] } },
      'network.adminCidrs[0]: admin access from 0.0.0.0/0 is not allowed'],
    ['a job timeout not below retry_after',
      (c: EnvironmentConfig) => ({ ...c, workers: c.workers.map((w, i) => (i === 0 ? { ...w, timeoutSeconds: 90 } : w)) }),
      'workers[0].timeoutSeconds: --timeout (90s) must be below retry_after (90s, REDIS_QUEUE_RETRY_AFTER of the group)'],
    ['an unknown Linode plan', { database: { plan: 'g9-mega-1' } }, 'database.plan: unknown Linode plan "g9-mega-1"'],
    ['a missing required field', (c: EnvironmentConfig) => { const { soketi: _dropped, ...rest } = c; return rest; },
      'soketi: is required'],
    ['a wrong type', { web: { targetCpuPercent: 'high' as unknown as number } }, 'web.targetCpuPercent: "high" must be integer'],
    ['the same queue in two groups',
      (c: EnvironmentConfig) => ({ ...c, workers: c.workers.map((w, i) => (i === 1 ? { ...w, queues: ['high'] } : w)) }),
      'workers[1].queues: queue "high" is already served by group "high"'],
    ['an Envoy upstream idle timeout not below nginx keepalive_timeout',
      { edge: { upstreamIdleTimeoutSeconds: 300 }, web: { nginx: { keepaliveTimeoutSeconds: 300 } } },
      'edge.upstreamIdleTimeoutSeconds: 300s must be below web.nginx.keepaliveTimeoutSeconds (300s)'],
    ['a single Envoy proxy', { edge: { gatewayReplicas: 1 } }, 'edge.gatewayReplicas: 1 must be >= 2'],
  ];

  it.each(cases)('%s', (_title, patch, expected) => {
    const message = problemsWith(patch);
    expect(message).toContain('invalid environment "production" in apps/environments/production.ts');
    expect(message).toContain(expected);
  });

  it('reports every problem at once', () => {
    const message = problemsWith({ web: { replicas: { min: 30, max: 20 } }, images: { redis: 'redis' } });
    expect(message).toContain('images.redis');
    // Schema errors come first; rules only run on a well-shaped config.
    expect(message).not.toContain('web.replicas.min');
    const rules = problemsWith({
      web: { replicas: { min: 30, max: 20 } },
      network: { adminCidrs: ['0.0.0.0/0'] },
    });
    expect(rules).toContain('web.replicas.min');
    expect(rules).toContain('network.adminCidrs[0]');
  });
});
