/**
 * Writes the rule groups of the synthesized PrometheusRule of one environment to a Prometheus
 * rules file, so promtool tests the rules exactly as deployed (not a copy kept by hand).
 * Usage: tsx tests/promtool/extract-rules.ts <environments/ENV/apps/monitoring.yaml> <out.yaml>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: extract-rules.ts <monitoring.yaml> <rules.yaml>');
  process.exit(2);
}
const rules = parseAllDocuments(readFileSync(source, 'utf8'))
  .map((doc) => doc.toJSON() as { kind?: string; spec?: { groups?: unknown[] } } | null)
  .filter((o) => o?.kind === 'PrometheusRule');
if (rules.length === 0) {
  console.error(`${source}: no PrometheusRule found`);
  process.exit(1);
}
writeFileSync(target, stringify({ groups: rules.flatMap((r) => r!.spec?.groups ?? []) }));
