/**
 * Danger flags only a Laravel platform knows about: they compare what the base and the changed
 * manifests mean to the app (tools/diff/laravel-facts.ts), not single fields. Each says why the
 * change hurts and what to do instead.
 */
import type { DangerFlag } from './danger.js';
import {
  appKeySourceOf, laravelFacts, redisPrefixOf, sessionCookieOf, sessionStoreOf, type LaravelContainer, type LaravelFacts,
} from './laravel-facts.js';
import type { EnvironmentTree } from './load-tree.js';

type Rule = (base: LaravelFacts, head: LaravelFacts) => DangerFlag[];

const list = (values: Iterable<string>) => [...new Set(values)].sort().map((v) => `"${v}"`).join(', ');
const same = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Values of `of` over the Laravel containers, with the object that sets the first one. */
function valuesOf(facts: LaravelFacts, of: (c: LaravelContainer) => string): { values: string[]; source: string | undefined } {
  const values = [...new Set(facts.containers.map(of))].sort();
  return { values, source: facts.containers[0]?.env.get('APP_NAME')?.source ?? facts.containers[0]?.owner };
}

const orphanedQueues: Rule = (base, head) =>
  [...base.queueConsumers].filter(([queue]) => !head.queueConsumers.has(queue)).map(([queue, consumers]) => ({
    id: consumers[0],
    reason: `queue "${queue}" was consumed by ${consumers.map((c) => c.split('/').pop()).join(', ')} and no worker consumes it after this change: its jobs pile up in Redis, unprocessed and unnoticed`,
    instead: `keep "${queue}" in some worker group's queues until the app no longer dispatches to it and its list is empty`,
  }));

const redisPrefixChanged: Rule = (base, head) => {
  const before = valuesOf(base, redisPrefixOf);
  const after = valuesOf(head, redisPrefixOf);
  const flags: DangerFlag[] = [];
  if (before.values.length && after.values.length && !same(before.values, after.values)) {
    flags.push({
      id: after.source ?? 'REDIS_PREFIX',
      reason: `REDIS_PREFIX (or the APP_NAME it derives from) changes ${list(before.values)} -> ${list(after.values)}: queued jobs stay under the old <prefix>queues:* keys while workers and KEDA read the new ones; sessions (every user logged out) and the cache under the old prefix are lost`,
      instead: 'keep the prefix; if it must change, stop dispatching, let the queues drain to empty, then switch',
    });
  }
  if (after.values.length > 1 && before.values.length <= 1) {
    flags.push({
      id: after.source ?? 'REDIS_PREFIX',
      reason: `Laravel containers disagree on REDIS_PREFIX (${list(after.values)}): jobs dispatched under one prefix are never seen by workers reading the other`,
      instead: 'give every Laravel container the same REDIS_PREFIX (one app-env ConfigMap)',
    });
  }
  return flags;
};

