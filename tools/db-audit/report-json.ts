/** The machine-readable report: the AuditReport as JSON, stable key order, 2-space indent. */
import type { AuditReport } from './types.js';

export function renderJsonReport(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
