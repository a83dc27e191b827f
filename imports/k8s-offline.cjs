// Preloaded (NODE_OPTIONS=--require) by imports/regenerate.sh into `cdk8s import k8s@X.Y.Z`: the
// CLI would download cdk8s's copy of that release's OpenAPI definitions from GitHub; this hands it
// the release's own api/openapi-spec/swagger.json ($K8S_OPENAPI) instead, with IntOrString and
// Quantity as the number-or-string unions cdk8s's copies make of them (k8s.IntOrString.fromNumber).
const fs = require('node:fs');
const path = require('node:path');
const util = require(path.join(__dirname, '../node_modules/cdk8s-cli/lib/util.js'));

const download = util.download;
util.download = async (url) => {
  if (!url.includes('/kubernetes-schemas/')) return download(url);
  const { definitions } = JSON.parse(fs.readFileSync(process.env.K8S_OPENAPI, 'utf-8'));
  for (const name of ['io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'io.k8s.apimachinery.pkg.api.resource.Quantity']) {
    definitions[name] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  }
  return JSON.stringify({ definitions });
};
