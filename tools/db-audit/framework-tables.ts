/**
 * Tables Laravel's own migrations create and its framework code reads and writes (queue, cache,
 * sessions, migrations, password resets). Their columns hold payloads of any size and their
 * indexes serve framework queries the app's digests may not show: the audit leaves them alone.
 */
export const LARAVEL_TABLES: ReadonlySet<string> = new Set([
  'jobs', 'failed_jobs', 'job_batches', 'cache', 'cache_locks', 'sessions', 'migrations',
  'password_reset_tokens', 'password_resets', 'personal_access_tokens',
]);

export const isFrameworkTable = (table: string): boolean => LARAVEL_TABLES.has(table);
