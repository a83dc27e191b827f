/**
 * Cross-field rules a JSON Schema cannot express. Each rule returns the problems it finds;
 * `validate.ts` runs them all after the schema passes, so rules can trust the shape.
 */
import { recoveryPointIsSchedulable } from './database-rules.js';
import type { ConfigProblem } from './errors.js';
import { LINODE_PLANS } from './linode-plans.js';
import {
  cidrContains, cidrsOverlap, isNetworkAddress, LKE_RESERVED_CIDRS, parseCidr, ipToInt,
} from './network.js';
import { cpuMillis, memoryMiB } from './quantity.js';
import type { EnvironmentConfig } from './schema.js';

export type Rule = (config: EnvironmentConfig) => ConfigProblem[];

/** Visits every object in the config with its dotted path. */
function walk(value: unknown, path: string, visit: (node: Record<string, unknown>, path: string) => void) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  } else if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    visit(node, path);
    for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key, visit);
  }
}

/** Every `replicas: {min, max}` and node pool keeps min <= max. */
export const boundsAreOrdered: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  walk(config, '', (node, path) => {
    if (typeof node.min === 'number' && typeof node.max === 'number' && node.min > node.max) {
      problems.push({ path: `${path}.min`, reason: `min (${node.min}) is above max (${node.max})` });
    }
  });
  return problems;
};

/** Every `resources` block has limits at or above its requests. */
export const limitsCoverRequests: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  walk(config, '', (node, path) => {
    const res = node.resources as EnvironmentConfig['web']['nginx']['resources'] | undefined;
    if (!res?.requests || !res.limits) return;
    const where = path ? `${path}.resources` : 'resources';
    if (memoryMiB(res.limits.memory) < memoryMiB(res.requests.memory)) {
      problems.push({
        path: `${where}.limits.memory`,
        reason: `limit ${res.limits.memory} is below the request ${res.requests.memory}`,
      });
    }
    if (res.limits.cpu !== undefined && cpuMillis(res.limits.cpu) < cpuMillis(res.requests.cpu)) {
      problems.push({
        path: `${where}.limits.cpu`,
        reason: `limit ${res.limits.cpu} is below the request ${res.requests.cpu}`,
      });
    }
  });
  return problems;
};

/** Worker groups: unique names, each queue in one group (timeouts: charts/rules/worker-rules.ts). */
export const workersAreConsistent: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  const names = new Set<string>();
  const owner = new Map<string, string>();
  config.workers.forEach((group, i) => {
    const at = `workers[${i}]`;
    if (names.has(group.name)) problems.push({ path: `${at}.name`, reason: `duplicate worker group "${group.name}"` });
    names.add(group.name);
    for (const queue of group.queues) {
      const other = owner.get(queue);
      if (other) problems.push({ path: `${at}.queues`, reason: `queue "${queue}" is already served by group "${other}"` });
      owner.set(queue, group.name);
    }
  });
  return problems;
};

/** Plans exist in the catalogue, so capacity and cost can be computed. */
export const plansAreKnown: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  const known = Object.keys(LINODE_PLANS).join(', ');
  config.cluster.pools.forEach((pool, i) => {
    if (!LINODE_PLANS[pool.type]) problems.push({ path: `cluster.pools[${i}].type`, reason: `unknown Linode plan "${pool.type}" (known: ${known})` });
  });
  if (!LINODE_PLANS[config.database.plan]) {
    problems.push({ path: 'database.plan', reason: `unknown Linode plan "${config.database.plan}" (known: ${known})` });
  }
  const poolNames = new Set<string>();
  config.cluster.pools.forEach((pool, i) => {
    if (poolNames.has(pool.name)) problems.push({ path: `cluster.pools[${i}].name`, reason: `duplicate node pool "${pool.name}"` });
    poolNames.add(pool.name);
  });
  return problems;
};

