/**
 * CLI: writes the suite's negative controls, each a generated object broken one way, to <dir>:
 *   tsx tests/control-plane/negative-objects.ts <built-objects.yaml> <dir>
 *   wrong-type.json     the first Deployment with spec.replicas a string (built-in OpenAPI types)
 *   unknown-field.json  the first HelmRelease with a field its CRD schema lacks (strict validation)
 *   cel-rule.json       the first HTTPRoute whose first path match is not absolute (Gateway API CEL)
 * Taken from the real output so the controls follow what synth writes; a kind missing is an error.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Obj = Record<string, any>;

function main(file: string | undefined, dir: string | undefined): void {
  if (!file || !dir) throw new Error('usage: negative-objects.ts <built-objects.yaml> <dir>');
  const objects: Obj[] = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  const first = (kind: string): Obj => {
    const o = objects.find((x) => x.kind === kind);
    if (!o) throw new Error(`${file}: no ${kind} to break`);
    return structuredClone(o);
  };
  mkdirSync(dir, { recursive: true });
  const deployment = first('Deployment');
  deployment.spec.replicas = 'two';
  writeFileSync(join(dir, 'wrong-type.json'), JSON.stringify(deployment));
  const release = first('HelmRelease');
  release.spec.notAHelmReleaseField = true;
  writeFileSync(join(dir, 'unknown-field.json'), JSON.stringify(release));
  const route = first('HTTPRoute');
  const match = route.spec.rules?.flatMap((r: Obj) => r.matches ?? []).find((m: Obj) => m.path);
  if (!match) throw new Error(`${file}: HTTPRoute ${route.metadata.name} has no path match to break`);
  match.path = { type: 'PathPrefix', value: 'not-absolute' };
  writeFileSync(join(dir, 'cel-rule.json'), JSON.stringify(route));
}

try { main(process.argv[2], process.argv[3]); } catch (error) { console.error(`negative-objects: ${(error as Error).message}`); process.exit(1); }
