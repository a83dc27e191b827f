/**
 * Two Soketi processes with production's Deployment env on one Redis (the generated redis.conf),
 * as two pods behind the Service: an event Laravel publishes through process A reaches a client
 * connected to process B (the Redis adapter), and at low load none is lost or reordered.
 * Started by tests/suites/46-soketi-fanout.sh; loopback ports 16011-16012, 19611-19612, 16392.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broadcaster, USER_CHANNEL_PREFIX, httpAuthorizer, startAuthEndpoint } from './laravel-side.js';
import { PusherClient, type Delivery, type PusherApp } from './pusher-protocol.js';
import { soketiManifest, startManifestRedis, startSoketi, type ServerProcess } from './soketi-servers.js';

const ENVIRONMENT = 'production';
const PORTS = { soketiA: 16011, soketiB: 16012, metricsA: 19611, metricsB: 19612, redis: 16392 } as const;
const REDIS_PASSWORD = 'fanout-test-redis';
const app: PusherApp = { id: soketiManifest(ENVIRONMENT).env.SOKETI_DEFAULT_APP_ID!, key: 'fanout-test-key', secret: 'fanout-test-secret' };
/** Low load: well under every limit, so any loss is the adapter's. */
const LOW_LOAD = { events: 200, perSecond: 50 } as const;

const dir = mkdtempSync(join(tmpdir(), 'soketi-fanout-'));
const servers: ServerProcess[] = [];
const clients: PusherClient[] = [];
let auth: Awaited<ReturnType<typeof startAuthEndpoint>>;
let broadcaster: Broadcaster;

beforeAll(async () => {
  servers.push(await startManifestRedis(ENVIRONMENT, dir, PORTS.redis, REDIS_PASSWORD));
  const common = { environment: ENVIRONMENT, dir, redisPort: PORTS.redis, redisPassword: REDIS_PASSWORD, app };
  servers.push(...await Promise.all([
    startSoketi({ ...common, port: PORTS.soketiA, metricsPort: PORTS.metricsA }),
    startSoketi({ ...common, port: PORTS.soketiB, metricsPort: PORTS.metricsB }),
  ]));
  auth = await startAuthEndpoint(app);
  broadcaster = new Broadcaster(app, PORTS.soketiA, 4);
});

afterAll(async () => {
  for (const c of clients) c.close();
  broadcaster?.close();
  await auth?.close();
  for (const s of servers.reverse()) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A user's client on one process, subscribed to their own user channel (authorised by the endpoint). */
async function userClient(port: number, userId: string): Promise<{ client: PusherClient; channel: string; received: Delivery[] }> {
  const client = await PusherClient.connect(port, app.key);
  clients.push(client);
  const channel = `${USER_CHANNEL_PREFIX}${userId}`;
  await client.subscribe(channel, httpAuthorizer(auth.port, userId));
  const received: Delivery[] = [];
  client.onDelivery = (d) => received.push(d);
  return { client, channel, received };
}

async function waitForCount(received: readonly unknown[], count: number, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (received.length < count && Date.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 50));
}

describe('Soketi fan-out over the Redis adapter (production env)', () => {
  it('delivers an event published through process A to a client on process B', async () => {
    const b = await userClient(PORTS.soketiB, '41');
    const published = await broadcaster.trigger({ name: 'listing.updated', channel: b.channel, data: JSON.stringify({ id: 42 }) });
    expect(published.status, published.body).toBe(200);
    await waitForCount(b.received, 1, 5000);
    expect(b.received.map((d) => [d.channel, d.event, JSON.parse(d.data)])).toEqual([[b.channel, 'listing.updated', { id: 42 }]]);
  });

  it('refuses a subscription to another user\'s channel (the auth endpoint signs only the own one)', async () => {
    const client = await PusherClient.connect(PORTS.soketiB, app.key);
    clients.push(client);
    await expect(client.subscribe(`${USER_CHANNEL_PREFIX}7`, httpAuthorizer(auth.port, '8'))).rejects.toThrow(/refused/);
  });

  it(`loses none of ${LOW_LOAD.events} events at ${LOW_LOAD.perSecond}/s, in order, on either process`, async () => {
    const [onA, onB] = await Promise.all([userClient(PORTS.soketiA, '51'), userClient(PORTS.soketiB, '52')]);
    const statuses: number[] = [];
    const sends: Promise<void>[] = [];
    for (let seq = 0; seq < LOW_LOAD.events; seq++) {
      const target = seq % 2 === 0 ? onA : onB;
      sends.push(broadcaster.trigger({ name: 'listing.updated', channel: target.channel, data: JSON.stringify({ seq }) }).then((r) => { statuses.push(r.status); }));
      // Sequential per channel on the wire: each publish waits for the previous one's answer.
      await sends.at(-1);
      await new Promise((r) => setTimeout(r, 1000 / LOW_LOAD.perSecond));
    }
    await Promise.all(sends);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const half = LOW_LOAD.events / 2;
    await Promise.all([waitForCount(onA.received, half, 10_000), waitForCount(onB.received, half, 10_000)]);
    const seqs = (r: Delivery[]) => r.map((d) => (JSON.parse(d.data) as { seq: number }).seq);
    expect(seqs(onA.received)).toEqual(Array.from({ length: half }, (_, i) => i * 2));
    expect(seqs(onB.received)).toEqual(Array.from({ length: half }, (_, i) => i * 2 + 1));
    expect([...onA.client.errors, ...onB.client.errors]).toEqual([]);
  });
});
