/**
 * Collects every other PromQL expression the manifests carry (KEDA prometheus triggers, Grafana
 * dashboard panels) from synthesized YAML files into a rules file of recording rules, so
 * `promtool check rules` parses each one: a typo in a scaling query or a panel fails CI.
 * Usage: tsx tests/promtool/extract-queries.ts <out.yaml> <manifest.yaml>...
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

const [target, ...sources] = process.argv.slice(2);
if (!target || sources.length === 0) {
  console.error('usage: extract-queries.ts <out.yaml> <manifest.yaml>...');
  process.exit(2);
}

interface Obj { kind?: string; metadata?: { name?: string }; spec?: any; data?: Record<string, string> }
const queries: Array<{ where: string; expr: string }> = [];
for (const source of sources) {
  for (const doc of parseAllDocuments(readFileSync(source, 'utf8'))) {
    const o = doc.toJSON() as Obj | null;
    if (o?.kind === 'ScaledObject') {
      for (const t of o.spec?.triggers ?? []) {
        if (t.type === 'prometheus') queries.push({ where: `ScaledObject ${o.metadata?.name}`, expr: t.metadata.query });
      }
    }
    if (o?.kind === 'ConfigMap' && o.data) {
      for (const [file, text] of Object.entries(o.data)) {
        if (!file.endsWith('.json')) continue;
        const board = JSON.parse(text) as { panels?: Array<{ title: string; targets?: Array<{ expr: string }> }> };
        for (const p of board.panels ?? []) for (const t of p.targets ?? []) queries.push({ where: `${file}: ${p.title}`, expr: t.expr });
      }
    }
  }
}
if (queries.length === 0) {
  console.error('no queries found');
  process.exit(1);
}
const rules = queries.map((q, i) => ({ record: `manifest_query:${i}`, expr: q.expr, labels: { source: q.where } }));
writeFileSync(target, stringify({ groups: [{ name: 'manifest-queries', rules }] }));
console.log(`${queries.length} queries`);
