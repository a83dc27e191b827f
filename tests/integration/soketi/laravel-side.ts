/**
 * The two things Laravel does for Soketi, on loopback: the /broadcasting/auth endpoint (signs a
 * subscription with the app secret when routes/channels.php allows it) and the broadcaster
 * (a signed POST to the HTTP API per event, or /batch_events).
 */
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelAuth, signedPath, type Authorizer, type PusherApp, type PusherEvent } from './pusher-protocol.js';

/** Laravel's default user channel: `private-App.Models.User.{id}`. */
export const USER_CHANNEL_PREFIX = 'private-App.Models.User.';

/**
 * routes/channels.php of the app, as the test models it: a user may join only their own user
 * channel; presence channels are open to every user and carry their id.
 */
function allowed(userId: string, channel: string): boolean {
  if (channel.startsWith(USER_CHANNEL_PREFIX)) return channel === `${USER_CHANNEL_PREFIX}${userId}`;
  return channel.startsWith('presence-');
}

/** POST /broadcasting/auth?user=ID with socket_id and channel_name, form-encoded as pusher-js sends them. */
export async function startAuthEndpoint(app: PusherApp): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const form = new URLSearchParams(body);
      const userId = url.searchParams.get('user') ?? '';
      const socketId = form.get('socket_id') ?? '';
      const channel = form.get('channel_name') ?? '';
      if (req.method !== 'POST' || url.pathname !== '/broadcasting/auth' || !userId || !socketId || !allowed(userId, channel)) {
        res.writeHead(403).end();
        return;
      }
      const presence = channel.startsWith('presence-') ? { userId, userInfo: { id: userId } } : undefined;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(channelAuth(app, socketId, channel, presence)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** An Authorizer that asks the auth endpoint over HTTP, as user `userId`. */
export function httpAuthorizer(authPort: number, userId: string, agent?: Agent): Authorizer {
  return (socketId, channel) => new Promise((resolve, reject) => {
    const body = new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString();
    const req = request({ host: '127.0.0.1', port: authPort, method: 'POST', path: `/broadcasting/auth?user=${encodeURIComponent(userId)}`, agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`auth endpoint refused ${channel} for user ${userId}: ${res.statusCode}`))));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('auth endpoint timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export interface PublishResult {
  readonly status: number;
  readonly body: string;
}

/** Laravel's broadcaster against one Soketi: signed HTTP API calls over keep-alive connections. */
export class Broadcaster {
  readonly agent: Agent;
  constructor(readonly app: PusherApp, readonly port: number, maxSockets = 64) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POST /apps/{id}/events: one event to one or more channels. */
  trigger(event: PusherEvent): Promise<PublishResult> {
    return this.post(`/apps/${this.app.id}/events`, JSON.stringify({ name: event.name, channels: event.channels ?? [event.channel], data: event.data }));
  }

  /** POST /apps/{id}/batch_events: up to the app's maxEventBatchSize events, one channel each. */
  triggerBatch(events: readonly PusherEvent[]): Promise<PublishResult> {
    return this.post(`/apps/${this.app.id}/batch_events`, JSON.stringify({ batch: events.map((e) => ({ name: e.name, channel: e.channel ?? e.channels![0], data: e.data })) }));
  }

  close(): void {
    this.agent.destroy();
  }

  private post(path: string, body: string): Promise<PublishResult> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, method: 'POST', path: signedPath(this.app, 'POST', path, body), agent: this.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.setTimeout(10_000, () => req.destroy(new Error(`HTTP API timeout on 127.0.0.1:${this.port}`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
