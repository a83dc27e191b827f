/**
 * Every Secret the workloads read, and the keys in it: the one list the GitOps layer ships as
 * SOPS-encrypted files per environment. A test checks that every reference made by a workload is
 * declared here, so a missing secret fails CI, not the rollout.
 *
 * Each value lives in exactly one Secret and every workload that needs it reads that key (the
 * Redis password is read by Redis, its exporter, Soketi and Laravel from `redis-auth`), so a
 * rotation is one edit and two readers can never disagree.
 */
export const SECRETS = {
  /** Laravel's own secrets. */
  app: {
    name: 'app-secrets',
    keys: [
      'APP_KEY',
      'DB_PASSWORD',
      // A Meilisearch API key with the actions the app needs (the "Default Admin API Key" or
      // narrower), never the master key: the master key stays with Meilisearch alone.
      'MEILISEARCH_KEY',
    ],
  },
  /**
   * The migration user's password (DDL rights on the schema). Only the migrations Job reads it;
   * the runtime pods log in with the DML-only user from app-secrets.
   */
  databaseMigrations: { name: 'database-migrations', keys: ['DB_PASSWORD'] },
  /** requirepass of both Redis instances. */
  redis: { name: 'redis-auth', keys: ['REDIS_PASSWORD'] },
  /** Meilisearch's master key (derives every API key; only the Meilisearch pod reads it). */
  meilisearch: { name: 'meilisearch-auth', keys: ['MEILI_MASTER_KEY'] },
  /** The Pusher-protocol app credentials, shared by Soketi (server) and Laravel (publisher). */
  soketi: { name: 'soketi-app', keys: ['PUSHER_APP_KEY', 'PUSHER_APP_SECRET'] },
  /**
   * The CA that signed the MariaDB servers' certificates (made by the Ansible role, see
   * docs/database.md). MariaDB requires TLS from the app, so every Laravel container mounts it;
   * it is not secret, but shipping it with the secrets keeps one rotation flow.
   */
  databaseCa: { name: 'mariadb-ca', keys: ['ca.pem'] },
} as const;

/** Names and keys of every declared Secret, for checks that walk manifests. */
export function declaredSecretKeys(): Map<string, Set<string>> {
  return new Map(Object.values(SECRETS).map((s) => [s.name, new Set<string>(s.keys)]));
}

/** An env var read from a Secret key that is declared above (typos fail at compile time). */
export function secretEnv<S extends (typeof SECRETS)[keyof typeof SECRETS]>(
  secret: S,
  key: S['keys'][number],
  envName: string = key,
) {
  return { name: envName, valueFrom: { secretKeyRef: { name: secret.name, key } } };
}