const usersLoggedOut: Rule = (base, head) => {
  const flags: DangerFlag[] = [];
  const stores = [valuesOf(base, sessionStoreOf), valuesOf(head, sessionStoreOf)];
  if (stores[0].values.length && stores[1].values.length && !same(stores[0].values, stores[1].values)) {
    flags.push({
      id: stores[1].source ?? 'SESSION_DRIVER',
      reason: `sessions move from ${stores[0].values.join(', ')} to ${stores[1].values.join(', ')} (SESSION_DRIVER / session Redis): every user is logged out`,
      instead: 'keep SESSION_DRIVER, SESSION_CONNECTION and the Redis instance sessions live on; if they must move, copy the session keys first or announce the logout',
    });
  }
  const cookies = [valuesOf(base, sessionCookieOf), valuesOf(head, sessionCookieOf)];
  if (cookies[0].values.length && cookies[1].values.length && !same(cookies[0].values, cookies[1].values)) {
    flags.push({
      id: cookies[1].source ?? 'SESSION_COOKIE',
      reason: `the session cookie name changes ${list(cookies[0].values)} -> ${list(cookies[1].values)} (APP_NAME / SESSION_COOKIE): browsers' existing cookies are ignored, every user is logged out`,
      instead: `set SESSION_COOKIE to ${list(cookies[0].values)} so the name survives the APP_NAME change`,
    });
  }
  const keys = [valuesOf(base, appKeySourceOf), valuesOf(head, appKeySourceOf)];
  if (keys[0].values.length && keys[1].values.length && !same(keys[0].values, keys[1].values)) {
    flags.push({
      id: head.containers[0]?.owner ?? 'APP_KEY',
      reason: `APP_KEY now comes from ${keys[1].values.join(', ')} instead of ${keys[0].values.join(', ')}: unless the value is identical, every session, encrypted cookie, signed URL and encrypt()ed value becomes unreadable`,
      instead: 'keep the APP_KEY reference; to rotate the key, set the new value and list the old one in APP_PREVIOUS_KEYS',
    });
  }
  for (const [source, value] of head.appKeyValues) {
    const before = base.appKeyValues.get(source);
    if (before === undefined || before === value) continue;
    flags.push({
      id: head.containers[0]?.owner ?? 'APP_KEY',
      reason: `the APP_KEY value in ${source} changed (its encrypted value differs): a new key makes every session, encrypted cookie, signed URL and encrypt()ed value unreadable`,
      instead: 'when rotating, keep the old key in APP_PREVIOUS_KEYS until old sessions and encrypted data are gone (a `sops rotate` of an unchanged key also lands here)',
    });
  }
  return flags;
};

const databaseTls: Rule = (base, head) => {
  const [b, h] = [base.database, head.database];
  const changed = [
    !same(b.dialledNames, h.dialledNames) && `host names dialled ${list(b.dialledNames)} -> ${list(h.dialledNames)}`,
    !same(b.serverNames, h.serverNames) && `DB servers ${list(b.serverNames)} -> ${list(h.serverNames)}`,
    !same(b.tlsSettings, h.tlsSettings) && `TLS settings ${list(b.tlsSettings)} -> ${list(h.tlsSettings)}`,
    !same(b.caReferences, h.caReferences) && `CA reference ${list(b.caReferences)} -> ${list(h.caReferences)}`,
  ].filter((x): x is string => typeof x === 'string');
  if (!changed.length) return [];
  const id = head.containers[0]?.env.get('DB_HOST')?.source ?? 'database';
  const flags: DangerFlag[] = [];
  if (h.certificateNames === undefined) {
    flags.push({
      id,
      reason: `database connection changed (${changed.join('; ')}) and the inventory lists no mariadb_tls_server_names, so whether the DB certificates carry ${list(h.dialledNames)} is unknown: TLS verification may fail for every request`,
      instead: 'check each DB server certificate carries every name the pods dial (or generate mariadb_tls_server_names into the inventory) before merging',
    });
  } else {
    const missing = h.dialledNames.filter((n) => !h.certificateNames!.includes(n));
    if (missing.length) {
      flags.push({
        id,
        reason: `database connection changed (${changed.join('; ')}) and the pods dial ${list(missing)}, which mariadb_tls_server_names (${list(h.certificateNames)}) does not carry: TLS verification fails`,
        instead: 'add the names to the DB certificates (mariadb_tls_server_names) and re-run the playbook before the pods dial them',
      });
    }
  }
  if (!same(b.caReferences, h.caReferences) && b.caReferences.length) {
    flags.push({
      id,
      reason: `the MariaDB CA reference changes ${list(b.caReferences)} -> ${list(h.caReferences)}: the servers must present certificates signed by that CA or every connection fails`,
      instead: 'ship a CA bundle holding the old and the new CA first, re-issue the server certificates, then drop the old CA',
    });
  }
  return flags;
};

const NO_PEAK = 'the config holds no measured peak for it, so the base maximum is the last known need';

