/**
 * The JSON Schema of one environment: the single source of truth for every value that differs
 * between environments. The TypeScript type (`EnvironmentConfig`) is derived from it, ajv checks
 * it at load, and Terraform / Ansible variables are generated from the validated object.
 *
 * Cross-field rules that a schema cannot express (min <= max, limit >= request, IPs inside their
 * subnet, capacity invariants) live in `rules.ts`.
 */
import type { FromSchema } from 'json-schema-to-ts';

// ---------------------------------------------------------------------------------------------
// Reusable pieces
// ---------------------------------------------------------------------------------------------

/** Kubernetes CPU quantity in millicores or cores ("250m", "1", "1.5"). */
const cpuQuantity = { type: 'string', pattern: '^([0-9]+m|[0-9]+(\\.[0-9]+)?)$' } as const;
/** Kubernetes memory quantity in binary units ("256Mi", "2Gi"). */
const memoryQuantity = { type: 'string', pattern: '^[0-9]+(Ki|Mi|Gi)$' } as const;

const resources = {
  type: 'object',
  description: 'Container requests and limits. CPU limits are optional on purpose (throttling).',
  additionalProperties: false,
  required: ['requests', 'limits'],
  properties: {
    requests: {
      type: 'object',
      additionalProperties: false,
      required: ['cpu', 'memory'],
      properties: { cpu: cpuQuantity, memory: memoryQuantity },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      required: ['memory'],
      properties: { cpu: cpuQuantity, memory: memoryQuantity },
    },
  },
} as const;

const replicaBounds = {
  type: 'object',
  description: 'Horizontal scaling bounds: the autoscaler keeps replicas within [min, max].',
  additionalProperties: false,
  required: ['min', 'max'],
  properties: {
    min: { type: 'integer', minimum: 0, maximum: 500 },
    max: { type: 'integer', minimum: 1, maximum: 500 },
  },
} as const;

/**
 * An image reference pinned by tag and/or digest. `latest` and untagged references are rejected:
 * a moving tag makes a rollout unreproducible and a diff review meaningless.
 */
const imageRef = {
  type: 'string',
  pattern:
    '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*' +
    '(:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$',
  errorMessage: 'must be pinned by tag or digest (registry/name:tag or name@sha256:...), never "latest"',
} as const;

const ipv4 = { type: 'string', format: 'ipv4' } as const;
/**
 * IPv4 CIDR. terraform-provider-linode types firewall rule addresses as cidrtypes.IPv4Prefix,
 * which parses with Go's netip.ParsePrefix: octets 0-255 without leading zeros.
 */
