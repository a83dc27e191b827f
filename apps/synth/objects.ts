/** The Kubernetes objects of a rendered environment, parsed back, for checks and reports. */
import { parseAllDocuments } from 'yaml';
import type { RenderedEnvironment } from './render.js';

export interface RenderedObject {
  /** Repo-relative file the object is in. */
  readonly file: string;
  readonly object: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Every object under environments/<env>/ (kustomization.yaml files excluded). */
export function renderedObjects(rendered: RenderedEnvironment): RenderedObject[] {
  const prefix = `environments/${rendered.name}/`;
  return [...rendered.files.entries()]
    .filter(([path]) => path.startsWith(prefix) && path.endsWith('.yaml') && !path.endsWith('kustomization.yaml'))
    .flatMap(([file, content]) =>
      parseAllDocuments(content)
        .map((d) => d.toJS())
        .filter((o) => o && typeof o === 'object' && 'kind' in o)
        .map((object) => ({ file, object })),
    );
}
