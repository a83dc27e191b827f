import { describe, expect, it } from 'vitest';
import { compareManifestSets, differingPaths, formatComparison, isEqual } from '../../tools/manifests/compare.js';
import { parseManifests } from '../../tools/manifests/manifest-set.js';

/** What synth writes to environments/<env>/ (two files). */
const environment = [
  {
    file: 'environments/staging/web.yaml',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: marketplace
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: nginx
          image: "ghcr.io/x/web:1.0"
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: marketplace}
spec: {ports: [{port: 80}]}
`,
  },
  { file: 'environments/staging/namespace.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: marketplace\n' },
];

/** The same objects as `helm template` prints them: one stream, other order, comments, quoting. */
const rendered = `---
# Source: staging/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: marketplace
---
# Source: staging/templates/web.yaml
kind: Service
apiVersion: v1
metadata:
  namespace: marketplace
  name: web
spec:
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  namespace: marketplace
  name: web
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/x/web:1.0
          name: nginx
  replicas: 2
`;

const left = () => parseManifests(environment);
const right = (text = rendered) => parseManifests([{ file: 'helm-template.yaml', text }]);

describe('compareManifestSets', () => {
  it('finds equal sets equal regardless of order, comments and quoting', () => {
    const result = compareManifestSets(left(), right());
    expect(result).toEqual({ onlyLeft: [], onlyRight: [], changed: [] });
    expect(isEqual(result)).toBe(true);
  });

  it('reports a changed field with its path', () => {
    const result = compareManifestSets(left(), right(rendered.replace('replicas: 2', 'replicas: 3')));
    expect(isEqual(result)).toBe(false);
    expect(result.changed).toEqual([{ key: 'apps/v1 Deployment marketplace/web', paths: ['/spec/replicas'] }]);
  });

  it('reports an object missing on one side and an extra one on the other', () => {
    const result = compareManifestSets(
      left(),
      right(rendered.replace('name: marketplace\n---', 'name: marketplace-x\n---')),
    );
    expect(result.onlyLeft).toEqual(['v1 Namespace -/marketplace']);
    expect(result.onlyRight).toEqual(['v1 Namespace -/marketplace-x']);
    expect(formatComparison(result, 'environments/staging', 'helm')).toBe(
      'only in environments/staging: v1 Namespace -/marketplace\nonly in helm: v1 Namespace -/marketplace-x',
    );
  });

  it('treats the same name in another namespace as another object', () => {
    const result = compareManifestSets(left(), right(rendered.replace('  namespace: marketplace\n  name: web\nspec:\n  ports', '  namespace: other\n  name: web\nspec:\n  ports')));
    expect(result.onlyLeft).toEqual(['v1 Service marketplace/web']);
    expect(result.onlyRight).toEqual(['v1 Service other/web']);
  });

  it('sees an added field, a list of another length and a type change (1 vs "1")', () => {
    expect(differingPaths({ a: 1 }, { a: 1, b: 2 })).toEqual(['/b (only on the right)']);
    expect(differingPaths({ l: [1, 2] }, { l: [1] })).toEqual(['/l (length 2 vs 1)']);
    expect(differingPaths({ v: 1 }, { v: '1' })).toEqual(['/v']);
  });
});

describe('parseManifests', () => {
  it('rejects the same object twice, naming both places', () => {
    expect(() => parseManifests([...environment, { file: 'dup.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: marketplace}\n' }])).toThrow(
      'dup.yaml (document 1): v1 Namespace -/marketplace is already defined in environments/staging/namespace.yaml (document 1)',
    );
  });

  it('rejects invalid YAML and documents that are not objects, naming the file', () => {
    expect(() => parseManifests([{ file: 'bad.yaml', text: 'a: [1,' }])).toThrow('bad.yaml (document 1): invalid YAML');
    expect(() => parseManifests([{ file: 'bad.yaml', text: '- 1\n' }])).toThrow('bad.yaml (document 1): not a Kubernetes object');
    expect(() => parseManifests([{ file: 'bad.yaml', text: 'kind: X\n' }])).toThrow('bad.yaml (document 1): apiVersion and kind must be strings');
  });
});
