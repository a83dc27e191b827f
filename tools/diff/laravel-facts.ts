/**
 * What a set of manifests means to the Laravel app, read from the objects themselves (not from
 * the config source, so a hand edit counts too): which queues have a consumer, the Redis prefix,
 * where sessions live, where APP_KEY comes from, what the pods dial for the database and with
 * which TLS settings, which release each app container runs, and the capacity at maximum scale.
 */
import { CAPACITY_ANNOTATIONS } from '../../charts/lib/capacity-annotations.js';
import { REALTIME_SERVERS, SOKETI_TO_SOCKUDO } from '../../charts/lib/realtime-servers.js';
import type { EnvironmentTree } from './load-tree.js';
import { objectId, type Obj } from './semantic-diff.js';

/** An env var of a container: its value (or where it is read from) and the object that sets it. */
interface EnvValue {
  readonly value: string;
  /** Id of the ConfigMap, Secret or workload that sets it. */
  readonly source: string;
  /** A value written out (not a reference to a Secret or ConfigMap key): never print it for secrets. */
  readonly literal: boolean;
}

export interface LaravelContainer {
  /** Id of the workload object (Deployment, Job, ...). */
  readonly owner: string;
  readonly ownerKind: string;
  readonly ownerName: string;
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly env: ReadonlyMap<string, EnvValue>;
  /** The pod's volumes and this container's mounts, for the CA reference. */
  readonly volumes: readonly Obj[];
  readonly mounts: readonly Obj[];
  readonly podImages: readonly string[];
}

interface PodOwner {
  readonly object: Obj;
  readonly pod: Obj;
}

function podOwners(objects: readonly Obj[]): PodOwner[] {
  return objects.flatMap((o) => {
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind) && o.spec?.template?.spec) return [{ object: o, pod: o.spec.template.spec }];
    if (o.kind === 'CronJob' && o.spec?.jobTemplate?.spec?.template?.spec) return [{ object: o, pod: o.spec.jobTemplate.spec.template.spec }];
    return [];
  });
}

function describeValueFrom(from: Obj): string {
  if (from.secretKeyRef) return `Secret ${from.secretKeyRef.name} key ${from.secretKeyRef.key}`;
  if (from.configMapKeyRef) return `ConfigMap ${from.configMapKeyRef.name} key ${from.configMapKeyRef.key}`;
  return JSON.stringify(from);
}

/** The environment a container sees: envFrom ConfigMaps/Secrets first, then its own env. */
function effectiveEnv(container: Obj, owner: Obj, objects: readonly Obj[]): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  const namespace = owner.metadata?.namespace;
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const source = objects.find((o) => o.kind === kind && o.metadata?.name === ref?.name && o.metadata?.namespace === namespace);
    const data: Obj = source ? { ...(source.data ?? {}), ...(source.stringData ?? {}) } : {};
    for (const [key, value] of Object.entries(data)) {
      const prefixed = `${from.prefix ?? ''}${key}`;
      const secret = kind === 'Secret';
      env.set(prefixed, { value: secret ? `Secret ${ref.name} key ${key}` : String(value), source: source ? objectId(source) : objectId(owner), literal: !secret });
    }
  }
  for (const e of container.env ?? []) {
    env.set(e.name, { value: e.valueFrom ? describeValueFrom(e.valueFrom) : String(e.value ?? ''), source: objectId(owner), literal: !e.valueFrom });
  }
  return env;
}

const isLaravel = (command: readonly string[], env: ReadonlyMap<string, EnvValue>) =>
  command.includes('artisan') || env.has('APP_KEY') || env.has('APP_NAME');

export function laravelContainers(objects: readonly Obj[]): LaravelContainer[] {
  return podOwners(objects).flatMap(({ object, pod }) => {
    const all: Obj[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    const podImages = all.map((c) => String(c.image));
    return all.flatMap((c) => {
      // Words, so `sh -c "php artisan queue:work ..."` (a hand edit) reads like the exec form.
      const command = [...(c.command ?? []), ...(c.args ?? [])].flatMap((a) => String(a).split(/\s+/)).filter(Boolean);
      const env = effectiveEnv(c, object, objects);
      if (!isLaravel(command, env)) return [];
      return [{
        owner: objectId(object), ownerKind: object.kind, ownerName: object.metadata?.name, name: c.name, image: String(c.image),
        command, env, volumes: pod.volumes ?? [], mounts: c.volumeMounts ?? [], podImages,
      }];
    });
  });
}

/** Laravel's Str::slug: lower case, runs of other characters become one separator. */
export function slug(text: string, separator = '-'): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, separator).replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '');
}

const envValue = (c: LaravelContainer, name: string): string | undefined => c.env.get(name)?.value;

