/**
 * Probes and node disk over every object of every environment, each with a crafted violation:
 * - liveness differs from readiness (liveness: the process; readiness: serving);
 * - ephemeral-storage requests/limits on every container, sizeLimit on every emptyDir;
 * - the disk capacity rule: ephemeral-storage requests at max scale fit the node pools' disks.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments, validateEnvironment } from '../../apps/load.js';
import { MAX_BODY_MIB } from '../../charts/web/request-limits.js';
import { phpFpmMaxChildren } from '../../charts/web/php-fpm-sizing.js';
import { ephemeralCapacityProblems } from '../../apps/synth/ephemeral-capacity.js';
import { renderEnvironment } from '../../apps/synth/render.js';
import type { K8sObject } from '../../policies/manifest.js';
import { distinctLivenessPolicy } from '../../policies/probe-policies.js';
import { ephemeralStoragePolicy } from '../../policies/storage-policies.js';
import { renderedChoices } from './support/rendered-objects.js';

const environments = await renderedChoices();
const loaded = await loadEnvironments();

const pod = (containers: unknown[], volumes: unknown[] = []): K8sObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad', namespace: 'marketplace' },
  spec: { template: { metadata: {}, spec: { containers, volumes } } },
});
const disk = (mi: string) => ({ requests: { 'ephemeral-storage': mi }, limits: { 'ephemeral-storage': mi } });

describe.each(environments)('environment $name', ({ objects }) => {
  it('no container uses its readiness probe as its liveness probe', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet').length).toBeGreaterThan(0);
    expect(distinctLivenessPolicy()(objects)).toEqual([]);
  });
  it('every container has ephemeral-storage requests and limits, every emptyDir a sizeLimit, limits cover the emptyDirs', () => {
    expect(ephemeralStoragePolicy(objects)).toEqual([]);
  });
});

describe('the policies catch a violating object', () => {
  const same = { httpGet: { path: '/health', port: 7700 } };
  it('liveness = readiness (timings aside) is flagged; allow-listed with a reason it passes', () => {
    const bad = pod([{ name: 'app', readinessProbe: { ...same, periodSeconds: 5 }, livenessProbe: { ...same, periodSeconds: 20 } }]);
    expect(distinctLivenessPolicy()([bad]).map((v) => v.object)).toEqual(['Deployment/marketplace/bad container app']);
    expect(distinctLivenessPolicy(new Map([['bad/app', 'it has no dependencies']]))([bad])).toEqual([]);
    const good = pod([{ name: 'app', readinessProbe: same, livenessProbe: { tcpSocket: { port: 7700 } } }]);
    expect(distinctLivenessPolicy()([good])).toEqual([]);
  });
  it('a container without ephemeral-storage, an emptyDir without sizeLimit, limits below the emptyDirs', () => {
    const reasons = (o: K8sObject) => ephemeralStoragePolicy([o]).map((v) => v.reason);
    expect(reasons(pod([{ name: 'a', resources: { requests: {}, limits: {} } }]))).toEqual([
      'no resources.requests.ephemeral-storage', 'no resources.limits.ephemeral-storage',
    ]);
    expect(reasons(pod([{ name: 'a', resources: disk('64Mi') }], [{ name: 'tmp', emptyDir: {} }]))).toEqual(['emptyDir tmp has no sizeLimit']);
    expect(reasons(pod([{ name: 'a', resources: disk('64Mi') }], [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }]))).toEqual([
      "disk emptyDirs (1024 MiB) exceed the containers' ephemeral-storage limits (64 MiB)",
    ]);
    expect(reasons(pod([{ name: 'a', resources: disk('64Mi') }], [{ name: 'auth', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } }]))).toEqual([]);
  });
});

describe('disk capacity: ephemeral-storage requests at max scale fit the node pools', () => {
  it.each(loaded.map((e) => e.name))('%s fits', (name) => {
    const env = loaded.find((e) => e.name === name)!;
    const manifests = new Map<string, unknown[]>([['all', environments.find((e) => e.name === name)!.objects]]);
    expect(ephemeralCapacityProblems(env, manifests)).toEqual([]);
  });
  it('synth refuses emptyDirs the pools cannot hold, naming the numbers', () => {
    const env = loaded.find((e) => e.name === 'production')!;
    const config = structuredClone(env.config) as EnvironmentConfig;
    config.ephemeralStorage.emptyDirMiB.laravelStorage = 102400; // 100 GiB per Laravel pod
    expect(() => renderEnvironment({ ...env, config })).toThrow(/ephemeralStorage: at maximum replicas the pods request [0-9.]+ GiB of node disk \(web 20 x \d+ MiB/);
    config.ephemeralStorage.emptyDirMiB.laravelStorage = 512;
    config.ephemeralStorage.nodeSystemGiB = 300; // a g6-standard-6 has 320 GiB: 288 left before eviction
    expect(() => renderEnvironment({ ...env, config })).toThrow(/more than a node leaves for pods/);
  });
});

describe('the web pod /tmp holds an upload per php-fpm child (nginx body + PHP upload file)', () => {
  it.each(loaded.map((e) => e.name))('%s: tmp covers max_children x 2 x the largest body', (name) => {
    const { config } = loaded.find((e) => e.name === name)!;
    expect(config.ephemeralStorage.emptyDirMiB.tmp).toBeGreaterThanOrEqual(phpFpmMaxChildren(config) * 2 * MAX_BODY_MIB);
  });
  it('validation refuses a smaller /tmp, naming the numbers', () => {
    const env = loaded.find((e) => e.name === 'production')!;
    const config = structuredClone(env.config) as EnvironmentConfig;
    const needed = phpFpmMaxChildren(config) * 2 * MAX_BODY_MIB;
    config.ephemeralStorage.emptyDirMiB.tmp = needed - 1;
    expect(() => validateEnvironment(config, env.file, env.name)).toThrow(ConfigError);
    expect(() => validateEnvironment(config, env.file, env.name)).toThrow(
      `ephemeralStorage.emptyDirMiB.tmp: ${needed - 1} MiB cannot hold ${phpFpmMaxChildren(config)} concurrent uploads`,
    );
  });
});
