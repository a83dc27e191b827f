/**
 * A problem the person running the audit can fix (bad option, wrong password, missing grant).
 * The CLI prints its message on one line and exits non-zero; anything else is a bug and keeps
 * its stack trace.
 */
export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditError';
  }
}
