/**
 * The web tier: nginx and php-fpm in one pod (FastCGI over localhost), their configuration
 * rendered from the environment config (web/configs.ts), and the Service the Gateway routes to.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { checksum } from './lib/checksum.js';
import { objectLabels } from './lib/labels.js';
import { laravelEnvFrom, laravelMounts, laravelOptimizeInit, laravelSecretEnv, laravelVolumes } from './lib/laravel.js';
import { CONFIG_MAP_NAMES, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { containerResources } from './lib/resources.js';
import { configMapVolume, emptyDir, mount } from './lib/volumes.js';
import { renderNginxConf, renderPhpFpmPool, renderPhpIni, WEB_PORTS } from './web/configs.js';

/** Seconds nginx keeps serving after the pod is marked terminating (endpoint removal lag). */
const PRE_STOP_DELAY_SECONDS = 5;

export class WebChart extends PlatformChart {
  readonly fileName = 'web.yaml';
  readonly workload: AppWorkload;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const fpm = config.web.phpFpm;

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
    const http = (path: string, port: number): k8s.Probe['httpGet'] => ({ path, port: k8s.IntOrString.fromNumber(port) });

    this.workload = new AppWorkload(this, 'web', {
      config,
      name: SERVICE_NAMES.web,
      tier: 'web',
      replicas: config.web.replicas,
      // In-flight requests may run up to request_terminate_timeout after the preStop delay.
      terminationGracePeriodSeconds: fpm.requestTerminateTimeoutSeconds + PRE_STOP_DELAY_SECONDS + 10,
      podAnnotations: { 'checksum/config': checksum(serverFiles) },
      initContainers: [laravelOptimizeInit(config.images.phpFpm, fpmResources)],
      containers: [
        {
          name: 'nginx',
          image: config.images.nginx,
          args: ['nginx', '-c', '/etc/nginx/custom/nginx.conf', '-g', 'daemon off;'],
          ports: [
            { name: 'http', containerPort: WEB_PORTS.http },
            { name: 'status', containerPort: WEB_PORTS.nginxStatus },
          ],
          resources: containerResources(config.web.nginx.resources),
          readinessProbe: { httpGet: http('/readyz', WEB_PORTS.nginxStatus), periodSeconds: 5, failureThreshold: 2 },
          livenessProbe: { httpGet: http('/healthz', WEB_PORTS.nginxStatus), periodSeconds: 10, failureThreshold: 3 },
          lifecycle: {
            // Keep serving while endpoints are removed, then finish open requests and quit.
            preStop: { exec: { command: ['/bin/sh', '-c', `sleep ${PRE_STOP_DELAY_SECONDS} && nginx -s quit`] } },
          },
          volumeMounts: [
            mount('server-config', '/etc/nginx/custom', { readOnly: true }),
            mount('tmp', '/tmp'),
            mount('nginx-cache', '/var/cache/nginx'),
          ],
        },
        {
          name: 'php-fpm',
          image: config.images.phpFpm,
          args: ['php-fpm', '--nodaemonize', '--fpm-config', '/usr/local/etc/php-fpm.d/custom/php-fpm.conf'],
          envFrom: laravelEnvFrom(),
          env: [...laravelSecretEnv(), { name: 'PHP_INI_SCAN_DIR', value: ':/usr/local/etc/php/custom' }],
          resources: fpmResources,
          startupProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(WEB_PORTS.fastcgi) }, periodSeconds: 2, failureThreshold: 30 },
          livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(WEB_PORTS.fastcgi) }, periodSeconds: 10, failureThreshold: 3 },
          lifecycle: {
            // php-fpm stops gracefully on SIGQUIT (process_control_timeout lets children finish).
            preStop: { exec: { command: ['/bin/sh', '-c', `sleep ${PRE_STOP_DELAY_SECONDS} && kill -QUIT 1`] } },
          },
          volumeMounts: [
            mount('server-config', '/usr/local/etc/php-fpm.d/custom/php-fpm.conf', { subPath: 'php-fpm.conf', readOnly: true }),
            mount('server-config', '/usr/local/etc/php/custom/zz-platform.ini', { subPath: 'php.ini', readOnly: true }),
            ...laravelMounts(),
          ],
        },
      ],
      volumes: [
        configMapVolume('server-config', CONFIG_MAP_NAMES.webServer),
        emptyDir('nginx-cache', '128Mi'),
        ...laravelVolumes(),
      ],
      servicePorts: [{ name: 'http', port: 80, targetPort: WEB_PORTS.http }],
    });
  }
}
