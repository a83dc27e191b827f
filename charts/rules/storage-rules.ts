/**
 * Disk rules that only hold when several numbers of the config agree (listed in charts/rules/index.ts).
 */
import { MAX_BODY_MIB } from '../web/request-limits.js';
import { phpFpmMaxChildren } from '../web/php-fpm-sizing.js';
import type { Rule } from '../../apps/config/rules.js';

/**
 * The web pod's /tmp (one emptyDir shared by nginx and php-fpm) holds an upload of the largest
 * allowed body for every php-fpm child at once: nginx buffers the body to /tmp
 * (client_body_temp_path) and PHP writes the uploaded file there again (upload_tmp_dir defaults
 * to /tmp). Smaller, and concurrent uploads fill the emptyDir and the pod is evicted.
 */
export const webTmpHoldsUploads: Rule = (config) => {
  const children = phpFpmMaxChildren(config);
  const needed = children * 2 * MAX_BODY_MIB;
  const tmp = config.ephemeralStorage.emptyDirMiB.tmp;
  if (tmp >= needed) return [];
  return [{
    path: 'ephemeralStorage.emptyDirMiB.tmp',
    reason:
      `${tmp} MiB cannot hold ${children} concurrent uploads (pm.max_children) of ${MAX_BODY_MIB} MiB ` +
      `(client_max_body_size), each stored twice (nginx's buffered body and PHP's upload file): needs ${needed} MiB`,
  }];
};

export const STORAGE_RULES: readonly Rule[] = [webTmpHoldsUploads];