/** VPC subnets are well formed, disjoint, clear of LKE's ranges; DB IPs sit inside theirs. */
export const networkIsSound: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  const { clusterSubnet, databaseSubnet, adminCidrs } = config.network;
  for (const [key, cidr] of [['clusterSubnet', clusterSubnet], ['databaseSubnet', databaseSubnet]] as const) {
    if (!isNetworkAddress(cidr)) problems.push({ path: `network.${key}`, reason: `${cidr} has host bits set` });
    if (!cidr.startsWith('10.') && !cidr.startsWith('172.') && !cidr.startsWith('192.168.')) {
      problems.push({ path: `network.${key}`, reason: `${cidr} is not a private (RFC 1918) range` });
    }
    for (const reserved of LKE_RESERVED_CIDRS) {
      if (cidrsOverlap(cidr, reserved)) problems.push({ path: `network.${key}`, reason: `${cidr} overlaps LKE's fixed range ${reserved}` });
    }
  }
  if (cidrsOverlap(clusterSubnet, databaseSubnet)) {
    problems.push({ path: 'network.databaseSubnet', reason: `${databaseSubnet} overlaps clusterSubnet ${clusterSubnet}` });
  }
  adminCidrs.forEach((cidr, i) => {
    if (parseCidr(cidr).prefix === 0) problems.push({ path: `network.adminCidrs[${i}]`, reason: 'admin access from 0.0.0.0/0 is not allowed' });
  });

  const { base, size } = parseCidr(databaseSubnet);
  const seen = new Map<string, string>();
  const hosts = [
    { path: 'database.primary', host: config.database.primary },
    ...config.database.replicas.map((host, i) => ({ path: `database.replicas[${i}]`, host })),
  ];
  for (const { path, host } of hosts) {
    const ip = host.privateIp;
    if (!cidrContains(databaseSubnet, ip)) {
      problems.push({ path: `${path}.privateIp`, reason: `${ip} is outside network.databaseSubnet ${databaseSubnet}` });
    } else if ([base, base + 1, base + size - 1].includes(ipToInt(ip))) {
      problems.push({ path: `${path}.privateIp`, reason: `${ip} is the subnet's network, gateway or broadcast address` });
    }
    const clash = seen.get(ip) ?? seen.get(`name:${host.name}`);
    if (clash) problems.push({ path: `${path}`, reason: `${host.name}/${ip} collides with ${clash}` });
    seen.set(ip, path);
    seen.set(`name:${host.name}`, path);
  }
  return problems;
};

/** Redis maxmemory leaves room for fork/copy-on-write and buffers under the container limit. */
export const redisFitsItsLimit: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  for (const key of ['cache', 'queue'] as const) {
    const instance = config.redis[key];
    const limit = memoryMiB(instance.resources.limits.memory);
    if (instance.maxmemoryMiB > limit * 0.8) {
      problems.push({
        path: `redis.${key}.maxmemoryMiB`,
        reason: `${instance.maxmemoryMiB} MiB exceeds 80% of the container limit (${limit} MiB)`,
      });
    }
  }
  if (config.redis.queue.storageGiB === undefined) {
    problems.push({ path: 'redis.queue.storageGiB', reason: 'the queue/session instance persists (AOF) and needs a volume size' });
  }
  return problems;
};

/**
 * Keep-alive order: the Gateway (the client of nginx) closes an idle connection before nginx
 * does. Otherwise nginx may close it just as Envoy sends the next request on it, and that
 * request fails with a reset (an intermittent 503).
 */
export const edgeClosesIdleConnectionsFirst: Rule = (config) => {
  const upstream = config.edge.upstreamIdleTimeoutSeconds;
  const nginx = config.web.nginx.keepaliveTimeoutSeconds;
  if (upstream < nginx) return [];
  return [{
    path: 'edge.upstreamIdleTimeoutSeconds',
    reason:
      `${upstream}s must be below web.nginx.keepaliveTimeoutSeconds (${nginx}s): Envoy must close an idle ` +
      'upstream connection before nginx does, or a request racing nginx\'s close gets a 503',
  }];
};

/** The chosen realtime server has an image: Soketi's is required by the schema, Sockudo's is ours. */
export const realtimeServerHasImage: Rule = (config) => {
  if (config.realtime.server !== 'sockudo' || config.images.sockudo) return [];
  return [{
    path: 'images.sockudo',
    reason: 'realtime.server is sockudo but no Sockudo image is set: pin the image our pipeline builds from the cargo binary (decision 0007)',
  }];
};

/** The rules of the config alone; the charts add theirs (charts/rules/index.ts, apps/load.ts). */
export const BASE_RULES: readonly Rule[] = [
  boundsAreOrdered, limitsCoverRequests, workersAreConsistent, plansAreKnown, networkIsSound,
  redisFitsItsLimit, edgeClosesIdleConnectionsFirst, recoveryPointIsSchedulable, realtimeServerHasImage,
];