const cidr = {
  type: 'string',
  pattern: '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$',
  errorMessage: 'must be an IPv4 CIDR a.b.c.d/n with octets 0-255 without leading zeros and n 0-32',
} as const;
const dnsName = {
  type: 'string',
  pattern: '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$',
} as const;
/** A Kubernetes object name fragment (RFC 1123 label). */
const k8sName = { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$' } as const;
/** Linode plan id, e.g. g6-standard-4 or g6-dedicated-8 (see linode-plans.ts). */
const linodePlan = { type: 'string', pattern: '^g[0-9]+-[a-z]+-[0-9]+$' } as const;

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

const images = {
  type: 'object',
  description: 'Every image the environment runs, pinned. The four app images come from the app CI.',
  additionalProperties: false,
  required: [
    'nginx', 'phpFpm', 'cli', 'cron',
    'soketi', 'meilisearch', 'redis', 'redisExporter', 'phpFpmExporter', 'nginxExporter',
  ],
  properties: {
    nginx: { ...imageRef, description: 'The app web server image (nginx with public/ assets).' },
    phpFpm: { ...imageRef, description: 'The app PHP processor image (php-fpm).' },
    cli: { ...imageRef, description: 'The app CLI image (queue workers, migrations).' },
    cron: { ...imageRef, description: 'The app Cron image (scheduler).' },
    soketi: imageRef,
    /** Our own image of the cargo-built Sockudo binary (decision 0007); needed when realtime.server is sockudo. */
    sockudo: imageRef,
    meilisearch: imageRef,
    redis: imageRef,
    redisExporter: imageRef,
    phpFpmExporter: imageRef,
    nginxExporter: imageRef,
  },
} as const;

const laravel = {
  type: 'object',
  description: 'Laravel settings the platform must agree with (queue keys, env, URLs).',
  additionalProperties: false,
  required: ['appName', 'appEnv', 'redisPrefix', 'logChannel'],
  properties: {
    appName: { type: 'string', minLength: 1 },
    // Laravel's APP_ENV; `local` is left out on purpose (it turns on local-only debugging paths).
    appEnv: { type: 'string', enum: ['production', 'staging', 'development', 'testing'] },
    /**
     * REDIS_PREFIX as the app configures it. Laravel's queue key is `<prefix>queues:<name>`; the
     * skeleton default changed in 2025 (`app_database_` -> `app-database-`), so it is explicit here.
     */
    redisPrefix: { type: 'string', pattern: '^[A-Za-z0-9_:.-]*$' },
    logChannel: { type: 'string', enum: ['stderr', 'stack', 'daily'] },
  },
} as const;

const web = {
  type: 'object',
  description: 'The web pod: nginx and php-fpm side by side, FastCGI over localhost.',
  additionalProperties: false,
  required: ['replicas', 'nginx', 'phpFpm', 'targetCpuPercent'],
  properties: {
    replicas: replicaBounds,
    nginx: {
      type: 'object',
      additionalProperties: false,
      required: ['resources', 'keepaliveTimeoutSeconds'],
      properties: {
        resources,
        /**
         * nginx `keepalive_timeout` for the Gateway's connections. The Gateway must close idle
         * upstream connections first (edge.upstreamIdleTimeoutSeconds is below this), or a request
         * racing nginx's close gets a reset (503).
         */
        keepaliveTimeoutSeconds: { type: 'integer', minimum: 10, maximum: 3600 },
      },
    },
    phpFpm: {
      type: 'object',
      additionalProperties: false,
      required: [
        'resources', 'memoryPerProcessMiB', 'maxRequests', 'requestTerminateTimeoutSeconds',
        'opcacheMemoryMiB',
      ],
      properties: {
        resources,
        /** Measured RSS of one busy php-fpm child; pm.max_children = usable memory / this. */
        memoryPerProcessMiB: { type: 'integer', minimum: 16, maximum: 1024 },
        maxRequests: { type: 'integer', minimum: 50, maximum: 100000 },
        requestTerminateTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 600 },
        opcacheMemoryMiB: { type: 'integer', minimum: 32, maximum: 1024 },
      },
    },
    targetCpuPercent: { type: 'integer', minimum: 20, maximum: 95 },
  },
} as const;

const workerGroup = {
  type: 'object',
  description: 'One Deployment of `php artisan queue:work` processing the listed queues in order.',
  additionalProperties: false,
  required: [
    'name', 'queues', 'replicas', 'resources', 'timeoutSeconds', 'retryAfterSeconds',
    'maxJobs', 'maxTimeSeconds', 'jobsPerReplica',
  ],
  properties: {
    name: k8sName,
    queues: { type: 'array', minItems: 1, uniqueItems: true, items: k8sName },
    replicas: replicaBounds,
    resources,
    /** `--timeout`: a job running longer is killed. Must stay below retryAfterSeconds. */
    timeoutSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
    /** The queue connection's `retry_after` in config/queue.php. */
    retryAfterSeconds: { type: 'integer', minimum: 2, maximum: 86400 },
    /** `--max-jobs`: recycle the process after this many jobs (leaks, stale connections). */
    maxJobs: { type: 'integer', minimum: 1, maximum: 100000 },
    /** `--max-time`: recycle the process after this many seconds. */
    maxTimeSeconds: { type: 'integer', minimum: 60, maximum: 86400 },
    /** Queue backlog one replica is expected to absorb: KEDA's listLength target. */
    jobsPerReplica: { type: 'integer', minimum: 1, maximum: 100000 },
    /**
     * Let KEDA scale this group to 0 replicas while its queues are empty (replicas.min must then
     * be 0). Off by default: the first job after an idle period waits for a pod to start.
     */
    scaleToZero: { type: 'boolean' },
  },
} as const;

