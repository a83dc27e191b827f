/**
 * The web tier: nginx and php-fpm in one pod (FastCGI over localhost), their configuration
 * rendered from the environment config (web/configs.ts), two exporters beside them, and the
 * Service the Gateway routes to.
 *
 * Probes: php-fpm listens on 127.0.0.1 only, where the kubelet cannot reach, so its readiness
 * goes through nginx's /readyz (php-fpm's ping on the status pool) and its startup/liveness
 * checks are a local TCP connect from inside the container. Shutdown timings (preStop delays,
 * SIGQUIT to both, the grace period) come from web/shutdown-timings.ts, which the real-server
 * test exercises.
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { exporterSidecar } from './lib/exporter-sidecar.js';
import { objectLabels } from './lib/labels.js';
import { laravelEnvFrom, laravelMounts, laravelOptimizeInit, laravelSecretEnv, laravelVolumes } from './lib/laravel.js';
import { CONFIG_MAP_NAMES, POD_ROLE_LABELS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { containerResources } from './lib/resources.js';
import { configMapVolume, mount } from './lib/volumes.js';
import {
  renderNginxConf,
  renderPhpFpmPool,
  renderPhpIni,
  WEB_CONFIG_MOUNTS,
  WEB_PORTS,
  WEB_STATUS_PATHS,
  webShutdownTimings,
} from './web/configs.js';

/** A probe command that succeeds when something accepts TCP on 127.0.0.1:port (php CLI). */
function localTcpCheck(port: number): string[] {
  return ['php', '-r', `exit(@fsockopen('127.0.0.1', ${port}, $e, $s, 2) ? 0 : 1);`];
}

export class WebChart extends PlatformChart {
  readonly fileName = 'web.yaml';
  readonly workload: AppWorkload;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const fpm = config.web.phpFpm;
    const shutdown = webShutdownTimings(config);

    const serverFiles = {
      'nginx.conf': renderNginxConf(config),
      'php-fpm.conf': renderPhpFpmPool(config),
      'php.ini': renderPhpIni(config),
    };
    new k8s.KubeConfigMap(this, 'server-config', {
      metadata: { name: CONFIG_MAP_NAMES.webServer, labels: objectLabels(config, SERVICE_NAMES.web, 'web') },
      data: serverFiles,
    });

    const fpmResources = containerResources(fpm.resources);
    const status = (path: string): k8s.Probe['httpGet'] => ({ path, port: k8s.IntOrString.fromNumber(WEB_PORTS.nginxStatus) });

    this.workload = new AppWorkload(this, 'web', {
      config,
      name: SERVICE_NAMES.web,
      tier: 'web',
      replicas: config.web.replicas,
      terminationGracePeriodSeconds: shutdown.terminationGracePeriodSeconds,
      podLabels: { ...POD_ROLE_LABELS.laravel, ...POD_ROLE_LABELS.internetEgress },
      initContainers: [laravelOptimizeInit(config.images.phpFpm, fpmResources)],
      containers: [
        {
          name: 'nginx',
          image: config.images.nginx,
          args: ['nginx', '-c', WEB_CONFIG_MOUNTS.nginxConf, '-g', 'daemon off;'],
          ports: [
            { name: 'http', containerPort: WEB_PORTS.http, protocol: 'TCP' },
            { name: 'status', containerPort: WEB_PORTS.nginxStatus, protocol: 'TCP' },
          ],
          resources: containerResources(config.web.nginx.resources),
          // Ready only when php-fpm answers its ping through nginx: the whole request path.
          readinessProbe: { httpGet: status(WEB_STATUS_PATHS.readyz), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
          livenessProbe: { httpGet: status(WEB_STATUS_PATHS.healthz), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
          lifecycle: { preStop: { exec: { command: [...shutdown.nginxPreStopCommand] } } },
          volumeMounts: [
            mount('server-config', WEB_CONFIG_MOUNTS.nginxConf, { subPath: 'nginx.conf', readOnly: true }),
            // nginx keeps its pid and every temp path in /tmp (see web/nginx-conf.ts).
            mount('tmp', '/tmp'),
          ],
        },
        {
          name: 'php-fpm',
          image: config.images.phpFpm,
          args: ['php-fpm', '--nodaemonize', '--fpm-config', WEB_CONFIG_MOUNTS.phpFpmConf],
          envFrom: laravelEnvFrom(),
          env: [...laravelSecretEnv(), { name: 'PHP_INI_SCAN_DIR', value: `:${WEB_CONFIG_MOUNTS.phpIniDir}` }],
          resources: fpmResources,
          startupProbe: { exec: { command: localTcpCheck(WEB_PORTS.fastcgi) }, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 },
          readinessProbe: { httpGet: status(WEB_STATUS_PATHS.readyz), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
          // The status pool answers even when every worker of the main pool is busy, so a
          // saturated pod is not restarted; only a dead master is.
          livenessProbe: { exec: { command: localTcpCheck(WEB_PORTS.fpmStatus) }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
          lifecycle: { preStop: { exec: { command: [...shutdown.phpFpmPreStopCommand] } } },
          volumeMounts: [
            mount('server-config', WEB_CONFIG_MOUNTS.phpFpmConf, { subPath: 'php-fpm.conf', readOnly: true }),
            mount('server-config', WEB_CONFIG_MOUNTS.phpIni, { subPath: 'php.ini', readOnly: true }),
            ...laravelMounts(),
          ],
        },
        exporterSidecar({
          name: 'php-fpm-exporter',
          image: config.images.phpFpmExporter,
          port: WEB_PORTS.fpmExporter,
          portName: 'fpm-metrics',
          env: [
            // FastCGI straight to the status pool (localhost), not through nginx.
            { name: 'PHP_FPM_SCRAPE_URI', value: `tcp://127.0.0.1:${WEB_PORTS.fpmStatus}/status` },
            { name: 'PHP_FPM_WEB_LISTEN_ADDRESS', value: `:${WEB_PORTS.fpmExporter}` },
            { name: 'PHP_FPM_FIX_PROCESS_COUNT', value: 'true' },
          ],
        }),
        exporterSidecar({
          name: 'nginx-exporter',
          image: config.images.nginxExporter,
          port: WEB_PORTS.nginxExporter,
          portName: 'nginx-metrics',
          args: [
            `--nginx.scrape-uri=http://127.0.0.1:${WEB_PORTS.nginxStatus}${WEB_STATUS_PATHS.stubStatus}`,
            `--web.listen-address=:${WEB_PORTS.nginxExporter}`,
          ],
        }),
      ],
      volumes: [
        configMapVolume('server-config', CONFIG_MAP_NAMES.webServer),
        ...laravelVolumes(config),
      ],
      servicePorts: [{ name: 'http', port: 80, targetPort: WEB_PORTS.http }],
    });
  }
}
