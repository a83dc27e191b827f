/**
 * Every Secret the workloads read, and the keys in it. The GitOps layer ships these as
 * SOPS-encrypted files per environment, and a test checks that every reference made by a
 * workload exists there, so a missing secret fails CI, not the rollout.
 */
export const SECRETS = {
  /** Laravel's own secrets. */
  app: {
    name: 'app-secrets',
    keys: ['APP_KEY', 'DB_PASSWORD', 'REDIS_PASSWORD', 'MEILISEARCH_KEY', 'PUSHER_APP_KEY', 'PUSHER_APP_SECRET'],
  },
} as const;

export type SecretName = (typeof SECRETS)[keyof typeof SECRETS]['name'];

/** An env var read from a Secret key that is declared above (typos fail at compile time). */
export function secretEnv<S extends (typeof SECRETS)[keyof typeof SECRETS]>(
  secret: S,
  key: S['keys'][number],
  envName: string = key,
) {
  return { name: envName, valueFrom: { secretKeyRef: { name: secret.name, key } } };
}
