/**
 * `realtime.server: sockudo` (charts/lib/realtime-servers.ts, decision 0007), checked against the
 * objects the Soketi choice renders for the same environment, never against copied values:
 * - every setting of the Soketi container reaches Sockudo under its own key, units converted,
 *   Secret references kept, and the adapter prefix in the mounted config file;
 * - everything around the server (Service, route, NetworkPolicies, monitors, budgets) is the same
 *   object, and the KEDA triggers, alert and dashboards keep their shape with Sockudo's metrics;
 * - a Soketi key with no translation fails synth, and Sockudo without an image fails validation.
 */
import { describe, expect, it } from 'vitest';
import { loadEnvironments, validateEnvironment } from '../../apps/load.js';
import { REALTIME_SERVERS, SOCKUDO_WORKING_DIR, SOKETI_TO_SOCKUDO, sockudoEnv, translateSoketiEnv } from '../../charts/lib/realtime-servers.js';
import { checksumAnnotation } from '../../charts/lib/config-checksums.js';
import { CONFIG_MAP_NAMES, SERVICE_NAMES } from '../../charts/lib/names.js';
import type { K8sObject } from '../../policies/manifest.js';
import { find, renderedChoices } from './support/rendered-objects.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */
const choices = await renderedChoices();
const environments = await loadEnvironments();
const SOKETI = REALTIME_SERVERS.soketi.metrics;
const SOCKUDO = REALTIME_SERVERS.sockudo.metrics;

const container = (objects: readonly K8sObject[]) => (find(objects, 'Deployment', SERVICE_NAMES.soketi) as any).spec.template.spec.containers[0];
const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** The Sockudo side's objects with Sockudo's metric names put back to Soketi's. */
const asSoketiMetrics = (o: K8sObject) => JSON.parse(JSON.stringify(o)
  .replaceAll(SOCKUDO.connected, SOKETI.connected).replaceAll(SOCKUDO.wsMessagesSent, SOKETI.wsMessagesSent)
  .replaceAll(SOCKUDO.wsMessagesReceived, SOKETI.wsMessagesReceived).replaceAll(SOCKUDO.httpCallsReceived, SOKETI.httpCallsReceived)
  .replaceAll(REALTIME_SERVERS.sockudo.title, REALTIME_SERVERS.soketi.title));

