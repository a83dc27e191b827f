/**
 * One step of the Soketi benchmark, as its own process (pinned by the caller to the core Soketi
 * does not use): N users connect and subscribe (tests/bench/soketi/shape.ts), the broadcaster
 * publishes at the per-user rate through Soketi's HTTP API (one signed call per event, or
 * /batch_events), and the step prints one JSON line with what it measured. Every loop is
 * bounded by the step's seconds; all traffic is on 127.0.0.1.
 *   STEP_SPEC='{"ports":[16021],...}' npx tsx tests/bench/soketi/load-generator.ts
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { Broadcaster, USER_CHANNEL_PREFIX, httpAuthorizer, startAuthEndpoint } from '../../integration/soketi/laravel-side.js';
import { PusherClient, type PusherApp, type PusherEvent } from '../../integration/soketi/pusher-protocol.js';
import { httpGet, metricValue } from '../../integration/soketi/soketi-servers.js';
import { REALTIME_SERVERS } from '../../../charts/lib/realtime-servers.js';
import { LOAD_SHAPE } from './shape.js';

export interface StepSpec {
  readonly app: PusherApp;
  /** Soketi websocket/API ports, metrics ports and pids (one per process). */
  readonly ports: readonly number[];
  readonly metricsPorts: readonly number[];
  readonly soketiPids: readonly number[];
  readonly redisPid: number;
  readonly users: number;
  readonly eventsPerUserPerMinute: number;
  readonly mode: 'events' | 'batch';
  /** The server's metric names (Soketi's unless the step runs another Pusher-protocol server). */
  readonly metricNames?: { readonly connected: string; readonly wsMessagesSent: string };
}

export interface StepResult {
  readonly users: number;
  readonly connected: number;
  readonly scheduledPerSecond: number;
  readonly publishedPerSecond: number;
  readonly deliveredPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly lost: number;
  readonly errors: number;
  readonly rateLimited: number;
  /** Soketi CPU in millicores and peak RSS in MiB, per process. */
  readonly soketiCpuMillicores: number[];
  readonly soketiRssMiB: number[];
  readonly redisCpuMillicores: number;
  readonly generatorCpuMillicores: number;
  /** soketi_connected summed over the processes at the end of the window. */
  readonly soketiConnected: number;
  /** rate(soketi_ws_messages_sent_total) per process over the window (what the KEDA trigger reads). */
  readonly wsMessagesSentPerSecond: number[];
  readonly errorSamples: string[];
}

const spec = JSON.parse(process.env.STEP_SPEC ?? '') as StepSpec;
const CLK_TCK = 100;
const METRICS = spec.metricNames ?? REALTIME_SERVERS.soketi.metrics;

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after pid and comm.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMiB(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : 0;
}