/** REDIS_PREFIX, or the Laravel 12 skeleton's default derived from APP_NAME when it is unset. */
export function redisPrefixOf(c: LaravelContainer): string {
  return envValue(c, 'REDIS_PREFIX') ?? `${slug(envValue(c, 'APP_NAME') ?? 'laravel')}-database-`;
}

/** Where sessions are stored, as one comparable string (config/session.php + database.php defaults). */
export function sessionStoreOf(c: LaravelContainer): string {
  const driver = envValue(c, 'SESSION_DRIVER') ?? 'database';
  if (driver === 'redis') {
    const connection = envValue(c, 'SESSION_CONNECTION') ?? 'default';
    const upper = connection.toUpperCase();
    const host = (connection === 'default' ? undefined : envValue(c, `REDIS_${upper}_HOST`)) ?? envValue(c, 'REDIS_HOST') ?? '127.0.0.1';
    const port = (connection === 'default' ? undefined : envValue(c, `REDIS_${upper}_PORT`)) ?? envValue(c, 'REDIS_PORT') ?? '6379';
    const db = connection === 'cache' ? (envValue(c, 'REDIS_CACHE_DB') ?? '1') : (envValue(c, 'REDIS_DB') ?? '0');
    return `redis connection "${connection}" at ${host}:${port} db ${db}`;
  }
  if (driver === 'database') return `database table on ${envValue(c, 'DB_HOST') ?? '127.0.0.1'}/${envValue(c, 'DB_DATABASE') ?? 'laravel'}`;
  return `driver ${driver}`;
}

/** The session cookie's name: SESSION_COOKIE, else Laravel 12's Str::slug(APP_NAME).'-session'. */
export function sessionCookieOf(c: LaravelContainer): string {
  return envValue(c, 'SESSION_COOKIE') ?? `${slug(envValue(c, 'APP_NAME') ?? 'laravel')}-session`;
}

/** Where APP_KEY comes from (a literal value is never shown: it is the key itself). */
export function appKeySourceOf(c: LaravelContainer): string {
  const key = c.env.get('APP_KEY');
  if (!key) return '(unset)';
  return key.literal ? `a literal value in ${key.source}` : key.value;
}

/** Queues a `queue:work` / `queue:listen` command line consumes (Laravel's default: "default"). */
export function consumedQueues(c: LaravelContainer): string[] {
  const at = c.command.findIndex((a) => a === 'queue:work' || a === 'queue:listen');
  if (at < 0) return [];
  const rest = c.command.slice(at + 1);
  const inline = rest.find((a) => a.startsWith('--queue='));
  const separate = rest.indexOf('--queue');
  const list = inline ? inline.slice('--queue='.length) : separate >= 0 ? rest[separate + 1] : (envValue(c, 'REDIS_QUEUE') ?? 'default');
  return (list ?? '').split(',').map((q) => q.trim()).filter(Boolean);
}

/** The release part of an image reference: its tag (or digest when it has no tag). */
export function imageRelease(image: string): string {
  const [name, digest] = image.split('@');
  const tag = /:([^/:]+)$/.exec(name)?.[1];
  return tag ?? digest ?? 'latest';
}

const imageRepositoryDir = (image: string) => image.split('@')[0].replace(/:[^/:]+$/, '').replace(/\/[^/]+$/, '');

/** Max replicas of a workload: its ScaledObject's maxReplicaCount, else spec.replicas. */
export function maxReplicas(objects: readonly Obj[], kind: string, name: string): number {
  const scaler = objects.find((o) => o.kind === 'ScaledObject' && o.spec?.scaleTargetRef?.name === name && (o.spec.scaleTargetRef.kind ?? 'Deployment') === kind);
  if (scaler) return Number(scaler.spec.maxReplicaCount ?? 100);
  const owner = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  return Number(owner?.spec?.replicas ?? 1);
}

/** Every value of `key` anywhere in a parsed inventory (all.vars or any group's vars). */
function inventoryValues(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((n) => inventoryValues(n, key));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node as Obj).flatMap(([k, v]) => (k === key ? [v] : inventoryValues(v, key)));
}

/** Host names under a group whose name starts with `mariadb`. */
function inventoryDbHosts(node: unknown, inDbGroup = false): string[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  return Object.entries(node as Obj).flatMap(([k, v]) => {
    if (k === 'hosts' && inDbGroup && v && typeof v === 'object') return Object.keys(v);
    return inventoryDbHosts(v, inDbGroup || k.startsWith('mariadb'));
  });
}

export interface DatabaseFacts {
  /** Host names the Laravel pods dial (DB_HOST, DB_READ_HOST, DB_WRITE_HOST). */
  readonly dialledNames: string[];
  /** The DB servers behind them: EndpointSlice hostnames and the inventory's DB hosts. */
  readonly serverNames: string[];
  readonly tlsSettings: string[];
  readonly caReferences: string[];
  /** The inventory's mariadb_tls_server_names; undefined when the inventory has none. */
  readonly certificateNames?: string[];
  readonly maxConnections?: number;
  readonly connectionsAtMaxScale?: number;
}