describe.each(environments.map((e) => e.name))('%s with realtime.server soketi and sockudo', (name) => {
  const rendering = (server: string) => choices.find((c) => (c.name === name || c.name.startsWith(`${name} (`)) && c.config.realtime.server === server)!;
  const soketi = rendering('soketi');
  const sockudo = rendering('sockudo');
  const soketiEnv: Array<{ name: string; value?: string; valueFrom?: unknown }> = container(soketi.objects).env;
  const sockudoEnvByName = new Map<string, any>(container(sockudo.objects).env.map((e: any) => [e.name, e]));

  it('renders both choices', () => {
    expect(soketi).toBeDefined();
    expect(sockudo).toBeDefined();
    expect(container(soketi.objects).name).toBe('soketi');
    expect(container(sockudo.objects).name).toBe('sockudo');
    expect(container(sockudo.objects).image).toBe(sockudo.config.images.sockudo);
  });

  it('carries every Soketi setting to Sockudo under its own key (or drops it with a reason)', () => {
    for (const entry of soketiEnv) {
      const rule = SOKETI_TO_SOCKUDO[entry.name];
      expect(rule, `${entry.name} has no translation`).toBeDefined();
      if (!rule || !('to' in rule)) continue;
      const carried = sockudoEnvByName.get(rule.to);
      expect(carried, `${entry.name} -> ${rule.to}`).toBeDefined();
      if (entry.valueFrom !== undefined) expect(carried.valueFrom).toEqual(entry.valueFrom);
    }
    const soketiValue = (key: string) => Number(soketiEnv.find((e) => e.name === key)!.value);
    const sockudoValue = (key: string) => Number(sockudoEnvByName.get(key).value);
    // Units: Soketi's grace period is milliseconds, Sockudo's seconds; its memory threshold a fraction.
    expect(sockudoValue('SHUTDOWN_GRACE_PERIOD') * 1000).toBe(soketiValue('SOKETI_SHUTDOWN_GRACE_PERIOD'));
    expect(sockudoValue('HTTP_API_ACCEPT_TRAFFIC_MEMORY_THRESHOLD') * 100).toBeCloseTo(soketiValue('SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD'));
    expect(sockudoValue('SOCKUDO_DEFAULT_APP_MAX_CONNECTIONS')).toBe(soketiValue('SOKETI_DEFAULT_APP_MAX_CONNS'));
    // Sockudo refuses the Redis adapter with its node-local cache, and its per-IP limiters are off.
    expect(sockudoEnvByName.get('CACHE_DRIVER')?.value).toBe('redis');
    expect(sockudoEnvByName.get('RATE_LIMITER_ENABLED')?.value).toBe('false');
    expect([...sockudoEnvByName.keys()].filter((k) => k.startsWith('SOKETI_') || k === 'NODE_OPTIONS')).toEqual([]);
  });

  it("mounts the adapter's key prefix where Sockudo reads it, and rolls the pod when it changes", () => {
    const deployment = find(sockudo.objects, 'Deployment', SERVICE_NAMES.soketi) as any;
    const c = container(sockudo.objects);
    const configVolume = deployment.spec.template.spec.volumes.find((v: any) => v.configMap?.name === CONFIG_MAP_NAMES.sockudo);
    expect(configVolume).toBeDefined();
    expect(c.workingDir).toBe(SOCKUDO_WORKING_DIR);
    // Sockudo 5.2.0 reads config/config.json relative to its working directory (src/main.rs).
    expect(c.volumeMounts).toContainEqual({ name: configVolume.name, mountPath: `${SOCKUDO_WORKING_DIR}/config`, readOnly: true });
    const file = JSON.parse((find(sockudo.objects, 'ConfigMap', CONFIG_MAP_NAMES.sockudo) as any).data['config.json']);
    expect(file.adapter.redis.prefix).toBe(soketiEnv.find((e) => e.name === 'SOKETI_ADAPTER_REDIS_PREFIX')!.value);
    expect(deployment.spec.template.metadata.annotations[checksumAnnotation({ kind: 'configmap', name: CONFIG_MAP_NAMES.sockudo })]).toMatch(/^[0-9a-f]{16,}$/);
  });

  it("probes each server's own paths", () => {
    for (const [side, server] of [[soketi, 'soketi'], [sockudo, 'sockudo']] as const) {
      expect(container(side.objects).livenessProbe.httpGet.path).toBe(REALTIME_SERVERS[server].livenessPath);
      expect(container(side.objects).readinessProbe.httpGet.path).toBe(REALTIME_SERVERS[server].readinessPath);
    }
  });

  it('keeps every other object the same, and the triggers, alert and dashboards in the same shape on its own metrics', () => {
    const server = new Set([`Deployment/${soketi.config.namespace}/${SERVICE_NAMES.soketi}`, `ConfigMap/${soketi.config.namespace}/${CONFIG_MAP_NAMES.sockudo}`]);
    const others = (objects: readonly K8sObject[]) => new Map(objects.filter((o) => !server.has(idOf(o))).map((o) => [idOf(o), o]));
    const before = others(soketi.objects);
    const after = others(sockudo.objects);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const differing = [...after].filter(([id, o]) => JSON.stringify(o) !== JSON.stringify(before.get(id))).map(([id]) => id);
    // Only objects that name a metric differ, and only by the metric's name (and the server's title).
    for (const id of differing) expect(asSoketiMetrics(after.get(id)!), id).toEqual(before.get(id));
    expect(differing.some((id) => id.startsWith('ScaledObject/'))).toBe(true);
    expect(JSON.stringify(sockudo.objects.filter((o) => !server.has(idOf(o))))).not.toMatch(/\bsoketi_[a-z_]+/);
  });
});

describe('realtime.server guards', () => {
  const env = environments[0]!;

  it('refuses sockudo without an image, naming the field', () => {
    const { sockudo: _none, ...images } = env.config.images;
    expect(() => validateEnvironment({ ...env.config, images, realtime: { server: 'sockudo' } }, env.file, env.name))
      .toThrow(/images\.sockudo.*no Sockudo image is set/s);
    expect(() => validateEnvironment({ ...env.config, realtime: { server: 'reverb' } }, env.file, env.name)).toThrow(/realtime\.server/);
  });

  it('fails on a Soketi key it does not know, naming the key and where to add it', () => {
    expect(() => translateSoketiEnv([{ name: 'SOKETI_NEW_SETTING', value: '1' }], 'charts/soketi-chart.ts'))
      .toThrow(/charts\/soketi-chart\.ts: .*SOKETI_NEW_SETTING has no Sockudo translation: add it to SOKETI_TO_SOCKUDO/);
    expect(() => sockudoEnv({ SOKETI_SHUTDOWN_GRACE_PERIOD: '30000' })).not.toThrow();
  });

  it('refuses a unit change on a value synth cannot see', () => {
    expect(() => translateSoketiEnv([{ name: 'SOKETI_SHUTDOWN_GRACE_PERIOD', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }], 'x'))
      .toThrow(/comes from a reference but its value changes units/);
  });
});
