/**
 * CLI: prints the Flux Kustomizations of environments/<env>/layers.yaml in dependsOn order, one
 * "<name> <path>" line each (paths relative to the repo root, as Flux resolves them):
 *   tsx tests/control-plane/layer-order.ts environments/<env>/layers.yaml
 * A dependsOn naming no layer, or a cycle, is an error naming the file and the layer.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

interface Layer { name: string; path: string; dependsOn: string[] }

function main(file: string | undefined): void {
  if (!file) throw new Error('usage: layer-order.ts <layers.yaml>');
  const layers = new Map<string, Layer>();
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const o = doc.toJS();
    if (o?.kind !== 'Kustomization') continue;
    layers.set(o.metadata.name, { name: o.metadata.name, path: String(o.spec.path).replace(/^\.\//, ''), dependsOn: (o.spec.dependsOn ?? []).map((d: { name: string }) => d.name) });
  }
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (layer: Layer): void => {
    if (done.has(layer.name)) return;
    if (visiting.has(layer.name)) throw new Error(`${file}: Kustomization ${layer.name}: dependsOn cycle`);
    visiting.add(layer.name);
    for (const dep of layer.dependsOn) {
      const d = layers.get(dep);
      if (!d) throw new Error(`${file}: Kustomization ${layer.name}: spec.dependsOn names "${dep}", which is no layer`);
      visit(d);
    }
    done.add(layer.name);
    console.log(`${layer.name} ${layer.path}`);
  };
  if (layers.size === 0) throw new Error(`${file}: no Flux Kustomization`);
  for (const layer of layers.values()) visit(layer);
}

try { main(process.argv[2]); } catch (error) { console.error(`layer-order: ${(error as Error).message}`); process.exit(1); }
