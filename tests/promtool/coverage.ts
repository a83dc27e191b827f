/**
 * Every alert in a rules file has at least one promtool case where it must fire and one where
 * it must stay silent. Usage: tsx tests/promtool/coverage.ts <rules.yaml> <alerts.test.yaml>
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface RulesFile { groups: Array<{ rules: Array<{ alert?: string }> }> }
interface TestFile { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }> }

const [rulesPath, testsPath] = process.argv.slice(2);
const rules = parse(readFileSync(rulesPath!, 'utf8')) as RulesFile;
const tests = parse(readFileSync(testsPath!, 'utf8')) as TestFile;
const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
const missing: string[] = [];
for (const alert of rules.groups.flatMap((g) => g.rules).map((r) => r.alert).filter((a): a is string => !!a)) {
  const mine = cases.filter((c) => c.alertname === alert);
  if (!mine.some((c) => (c.exp_alerts ?? []).length > 0)) missing.push(`${alert}: no case where it fires`);
  if (!mine.some((c) => (c.exp_alerts ?? []).length === 0)) missing.push(`${alert}: no case where it stays silent`);
}
if (missing.length > 0) {
  console.error(missing.join('\n'));
  process.exit(1);
}
console.log(`${rules.groups.flatMap((g) => g.rules).length} alerts, each with firing and silent cases`);
