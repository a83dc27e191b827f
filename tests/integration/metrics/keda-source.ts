/**
 * The metric names KEDA's operator exposes, read from the KEDA Go module at the version the
 * pinned keda chart deploys (its appVersion), in the module cache (.ci/install.d/45-exporters.sh
 * downloads it): every Prometheus collector of pkg/metricscollector/prommetrics.go, named
 * keda_<subsystem>_<name>. A rule or panel naming anything else reads a series KEDA never writes
 * (KedaScalerErrors once read keda_scaler_errors_total, which 2.18 does not have).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLLERS } from '../../../charts/flux/controllers.js';
import { chartArchive } from '../../tools/charts/helm-repository.js';

export interface KedaSource {
  readonly version: string;
  readonly metricNames: ReadonlySet<string>;
}

export function kedaAppVersion(): string {
  const keda = CONTROLLERS.find((c) => c.name === 'keda');
  if (!keda) throw new Error('charts/flux/controllers.ts: no keda controller');
  const archive = chartArchive(keda.source.chart, keda.source.version);
  const chartYaml = execFileSync('tar', ['-xzOf', archive.path, 'keda/Chart.yaml'], { encoding: 'utf8' });
  const appVersion = /^appVersion:\s*"?([0-9][^"\s]*)"?/m.exec(chartYaml)?.[1];
  if (!appVersion) throw new Error(`${archive.path}: keda/Chart.yaml has no appVersion`);
  return appVersion;
}

export function kedaSource(): KedaSource {
  const version = kedaAppVersion();
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const file = join(modCache, `github.com/kedacore/keda/v2@v${version}`, 'pkg/metricscollector/prommetrics.go');
  if (!existsSync(file)) throw new Error(`${file} is missing: run bash .ci/install.d/45-exporters.sh (it downloads the module)`);
  const text = readFileSync(file, 'utf8');
  const prefix = /DefaultPromMetricsNamespace\s*=\s*"([^"]+)"/.exec(readFileSync(join(file, '../metricscollectors.go'), 'utf8'))?.[1] ?? 'keda';
  const names = new Set<string>();
  for (const m of text.matchAll(/prometheus\.New\w+Vec\(\s*prometheus\.\w+Opts\{([^}]*)\}/g)) {
    const opts = m[1]!;
    const subsystem = /Subsystem:\s*"([^"]*)"/.exec(opts)?.[1];
    const name = /Name:\s*"([^"]+)"/.exec(opts)?.[1];
    if (!/Namespace:\s*DefaultPromMetricsNamespace/.test(opts) || !name) continue;
    names.add([prefix, subsystem, name].filter(Boolean).join('_'));
  }
  if (names.size === 0) throw new Error(`${file}: no Prometheus collector found (did the upstream code move?)`);
  return { version, metricNames: names };
}