async function metrics(port: number): Promise<string> {
  return (await httpGet(port, '/metrics')).body;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Payload { readonly t: number; readonly w: 0 | 1 }

/** Scheduled time of the first event waiting for a batch. */
function oldestPending(pending: readonly { event: PusherEvent }[]): number {
  return (JSON.parse(pending[0]!.event.data) as Payload).t;
}

async function main(): Promise<void> {
  const auth = await startAuthEndpoint(spec.app);
  const authAgent = new Agent({ keepAlive: true, maxSockets: LOAD_SHAPE.connectConcurrency });
  const presenceChannels = Math.ceil(spec.users / LOAD_SHAPE.usersPerPresenceChannel);
  const publicChannels = Array.from({ length: LOAD_SHAPE.publicChannels }, (_, i) => `marketplace-${i}`);
  const errorSamples: string[] = [];
  let errors = 0;
  const error = (what: string) => { errors++; if (errorSamples.length < 5) errorSamples.push(what); };

  // Measured deliveries: latency from the event's scheduled time, only for events of the window.
  const latencies: number[] = [];
  let deliveredInWindow = 0;
  const clients: PusherClient[] = [];
  const subscribersOf = new Map<string, number>();
  let next = 0;
  const connectOne = async (user: number) => {
    const port = spec.ports[user % spec.ports.length]!;
    try {
      const client = await PusherClient.connect(port, spec.app.key);
      client.onDelivery = (d) => {
        const payload = JSON.parse(d.data) as Payload;
        if (payload.w !== 1) return;
        deliveredInWindow++;
        latencies.push(d.receivedAt - payload.t);
      };
      const authorize = httpAuthorizer(auth.port, String(user), authAgent);
      const channels = [`${USER_CHANNEL_PREFIX}${user}`, `presence-team.${Math.floor(user / LOAD_SHAPE.usersPerPresenceChannel)}`, ...publicChannels];
      for (const channel of channels) {
        await client.subscribe(channel, authorize);
        subscribersOf.set(channel, (subscribersOf.get(channel) ?? 0) + 1);
      }
      clients.push(client);
    } catch (e) {
      error(`user ${user} on ${port}: ${(e as Error).message}`);
    }
  };
  await Promise.all(Array.from({ length: LOAD_SHAPE.connectConcurrency }, async () => {
    while (next < spec.users) await connectOne(next++);
  }));

  const broadcasters = spec.ports.map((port) => new Broadcaster(spec.app, port, LOAD_SHAPE.maxInFlight));
  const perUserPerSecond = spec.eventsPerUserPerMinute / 60;
  const sharedChannels = [...Array.from({ length: presenceChannels }, (_, i) => `presence-team.${i}`), ...publicChannels];
  const userRate = spec.users * perUserPerSecond;
  const sharedRate = sharedChannels.length * LOAD_SHAPE.sharedEventsPerChannelPerSecond;

  let inFlight = 0;
  let published = 0;
  let publishedInWindow = 0;
  let expectedInWindow = 0;
  let scheduledInWindow = 0;
  let rateLimited = 0;
  let userCursor = 0;
  let sharedCursor = 0;
  let portCursor = 0;

  const send = (events: { event: PusherEvent; recipients: number }[], inWindow: boolean) => {
    const b = broadcasters[portCursor++ % broadcasters.length]!;
    inFlight++;
    const call = spec.mode === 'batch' ? b.triggerBatch(events.map((e) => e.event)) : b.trigger(events[0]!.event);
    call.then((r) => {
      if (r.status === 200) {
        published += events.length;
        if (inWindow) { publishedInWindow += events.length; expectedInWindow += events.reduce((s, e) => s + e.recipients, 0); }
      } else if (r.status === 429) rateLimited += events.length;
      else error(`HTTP API ${r.status}: ${r.body.slice(0, 200)}`);
    }, (e: Error) => error(`HTTP API: ${e.message}`)).finally(() => { inFlight--; });
  };

  const scheduleFor = (seconds: number, inWindow: boolean) => new Promise<void>((resolve) => {
    const start = performance.now();
    let userDue = 0;
    let sharedDue = 0;
    let pending: { event: PusherEvent; recipients: number }[] = [];
    const tick = setInterval(() => {
      const now = performance.now();
      const elapsed = Math.min(seconds, (now - start) / 1000);
      const events: { event: PusherEvent; recipients: number }[] = [];
      // Scheduled time of each event (the k-th falls due at (k + 1) / rate), so a slow server shows
      // as latency, not as a slower publisher.
      const at = (k: number, rate: number) => start + ((k + 1) / rate) * 1000;
      while (userDue < Math.floor(userRate * elapsed)) {
        const channel = `${USER_CHANNEL_PREFIX}${userCursor++ % spec.users}`;
        events.push({ event: { name: 'listing.updated', channel, data: JSON.stringify({ t: at(userDue, userRate), w: inWindow ? 1 : 0 }) }, recipients: subscribersOf.get(channel) ?? 0 });
        userDue++;
      }
      while (sharedDue < Math.floor(sharedRate * elapsed)) {
        const channel = sharedChannels[sharedCursor++ % sharedChannels.length]!;
        events.push({ event: { name: 'marketplace.notice', channel, data: JSON.stringify({ t: at(sharedDue, sharedRate), w: inWindow ? 1 : 0 }) }, recipients: subscribersOf.get(channel) ?? 0 });
        sharedDue++;
      }
      if (inWindow) scheduledInWindow += events.length;
      pending.push(...events);
      const per = spec.mode === 'batch' ? LOAD_SHAPE.batchSize : 1;
      // A publisher with every slot busy drops the rest of this tick: the shortfall shows as published < scheduled.
      while (pending.length >= per && inFlight < LOAD_SHAPE.maxInFlight * broadcasters.length) send(pending.splice(0, per), inWindow);
      if (pending.length && now - oldestPending(pending) >= LOAD_SHAPE.batchMaxWaitMs) send(pending.splice(0), inWindow);
      if (inFlight >= LOAD_SHAPE.maxInFlight * broadcasters.length) pending = pending.slice(0, per - 1);
      if (elapsed >= seconds) {
        clearInterval(tick);
        if (pending.length) send(pending, inWindow);
        resolve();
      }
    }, 5);
  });

  await scheduleFor(LOAD_SHAPE.warmupSeconds, false);
  const cpu0 = spec.soketiPids.map(cpuSeconds);
  const redis0 = cpuSeconds(spec.redisPid);
  const gen0 = process.cpuUsage();
  const sent0 = await Promise.all(spec.metricsPorts.map(async (p) => metricValue(await metrics(p), METRICS.wsMessagesSent)));
  const t0 = performance.now();
  const rss = spec.soketiPids.map(rssMiB);
  const rssSampler = setInterval(() => spec.soketiPids.forEach((pid, i) => { rss[i] = Math.max(rss[i]!, rssMiB(pid)); }), 500);
  await scheduleFor(LOAD_SHAPE.measureSeconds, true);
  const window = (performance.now() - t0) / 1000;
  const cpu1 = spec.soketiPids.map(cpuSeconds);
  const redis1 = cpuSeconds(spec.redisPid);
  const gen = process.cpuUsage(gen0);
  const exposition1 = await Promise.all(spec.metricsPorts.map(metrics));
  // Drain: answers and deliveries still in flight, bounded.
  const drainEnd = performance.now() + LOAD_SHAPE.drainSeconds * 1000;
  while (performance.now() < drainEnd && (inFlight > 0 || deliveredInWindow < expectedInWindow)) await sleep(20);
  while (inFlight > 0 && performance.now() < drainEnd + 10_000) await sleep(20);
  clearInterval(rssSampler);

  for (const c of clients) errorSamples.length < 5 && c.errors.length && errorSamples.push(...c.errors.slice(0, 1));
  errors += clients.reduce((s, c) => s + c.errors.length, 0);
  latencies.sort((a, b) => a - b);
  const result: StepResult = {
    users: spec.users,
    connected: clients.length,
    scheduledPerSecond: Math.round(scheduledInWindow / LOAD_SHAPE.measureSeconds),
    publishedPerSecond: Math.round(publishedInWindow / window),
    deliveredPerSecond: Math.round(deliveredInWindow / window),
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    lost: Math.max(0, expectedInWindow - deliveredInWindow),
    errors,
    rateLimited,
    soketiCpuMillicores: cpu1.map((c, i) => Math.round(((c - cpu0[i]!) / window) * 1000)),
    soketiRssMiB: rss.map((r) => Math.round(r)),
    redisCpuMillicores: Math.round(((redis1 - redis0) / window) * 1000),
    generatorCpuMillicores: Math.round(((gen.user + gen.system) / 1e6 / window) * 1000),
    soketiConnected: exposition1.reduce((s, e) => s + metricValue(e, METRICS.connected), 0),
    wsMessagesSentPerSecond: exposition1.map((e, i) => Math.round((metricValue(e, METRICS.wsMessagesSent) - sent0[i]!) / window)),
    errorSamples,
  };
  for (const c of clients) c.close();
  for (const b of broadcasters) b.close();
  authAgent.destroy();
  await auth.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const guard = setTimeout(() => { process.stderr.write('load generator: step exceeded its time bound\n'); process.exit(2); },
  (LOAD_SHAPE.warmupSeconds + LOAD_SHAPE.measureSeconds + LOAD_SHAPE.drainSeconds + 120) * 1000);
guard.unref();
main().then(() => process.exit(0), (e) => { process.stderr.write(`load generator: ${(e as Error).stack}\n`); process.exit(1); });
