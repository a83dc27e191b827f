/**
 * CLI: prints Flux's own CRD sources (`go-module@version/path`), one per line. Flux is installed
 * by bootstrap, not by a chart; every controller's CRDs come from its pinned chart
 * (tests/tools/chart-crds.ts). .ci/install.d/20-k8s-schemas.sh reads both.
 */
import { FLUX_CRD_SOURCES } from '../../charts/flux/controllers.js';

console.log([...new Set(FLUX_CRD_SOURCES)].join('\n'));
