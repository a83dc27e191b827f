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
  sharedEventsPerChannelPerSecond: 0.2,
  /**
   * Users of the first step (all processes together); each next step doubles them until one breaks
   * the target, then `refinements` steps bisect between the last good and the first broken one.
   * BENCH_START_USERS overrides the start (a remedy run starts higher).
   */
  startUsers: 10,
  refinements: 2,
  /** No step goes beyond this many users (the NodeBalancer's order of magnitude). */
  maxUsers: 12800,
  warmupSeconds: 2,
  measureSeconds: 8,
  /** Time after the last publish for deliveries still in flight; later ones count as lost. */
  drainSeconds: 2,
  /** Series per configuration; configurations alternate within a repeat. */
  repeats: 3,
  /** Publishes in flight at once (Laravel's php-fpm and worker processes publishing in parallel). */
  maxInFlight: 256,
  /** The /batch_events run: events per call (Soketi's default SOKETI_EVENT_MAX_BATCH_SIZE). */
  batchSize: 10,
  /** A partial batch goes out once its oldest event waited this long (a publisher flushing on size or time). */
  batchMaxWaitMs: 50,
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
