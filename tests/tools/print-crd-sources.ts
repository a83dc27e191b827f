/**
 * CLI: prints one CRD source (`go-module@version/path`) per line: Flux's own, then those of every
 * controller the environments install (charts/flux/controllers.ts), in order, without repeats.
 * .ci/install.d/20-k8s-schemas.sh generates the CRD schemas from exactly this list.
 */
import { CONTROLLERS, FLUX_CRD_SOURCES } from '../../charts/flux/controllers.js';

const sources = [...FLUX_CRD_SOURCES, ...CONTROLLERS.flatMap((c) => c.crdSources)];
console.log([...new Set(sources)].join('\n'));
