/**
 * The security baseline every pod and container gets (the "restricted" Pod Security Standard):
 * non-root, no privilege escalation, no capabilities, read-only root filesystem, RuntimeDefault
 * seccomp. Writable paths are explicit emptyDir volumes.
 */
import * as k8s from '../../imports/k8s.js';

/** UID/GID used when an image does not pin a numeric non-root user itself. */
export const DEFAULT_UID = 10001;

export function podSecurityContext(uid = DEFAULT_UID): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
