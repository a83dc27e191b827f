/**
 * The Helm chart of one environment: the same objects as environments/<env>/apps, as static
 * templates (no values), so `helm template` renders exactly what Flux applies. Packaged by
 * `npm run package` (helm package) into dist/.
 */
import type { LoadedEnvironment } from '../config/index.js';
import { generatedHeader } from '../generators/types.js';
import { toYamlDocuments } from './yaml.js';

/** Chart version: bumped with the platform's package.json version. */
import pkg from '../../package.json' with { type: 'json' };

/**
 * Helm would evaluate `{{ ... }}` found in a template (PrometheusRule annotations, Grafana
 * dashboards); emit such braces as literal strings instead.
 */
export function escapeHelmTemplate(text: string): string {
  return text.replace(/\{\{|\}\}/g, (braces) => `{{ "${braces}" }}`);
}

export function helmChartName(env: string): string {
  return `marketplace-${env}`;
}

export function renderHelmChart(env: LoadedEnvironment, manifests: Map<string, unknown[]>): Map<string, string> {
  const dir = `dist/helm/${env.name}`;
  const header = generatedHeader('#', env.file);
  const files = new Map<string, string>();
  files.set(
    `${dir}/Chart.yaml`,
    toYamlDocuments(
      [{
        apiVersion: 'v2',
        name: helmChartName(env.name),
        description: `The marketplace platform's ${env.name} workloads (synthesized by cdk8s; static templates).`,
        type: 'application',
        version: pkg.version,
        appVersion: env.config.images.phpFpm.split(':').pop()?.split('@')[0] ?? pkg.version,
        icon: 'https://raw.githubusercontent.com/cncf/artwork/main/projects/kubernetes/icon/color/kubernetes-icon-color.svg',
      }],
      header,
    ),
  );
  files.set(`${dir}/values.yaml`, `${header}# The templates are static: every value comes from the environment config.\n{}\n`);
  for (const [fileName, objects] of manifests) {
    files.set(`${dir}/templates/${fileName}`, escapeHelmTemplate(toYamlDocuments(objects, header)));
  }
  return files;
}