const capacityUnderPeak: Rule = (base, head) => {
  const flags: DangerFlag[] = [];
  const [bw, hw] = [base.websockets, head.websockets];
  if (bw && hw) {
    const users = Math.max(bw.peakUsers ?? 0, hw.peakUsers ?? 0);
    const events = Math.max(bw.peakEventsPerSecond ?? 0, hw.peakEventsPerSecond ?? 0);
    const reasons: string[] = [];
    if (hw.fleetConnections !== undefined && hw.fleetConnections < users) reasons.push(`Soketi holds ${hw.fleetConnections} connections at maxReplicas, under the ${users} peak concurrent users`);
    if (hw.appMaxConnections !== undefined && hw.appMaxConnections < users) reasons.push(`SOKETI_DEFAULT_APP_MAX_CONNS ${hw.appMaxConnections} is under the ${users} peak users`);
    if (hw.appMaxBackendEventsPerSecond !== undefined && hw.appMaxBackendEventsPerSecond < events) reasons.push(`SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC ${hw.appMaxBackendEventsPerSecond} is under the ${events} peak events/s`);
    if ((hw.peakUsers ?? users) < users || (hw.peakEventsPerSecond ?? events) < events) {
      reasons.push(`the measured peak was lowered (users ${bw.peakUsers} -> ${hw.peakUsers}, events/s ${bw.peakEventsPerSecond} -> ${hw.peakEventsPerSecond})`);
    }
    if (reasons.length) {
      flags.push({
        id: hw.id,
        reason: `websocket capacity under the last measured peak: ${reasons.join('; ')}: users beyond it are refused or throttled`,
        instead: 'keep capacity.peakConcurrentUsers / eventsPerUserPerMinute at the last measurement and Soketi replicas.max above it; lower them only with a new measurement',
      });
    }
  }
  for (const [id, before] of base.webConcurrency) {
    const after = head.webConcurrency.get(id);
    if (after !== undefined && after < before) {
      flags.push({
        id,
        reason: `web capacity at max scale lowered ${before} -> ${after} concurrent requests (maxReplicaCount x pm.max_children); ${NO_PEAK}`,
        instead: 'keep web.replicas.max and the php-fpm memory at the base values unless a measured peak shows the lower maximum carries it',
      });
    }
  }
  for (const [queue, before] of base.queueMaxProcesses) {
    const after = head.queueMaxProcesses.get(queue);
    if (after !== undefined && after < before) {
      flags.push({
        id: head.queueConsumers.get(queue)![0],
        reason: `queue "${queue}": worker processes at max scale lowered ${before} -> ${after}; ${NO_PEAK}: backlogs drain slower at peak`,
        instead: 'keep the worker group\'s replicas.max unless the queue dashboard shows the peak backlog clears with fewer',
      });
    }
  }
  const [bd, hd] = [base.database, head.database];
  const need = Math.max(bd.connectionsAtMaxScale ?? 0, hd.connectionsAtMaxScale ?? 0);
  if (hd.maxConnections !== undefined && hd.maxConnections < need) {
    flags.push({
      id: head.containers[0]?.env.get('DB_HOST')?.source ?? 'database',
      reason: `MariaDB max_connections ${bd.maxConnections} -> ${hd.maxConnections}, under the ${need} connections the app opened at the base's maximum scale: at peak new connections are refused ("Too many connections")`,
      instead: 'keep database.maxConnections at or above the base need; lower it only together with a measured lower peak',
    });
  }
  return flags;
};

const migrationsOfAnotherRelease: Rule = (base, head) =>
  head.releaseMismatches.filter((m) => !base.releaseMismatches.includes(m)).map((mismatch) => ({
    id: head.containers.find((c) => c.ownerKind === 'Job')?.owner ?? 'migrations',
    reason: `${mismatch}: the schema and the code come from different releases (migrations run for one, the app serves another)`,
    instead: 'bump every app image (nginx, phpFpm, cli, cron) to the same release tag in one change',
  }));

export const LARAVEL_RULES: readonly Rule[] = [
  orphanedQueues, redisPrefixChanged, usersLoggedOut, databaseTls, capacityUnderPeak, migrationsOfAnotherRelease,
];

export function laravelDangerFlags(base: EnvironmentTree | undefined, head: EnvironmentTree | undefined): DangerFlag[] {
  if (!base || !head) return [];
  const [b, h] = [laravelFacts(base), laravelFacts(head)];
  return LARAVEL_RULES.flatMap((rule) => rule(b, h));
}