function caReference(c: LaravelContainer): string | undefined {
  const path = envValue(c, 'MYSQL_ATTR_SSL_CA');
  if (!path) return undefined;
  const mount = c.mounts
    .filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && c.volumes.find((v) => v.name === mount.name);
  if (!volume) return `${path} (not mounted from any volume)`;
  if (volume.secret) return `Secret ${volume.secret.secretName} ${JSON.stringify(volume.secret.items ?? 'all keys')}`;
  if (volume.configMap) return `ConfigMap ${volume.configMap.name} ${JSON.stringify(volume.configMap.items ?? 'all keys')}`;
  return JSON.stringify(volume);
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export function databaseFacts(tree: EnvironmentTree, containers = laravelContainers(tree.objects)): DatabaseFacts {
  const dialled = sorted(containers.flatMap((c) => ['DB_HOST', 'DB_READ_HOST', 'DB_WRITE_HOST'].flatMap((k) => (envValue(c, k) ?? '').split(',').map((h) => h.trim()).filter(Boolean))));
  const slices = tree.objects.filter((o) => o.kind === 'EndpointSlice' && dialled.includes(o.metadata?.labels?.['kubernetes.io/service-name']));
  const certificateNames = inventoryValues(tree.inventory, 'mariadb_tls_server_names');
  const maxConnections = inventoryValues(tree.inventory, 'mariadb_max_connections').map(Number).find(Number.isFinite);
  const needs = tree.objects
    .filter((o) => o.kind === 'Service' && dialled.includes(o.metadata?.name))
    .map((o) => Number(o.metadata?.annotations?.[CAPACITY_ANNOTATIONS.connectionsAtMaxScale]))
    .filter(Number.isFinite);
  return {
    dialledNames: dialled,
    serverNames: sorted([...slices.flatMap((s) => (s.endpoints ?? []).map((e: Obj) => String(e.hostname ?? e.addresses?.join(',')))), ...inventoryDbHosts(tree.inventory)]),
    tlsSettings: sorted(containers.flatMap((c) => [...c.env.entries()].filter(([k]) => /^(MYSQL_ATTR_SSL_|DB_SSL|MYSQL_SSL)/.test(k)).map(([k, v]) => `${k}=${v.value}`))),
    caReferences: sorted(containers.map(caReference).filter((r): r is string => r !== undefined)),
    ...(certificateNames.length ? { certificateNames: sorted(certificateNames.flat().map(String)) } : {}),
    ...(maxConnections !== undefined ? { maxConnections } : {}),
    ...(needs.length ? { connectionsAtMaxScale: Math.max(...needs) } : {}),
  };
}

export interface WebsocketFacts {
  readonly id: string;
  readonly peakUsers?: number;
  readonly peakEventsPerSecond?: number;
  /** maxReplicaCount x the connections-per-pod target of the ScaledObject. */
  readonly fleetConnections?: number;
  readonly appMaxConnections?: number;
  readonly appMaxBackendEventsPerSecond?: number;
}

export function websocketFacts(objects: readonly Obj[]): WebsocketFacts | undefined {
  const scaler = objects.find((o) => o.kind === 'ScaledObject' && o.metadata?.annotations?.[CAPACITY_ANNOTATIONS.peakConcurrentUsers] !== undefined)
    ?? objects.find((o) => o.kind === 'ScaledObject' && Object.values(REALTIME_SERVERS).some((server) => JSON.stringify(o.spec?.triggers ?? []).includes(server.metrics.connected)));
  if (!scaler) return undefined;
  const number = (v: unknown) => (v === undefined || v === null || !Number.isFinite(Number(v)) ? undefined : Number(v));
  const perPod = number((scaler.spec.triggers ?? []).find((t: Obj) => t.type === 'prometheus' && t.metricType === 'AverageValue')?.metadata?.threshold);
  const target = objects.find((o) => o.kind === (scaler.spec.scaleTargetRef.kind ?? 'Deployment') && o.metadata?.name === scaler.spec.scaleTargetRef.name);
  const env: Obj[] = (target?.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => c.env ?? []);
  // A Soketi key, or its Sockudo counterpart when the workload runs Sockudo.
  const envNumber = (soketiKey: string) => {
    const rule = SOKETI_TO_SOCKUDO[soketiKey];
    const names = [soketiKey, ...(rule && 'to' in rule ? [rule.to] : [])];
    return number(env.find((e) => names.includes(e.name))?.value);
  };
  const annotations = scaler.metadata?.annotations ?? {};
  const facts: Record<string, unknown> = {
    id: objectId(scaler),
    peakUsers: number(annotations[CAPACITY_ANNOTATIONS.peakConcurrentUsers]),
    peakEventsPerSecond: number(annotations[CAPACITY_ANNOTATIONS.peakEventsPerSecond]),
    fleetConnections: perPod === undefined ? undefined : Number(scaler.spec.maxReplicaCount) * perPod,
    appMaxConnections: envNumber('SOKETI_DEFAULT_APP_MAX_CONNS'),
    appMaxBackendEventsPerSecond: envNumber('SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC'),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as unknown as WebsocketFacts;
}

export interface LaravelFacts {
  readonly containers: readonly LaravelContainer[];
  /** queue -> ids of the workloads consuming it. */
  readonly queueConsumers: ReadonlyMap<string, string[]>;
  /** queue -> worker processes at maximum scale. */
  readonly queueMaxProcesses: ReadonlyMap<string, number>;
  /** Web (request-serving) workloads: id -> concurrent requests at max scale. */
  readonly webConcurrency: ReadonlyMap<string, number>;
  readonly database: DatabaseFacts;
  readonly websockets?: WebsocketFacts;
  /** Migration Job container -> its image, and app containers of other releases. */
  readonly releaseMismatches: string[];
  /** APP_KEY source ("Secret app-secrets key APP_KEY") -> its stored (SOPS-encrypted) value; never printed. */
  readonly appKeyValues: ReadonlyMap<string, string>;
}

/** pm.max_children from a ConfigMap the pod mounts (the rendered php-fpm pool), if any. */
function phpFpmChildren(objects: readonly Obj[], owner: Obj): number {
  const names = new Set((owner.spec?.template?.spec?.volumes ?? []).map((v: Obj) => v.configMap?.name).filter(Boolean));
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap' && names.has(o.metadata?.name))) {
    for (const text of Object.values(cm.data ?? {})) {
      const match = /^\s*pm\.max_children\s*=\s*(\d+)/m.exec(String(text));
      if (match) return Number(match[1]);
    }
  }
  return 1;
}

export function laravelFacts(tree: EnvironmentTree): LaravelFacts {
  const containers = laravelContainers(tree.objects);
  const queueConsumers = new Map<string, string[]>();
  const queueMaxProcesses = new Map<string, number>();
  for (const c of containers) {
    for (const queue of consumedQueues(c)) {
      queueConsumers.set(queue, [...(queueConsumers.get(queue) ?? []), c.owner]);
      queueMaxProcesses.set(queue, (queueMaxProcesses.get(queue) ?? 0) + maxReplicas(tree.objects, c.ownerKind, c.ownerName));
    }
  }
  // Request-serving Laravel containers: long-running (Deployment) and not an artisan command.
  const webConcurrency = new Map<string, number>();
  for (const c of containers.filter((x) => x.ownerKind === 'Deployment' && !x.command.includes('artisan'))) {
    const owner = tree.objects.find((o) => objectId(o) === c.owner)!;
    webConcurrency.set(c.owner, maxReplicas(tree.objects, c.ownerKind, c.ownerName) * phpFpmChildren(tree.objects, owner));
  }
  const appDirs = new Set(containers.map((c) => imageRepositoryDir(c.image)));
  const releaseMismatches: string[] = [];
  for (const job of containers.filter((c) => c.ownerKind === 'Job' && c.command.includes('migrate'))) {
    const release = imageRelease(job.image);
    const others = new Set<string>();
    for (const c of containers.filter((x) => x.ownerKind !== 'Job')) {
      for (const image of [c.image, ...c.podImages.filter((i) => appDirs.has(imageRepositoryDir(i)))]) {
        if (imageRelease(image) !== release) others.add(`${c.ownerName} runs ${image}`);
      }
    }
    if (others.size) releaseMismatches.push(`${job.ownerName} migrates with ${job.image} but ${sorted(others).join(', ')}`);
  }
  const appKeyValues = new Map<string, string>();
  for (const c of containers) {
    const ref = /^Secret (\S+) key (\S+)$/.exec(c.env.get('APP_KEY')?.value ?? '');
    const namespace = c.owner.split('/')[2];
    const secret = ref && tree.objects.find((o) => o.kind === 'Secret' && o.metadata?.name === ref[1] && o.metadata?.namespace === namespace);
    const value = secret ? (secret.stringData?.[ref[2]] ?? secret.data?.[ref[2]]) : undefined;
    if (value !== undefined) appKeyValues.set(c.env.get('APP_KEY')!.value, String(value));
  }
  const websockets = websocketFacts(tree.objects);
  return {
    containers, queueConsumers, queueMaxProcesses, webConcurrency, releaseMismatches, appKeyValues,
    database: databaseFacts(tree, containers),
    ...(websockets ? { websockets } : {}),
  };
}