const realtime = {
  type: 'object',
  description: 'Which Pusher-protocol server runs behind the soketi Service (decision 0007).',
  additionalProperties: false,
  required: ['server'],
  properties: {
    /** soketi: Soketi 1.6.1 (images.soketi); sockudo: Sockudo 5.2.0 (images.sockudo). */
    server: { type: 'string', enum: ['soketi', 'sockudo'] },
  },
} as const;

const soketi = {
  type: 'object',
  description:
    'The websocket server (Pusher protocol) behind the soketi Service, whichever realtime.server runs: its ' +
    'per-pod figures are measured for that server.',
  additionalProperties: false,
  required: ['replicas', 'resources', 'connectionsPerPod', 'eventsPerSecondPerPod', 'shutdownGraceSeconds'],
  properties: {
    replicas: replicaBounds,
    resources,
    /**
     * Connections one pod serves at its CPU request with each carrying capacity.eventsPerUserPerMinute
     * (measured by tests/bench/soketi.sh, results in tests/bench/results/soketi.json).
     */
    connectionsPerPod: { type: 'integer', minimum: 10, maximum: 100000 },
    /**
     * Events per second one pod delivers to its websockets at its CPU request, with the Redis
     * adapter's cost of the other pods' events (measured like connectionsPerPod).
     */
    eventsPerSecondPerPod: { type: 'integer', minimum: 10, maximum: 1000000 },
    shutdownGraceSeconds: { type: 'integer', minimum: 5, maximum: 600 },
  },
} as const;

const meilisearch = {
  type: 'object',
  description: 'Meilisearch: one stateful pod, sized vertically (it cannot scale out).',
  additionalProperties: false,
  required: ['resources', 'storageGiB', 'snapshotIntervalSeconds'],
  properties: {
    resources,
    storageGiB: { type: 'integer', minimum: 10, maximum: 10000 },
    snapshotIntervalSeconds: { type: 'integer', minimum: 600, maximum: 604800 },
  },
} as const;

const redisInstance = {
  type: 'object',
  additionalProperties: false,
  required: ['resources', 'maxmemoryMiB'],
  properties: {
    resources,
    /** Redis `maxmemory`; must leave headroom under the container memory limit. */
    maxmemoryMiB: { type: 'integer', minimum: 32, maximum: 262144 },
    /** Persistent volume size; only meaningful for the queue/session instance. */
    storageGiB: { type: 'integer', minimum: 10, maximum: 10000 },
  },
} as const;

const redis = {
  type: 'object',
  description: 'Redis: a cache instance (allkeys-lru, no persistence) and a queue/session instance.',
  additionalProperties: false,
  required: ['merged', 'cache', 'queue'],
  properties: {
    /** Run one instance for everything (small environments). The queue instance is used. */
    merged: { type: 'boolean' },
    cache: redisInstance,
    queue: redisInstance,
  },
} as const;

const capacity = {
  type: 'object',
  description: 'Load the environment must carry at its maximum scale.',
  additionalProperties: false,
  required: ['peakConcurrentUsers', 'eventsPerUserPerMinute', 'nodeBalancers', 'connectionsPerNodeBalancer'],
  properties: {
    peakConcurrentUsers: { type: 'integer', minimum: 1, maximum: 10000000 },
    /**
     * Websocket events per user per minute the app publishes (after coalescing); the requirements
     * quote up to 1000 raw events, which the app merges (docs/decisions/0007).
     */
    eventsPerUserPerMinute: { type: 'integer', minimum: 1, maximum: 100000 },
    nodeBalancers: { type: 'integer', minimum: 1, maximum: 20 },
    /** Linode NodeBalancer concurrent connection ceiling (about 10,000). */
    connectionsPerNodeBalancer: { type: 'integer', minimum: 1000, maximum: 100000 },
  },
} as const;

