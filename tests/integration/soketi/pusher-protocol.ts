/**
 * The Pusher protocol as the app speaks it, for the Soketi fan-out test and the load generator:
 * - the HTTP API signature Laravel's broadcaster (pusher-php-server) puts on every publish;
 * - the channel authorisation Laravel's /broadcasting/auth returns (private and presence);
 * - a websocket client that connects and subscribes the way pusher-js does.
 * `ws` is the copy Soketi's own install ships (the platform repo has no websocket dependency).
 */
import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';

const PLATFORM_CACHE = process.env.PLATFORM_CACHE ?? join(process.env.HOME ?? '/root', '.cache/marketplace-platform');
/** Soketi 1.6.1 installed by .ci/install.d/46-soketi.sh. */
export const SOKETI_PACKAGE_DIR = join(PLATFORM_CACHE, 'npm/soketi-current/node_modules/@soketi/soketi');

export interface PusherApp {
  readonly id: string;
  readonly key: string;
  readonly secret: string;
}

/** One event as the HTTP API takes it: `data` is a JSON string, as the broadcaster encodes it. */
export interface PusherEvent {
  readonly name: string;
  readonly channels?: readonly string[];
  readonly channel?: string;
  readonly data: string;
}

/**
 * Path and query of a signed HTTP API request (auth_version 1.0): HMAC-SHA256 over
 * "METHOD\npath\nsorted query", the body's MD5 in the query.
 */
export function signedPath(app: PusherApp, method: string, path: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const params: Record<string, string> = {
    auth_key: app.key,
    auth_timestamp: String(timestampSeconds),
    auth_version: '1.0',
    body_md5: createHash('md5').update(body).digest('hex'),
  };
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  const signature = createHmac('sha256', app.secret).update(`${method}\n${path}\n${query}`).digest('hex');
  return `${path}?${query}&auth_signature=${signature}`;
}

/** What Laravel's /broadcasting/auth answers for a private or presence channel. */
export function channelAuth(app: PusherApp, socketId: string, channel: string, presence?: { userId: string; userInfo?: object }): { auth: string; channel_data?: string } {
  const channelData = presence ? JSON.stringify({ user_id: presence.userId, user_info: presence.userInfo ?? {} }) : undefined;
  const signed = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  const auth = `${app.key}:${createHmac('sha256', app.secret).update(signed).digest('hex')}`;
  return channelData === undefined ? { auth } : { auth, channel_data: channelData };
}

/** The websocket URL pusher-js opens (protocol 7). */
export function websocketUrl(port: number, key: string): string {
  return `ws://127.0.0.1:${port}/app/${key}?protocol=7&client=js&version=8.4.0&flash=false`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WebSocketClass = any;
let wsClass: WebSocketClass | undefined;
/** The `ws` constructor from Soketi's install. */
export async function webSocketClass(): Promise<WebSocketClass> {
  wsClass ??= (await import(join(SOKETI_PACKAGE_DIR, '../../ws/index.js'))).default;
  return wsClass;
}

/** A delivered app event, with the time it arrived (performance.now(), same clock as the publisher). */
export interface Delivery {
  readonly event: string;
  readonly channel: string;
  readonly data: string;
  readonly receivedAt: number;
}

/** Authorises one subscription: what pusher-js gets back from the app's auth endpoint. */
export type Authorizer = (socketId: string, channel: string) => Promise<{ auth: string; channel_data?: string }>;

/** A websocket client speaking the Pusher protocol like pusher-js: connect, subscribe, pong. */
export class PusherClient {
  private readonly pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  /** pusher:error messages Soketi sent (rate limits, over-quota connections). */
  readonly errors: string[] = [];
  onDelivery: (d: Delivery) => void = () => {};

  private constructor(readonly ws: WebSocketClass, readonly socketId: string) {
    ws.on('message', (raw: Buffer) => this.receive(raw.toString()));
    ws.on('close', () => { for (const p of this.pending.values()) p.reject(new Error('websocket closed')); this.pending.clear(); });
  }

  /** Opens the websocket and waits for pusher:connection_established (bounded by timeoutMs). */
  static async connect(port: number, key: string, timeoutMs = 10_000): Promise<PusherClient> {
    const WebSocket = await webSocketClass();
    const ws = new WebSocket(websocketUrl(port, key));
    const socketId = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no pusher:connection_established from 127.0.0.1:${port} within ${timeoutMs} ms`)); }, timeoutMs);
      const first = (raw: Buffer) => {
        const msg = JSON.parse(raw.toString());
        clearTimeout(timer);
        ws.off('message', first);
        if (msg.event === 'pusher:connection_established') resolve(JSON.parse(msg.data).socket_id);
        else { ws.terminate(); reject(new Error(`Soketi refused the connection: ${raw.toString()}`)); }
      };
      ws.on('message', first);
      ws.once('error', (e: Error) => { clearTimeout(timer); reject(e); });
    });
    return new PusherClient(ws, socketId);
  }

  /** Subscribes (authorised for private-/presence- channels) and waits for the server's answer. */
  async subscribe(channel: string, authorize?: Authorizer, timeoutMs = 10_000): Promise<void> {
    const needsAuth = channel.startsWith('private-') || channel.startsWith('presence-');
    if (needsAuth && !authorize) throw new Error(`${channel} needs an authorizer`);
    const auth = needsAuth ? await authorize!(this.socketId, channel) : {};
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(channel); reject(new Error(`no subscription answer for ${channel} within ${timeoutMs} ms`)); }, timeoutMs);
      this.pending.set(channel, { resolve: () => { clearTimeout(timer); resolve(); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      this.ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, ...auth } }));
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private receive(text: string): void {
    const receivedAt = performance.now();
    const msg = JSON.parse(text) as { event: string; channel?: string; data?: unknown };
    if (msg.event === 'pusher_internal:subscription_succeeded' && msg.channel) {
      this.pending.get(msg.channel)?.resolve();
      this.pending.delete(msg.channel);
    } else if (msg.event === 'pusher:subscription_error' && msg.channel) {
      this.pending.get(msg.channel)?.reject(new Error(`subscription to ${msg.channel} refused: ${JSON.stringify(msg.data)}`));
      this.pending.delete(msg.channel);
    } else if (msg.event === 'pusher:ping') {
      this.ws.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
    } else if (msg.event === 'pusher:error') {
      this.errors.push(JSON.stringify(msg.data));
    } else if (!msg.event.startsWith('pusher') && msg.channel) {
      this.onDelivery({ event: msg.event, channel: msg.channel, data: String(msg.data), receivedAt });
    }
  }
}
