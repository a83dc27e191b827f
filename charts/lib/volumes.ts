/** Small builders for the volumes every pod needs, so the names stay consistent. */
import * as k8s from '../../imports/k8s.js';

/** A writable scratch directory (the root filesystem is read-only). */
export function emptyDir(name: string, sizeLimit = '64Mi', medium?: 'Memory'): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit), ...(medium ? { medium } : {}) } };
}

export function configMapVolume(name: string, configMapName: string): k8s.Volume {
  return { name, configMap: { name: configMapName } };
}

export function mount(name: string, mountPath: string, options: { subPath?: string; readOnly?: boolean } = {}): k8s.VolumeMount {
  return { name, mountPath, ...(options.subPath ? { subPath: options.subPath } : {}), ...(options.readOnly ? { readOnly: true } : {}) };
}