const nodePool = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'min', 'max'],
  properties: {
    name: k8sName,
    type: linodePlan,
    /**
     * Cluster autoscaler bounds (LKE allows 1-99 per pool). The pool sets no `count`, which the
     * provider would hold to >= 1 (lke/schema_resource.go: validation.IntAtLeast(1)); min >= 1
     * keeps the autoscaler to the same floor.
     */
    min: { type: 'integer', minimum: 1, maximum: 99 },
    max: { type: 'integer', minimum: 1, maximum: 99 },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

const cluster = {
  type: 'object',
  description: 'The LKE cluster (Terraform variables are generated from this).',
  additionalProperties: false,
  required: ['label', 'region', 'kubernetesVersion', 'highAvailability', 'pools'],
  properties: {
    label: k8sName,
    region: { type: 'string', pattern: '^[a-z]{2}-[a-z]+(-[0-9])?$' },
    /** Minor version LKE offers; also selects the schemas manifests are validated against. */
    kubernetesVersion: { type: 'string', pattern: '^1\\.[0-9]{2}$' },
    highAvailability: { type: 'boolean' },
    pools: { type: 'array', minItems: 1, items: nodePool },
  },
} as const;

const network = {
  type: 'object',
  description: 'VPC layout. Must stay clear of LKE pod 10.2.0.0/16 and service 10.128.0.0/16.',
  additionalProperties: false,
  required: ['vpcLabel', 'clusterSubnet', 'databaseSubnet', 'adminCidrs'],
  properties: {
    vpcLabel: k8sName,
    clusterSubnet: cidr,
    databaseSubnet: cidr,
    /**
     * Addresses allowed to reach SSH and the Kubernetes API. Never 0.0.0.0/0. At least one: the
     * firewall rule's `ipv4` list has listvalidator.SizeAtLeast(1) in the provider.
     */
    adminCidrs: { type: 'array', minItems: 1, items: cidr },
  },
} as const;

const dbHost = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'privateIp'],
  properties: {
    name: k8sName,
    /** Fixed VPC address, known to Kubernetes endpoints and Ansible without a lookup. */
    privateIp: ipv4,
  },
} as const;

const database = {
  type: 'object',
  description: 'MariaDB VMs: a primary and read replicas (Terraform + Ansible variables).',
  additionalProperties: false,
  required: [
    'engine', 'version', 'plan', 'primary', 'replicas', 'maxConnections', 'bufferPoolFraction',
    'schema', 'backupRetentionDays', 'adminConnectionReserve', 'recoveryPointObjectiveMinutes',
  ],
  properties: {
    engine: { type: 'string', enum: ['mariadb'] },
    version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$' },
    plan: linodePlan,
    primary: dbHost,
    replicas: { type: 'array', minItems: 0, maxItems: 8, items: dbHost },
    maxConnections: { type: 'integer', minimum: 50, maximum: 10000 },
    /** innodb_buffer_pool_size as a fraction of the VM's RAM. */
    bufferPoolFraction: { type: 'number', minimum: 0.1, maximum: 0.8 },
    schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,63}$' },
    backupRetentionDays: { type: 'integer', minimum: 1, maximum: 365 },
    /** Connections kept free for admins, replication and the exporter. */
    adminConnectionReserve: { type: 'integer', minimum: 5, maximum: 500 },
    /**
     * At most this many minutes of committed writes may be lost with the database host's disk:
     * binary logs are closed and shipped to Object Storage this often (a cron step, so it must
     * divide 60).
     */
    recoveryPointObjectiveMinutes: { type: 'integer', minimum: 1, maximum: 60 },
  },
} as const;

const edge = {
  type: 'object',
  description: 'The public edge: the Gateway (Envoy Gateway) behind a NodeBalancer, and TLS.',
  additionalProperties: false,
  required: ['acmeEmail', 'gatewayReplicas', 'upstreamIdleTimeoutSeconds'],
  properties: {
    /** Let's Encrypt account e-mail; certificates use DNS-01 (proxy protocol breaks HTTP-01). */
    acmeEmail: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$' },
    /** Envoy proxy replicas behind the NodeBalancer: at least 2, so a node drain keeps one (PDB). */
    gatewayReplicas: { type: 'integer', minimum: 2, maximum: 20 },
    /**
     * Envoy closes an idle connection to the app's pods after this (BackendTrafficPolicy
     * timeout.http.connectionIdleTimeout; Envoy's default is 1 h). Below web.nginx.keepaliveTimeoutSeconds.
     */
    upstreamIdleTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 3600 },
  },
} as const;

