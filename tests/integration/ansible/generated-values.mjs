// Prints values from the committed, generated files, one per line, so the converge test takes its
// expectations from what synth produced, not from constants of its own.
//   node generated-values.mjs inventory ENV VAR      a var of the inventory's `mariadb` group
//   node generated-values.mjs inventory-yaml ENV VAR,VAR...   those vars as YAML lines (flow values)
//   node generated-values.mjs app-env ENV KEY        a key of the app-env ConfigMap
//   node generated-values.mjs metrics ENV PREFIX     metric names with PREFIX used by rules/dashboards
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const [what, env, key] = process.argv.slice(2);
const fail = (message) => { console.error(`generated-values: ${message}`); process.exit(2); };
if (!what || !env || !key) fail('usage: generated-values.mjs inventory|app-env|metrics ENV KEY');

const print = (value) => {
  if (value === undefined) fail(`${what} of ${env} has no ${key}`);
  for (const v of Array.isArray(value) ? value : [value]) console.log(String(v));
};
const manifests = (dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(join(root, dir, f), 'utf8')).map((d) => d.toJS()));

if (what === 'inventory') {
  const inventory = parse(readFileSync(join(root, 'ansible/inventories', env, 'hosts.yml'), 'utf8'));
  print(inventory.all.children.mariadb.vars[key]);
} else if (what === 'inventory-yaml') {
  const vars = parse(readFileSync(join(root, 'ansible/inventories', env, 'hosts.yml'), 'utf8')).all.children.mariadb.vars;
  for (const k of key.split(',')) {
    if (vars[k] === undefined) fail(`inventory of ${env} has no ${k}`);
    console.log(`${k}: ${JSON.stringify(vars[k])}`);
  }
} else if (what === 'app-env') {
  const cm = manifests(`environments/${env}/apps/base`).find((o) => o?.kind === 'ConfigMap' && o.metadata.name === 'app-env');
  print(cm?.data?.[key]);
} else if (what === 'metrics') {
  // Alert expressions and dashboard queries: every token starting with the prefix.
  const text = manifests(`environments/${env}/apps/workloads`)
    .filter((o) => o?.kind === 'PrometheusRule' || (o?.kind === 'ConfigMap' && o.metadata?.labels?.grafana_dashboard))
    .map((o) => JSON.stringify(o.kind === 'PrometheusRule' ? o.spec : o.data)).join('\n');
  const names = [...new Set(text.match(new RegExp(`\\b${key}[a-zA-Z0-9_]*`, 'g')) ?? [])].sort();
  if (names.length === 0) fail(`no ${key}* metric in the rules or dashboards of ${env}`);
  print(names);
} else fail(`unknown kind ${what}`);
