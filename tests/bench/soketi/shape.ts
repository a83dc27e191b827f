/**
 * The load shape of the Soketi benchmark (tests/bench/soketi.sh): how the app's users subscribe
 * and what the broadcaster sends. The per-user event rate is not here: it is the environment's
 * capacity.eventsPerUserPerMinute (BENCH_EVENTS_PER_USER_PER_MINUTE overrides it for a remedy run).
 *
 * Each user (one browser tab, one websocket) subscribes like the app's Echo client does:
 * - `private-App.Models.User.{id}`: every per-user event (notifications, listing and order
 *   updates of that user) goes here, authorised through /broadcasting/auth with the app secret;
 * - one presence channel per `usersPerPresenceChannel` users (the team/shop page: who is online);
 * - `publicChannels` public channels every user is on (marketplace-wide announcements).
 * The shared channels get `sharedEventsPerChannelPerSecond` each, on top of the per-user events.
 */
export const LOAD_SHAPE = {
  environment: 'production',
  usersPerPresenceChannel: 50,
  publicChannels: 1,
  sharedEventsPerChannelPerSecond: 1,
  /** Users per step (all processes together); a series stops at the first step that breaks the target. */
  steps: [10, 20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1600, 2000, 2400, 3200],
  warmupSeconds: 2,
  measureSeconds: 10,
  /** Time after the last publish for deliveries still in flight; later ones count as lost. */
  drainSeconds: 2,
  /** Series per configuration; configurations alternate within a repeat. */
  repeats: 3,
  /** Publishes in flight at once (Laravel's php-fpm and worker processes publishing in parallel). */
  maxInFlight: 256,
  /** The /batch_events run: events per call (Soketi's default SOKETI_EVENT_MAX_BATCH_SIZE). */
  batchSize: 10,
  /** Websocket connects (with their auth calls) in parallel while a step ramps up. */
  connectConcurrency: 50,
} as const;

/** What a step must meet; the knee is the last step that meets it. */
export const TARGET = {
  p99Ms: 500,
  lost: 0,
  /** Published at least this share of the scheduled events (else Soketi's HTTP API is the limit). */
  minPublishedShare: 0.98,
} as const;