const mib = (maximum: number) => ({ type: 'integer', minimum: 1, maximum }) as const;

const ephemeralStorage = {
  type: 'object',
  description:
    'Node disk the pods may use: each container\'s request = limit, and every emptyDir\'s sizeLimit. ' +
    'A pod over its limit is evicted alone, before it can fill the node and get every pod there evicted.',
  additionalProperties: false,
  required: ['containerMiB', 'emptyDirMiB', 'nodeSystemGiB'],
  properties: {
    /** Per container: its logs as the kubelet keeps them (5 x 10 MiB rotated) and its writable layer (the root fs is read-only). */
    containerMiB: mib(10240),
    /** sizeLimit of each disk-backed emptyDir (the memory-backed Redis auth dir is sized in code). */
    emptyDirMiB: {
      type: 'object',
      additionalProperties: false,
      required: ['tmp', 'laravelRuntime', 'laravelStorage', 'meilisearchTmp', 'soketiTmp', 'redisCacheData'],
      properties: {
        /** /tmp of Laravel pods (uploads in flight, nginx temp files in the web pod). */
        tmp: mib(102400),
        /** Laravel's config/route/event/view caches (APP_*_CACHE). */
        laravelRuntime: mib(10240),
        /** storage/framework: sessions, file cache, compiled views. */
        laravelStorage: mib(102400),
        meilisearchTmp: mib(102400),
        soketiTmp: mib(10240),
        /** The cache Redis' data dir (no persistence: only a replica sync or a BGSAVE would write). */
        redisCacheData: mib(102400),
      },
    },
    /** Node disk the pods cannot have: OS, container images, kubelet state. */
    nodeSystemGiB: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

const secrets = {
  type: 'object',
  description: "How this environment's Secrets are encrypted in git (synth writes .sops.yaml from it).",
  additionalProperties: false,
  required: ['ageRecipient'],
  properties: {
    /** Public half of the environment's age key; the private half lives only in the cluster. */
    ageRecipient: { type: 'string', pattern: '^age1[02-9ac-hj-np-z]{58}$', errorMessage: 'must be an age public key (age1 + 58 bech32 characters; age-keygen -y prints it)' },
  },
} as const;

// ---------------------------------------------------------------------------------------------
// The environment
// ---------------------------------------------------------------------------------------------

export const environmentSchema = {
  $id: 'https://platform.marketplace.internal/schemas/environment.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'name', 'namespace', 'domains', 'images', 'laravel', 'web', 'workers', 'scheduler', 'realtime', 'soketi',
    'meilisearch', 'redis', 'capacity', 'cluster', 'network', 'database', 'edge', 'ephemeralStorage',
    'secrets',
  ],
  properties: {
    name: k8sName,
    namespace: k8sName,
    domains: {
      type: 'object',
      additionalProperties: false,
      required: ['app', 'websockets'],
      properties: { app: dnsName, websockets: dnsName },
    },
    images,
    laravel,
    web,
    workers: { type: 'array', minItems: 1, items: workerGroup },
    scheduler: {
      type: 'object',
      additionalProperties: false,
      required: ['resources'],
      properties: { resources },
    },
    realtime,
    soketi,
    meilisearch,
    redis,
    capacity,
    cluster,
    network,
    database,
    edge,
    ephemeralStorage,
    secrets,
  },
} as const;

export type EnvironmentConfig = FromSchema<typeof environmentSchema>;
export type Resources = FromSchema<typeof resources>;
export type ReplicaBounds = FromSchema<typeof replicaBounds>;
export type WorkerGroup = FromSchema<typeof workerGroup>;
export type NodePool = FromSchema<typeof nodePool>;
export type DbHost = FromSchema<typeof dbHost>;
export type EphemeralStorage = FromSchema<typeof ephemeralStorage>;
