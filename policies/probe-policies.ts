/**
 * Liveness and readiness answer different questions. Readiness: can this pod serve now (take it
 * out of rotation when not, e.g. a slow dependency)? Liveness: is the process itself wedged
 * (restart it)? One probe for both turns every slow dependency into a restart storm, so no
 * container may use the same probe for both unless it is allow-listed with a reason.
 */
import { containers, ref, type Policy, type Violation } from './manifest.js';

/** `<workload name>/<container name>` (`*` for any workload) -> why the same probe is right there. */
export type ProbeAllowList = ReadonlyMap<string, string>;

const EXPORTER_REASON =
  'an exporter has nothing to be unready for: it answers every scrape and reports its target as ' +
  'metrics (up 0 when the target is down), so a TCP check of its port is both tests; an HTTP ' +
  'probe on /metrics would scrape the target on every probe (lib/exporter-sidecar.ts)';

export const SAME_PROBE_ALLOWED: ProbeAllowList = new Map([
  ['*/redis-exporter', EXPORTER_REASON],
  ['*/nginx-exporter', EXPORTER_REASON],
  ['*/php-fpm-exporter', EXPORTER_REASON],
]);

/** The probe's action (what it checks), without its timing. */
function action(probe: Record<string, unknown> | undefined): string | undefined {
  if (!probe) return undefined;
  const { exec, httpGet, tcpSocket, grpc } = probe as Record<string, unknown>;
  return JSON.stringify({ exec, httpGet, tcpSocket, grpc });
}

export function distinctLivenessPolicy(allowed: ProbeAllowList = SAME_PROBE_ALLOWED): Policy {
  return (objects) => {
    const out: Violation[] = [];
    for (const { owner, container, init } of containers(objects)) {
      if (init || !container.livenessProbe || !container.readinessProbe) continue;
      if (action(container.livenessProbe) !== action(container.readinessProbe)) continue;
      if (allowed.has(`${owner.metadata.name}/${container.name}`) || allowed.has(`*/${container.name}`)) continue;
      out.push({
        object: `${ref(owner)} container ${container.name}`,
        reason: 'liveness probe equals readiness probe: liveness must check only the process, readiness the ability to serve',
      });
    }
    return out;
  };
}
