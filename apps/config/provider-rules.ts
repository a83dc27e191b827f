/**
 * What terraform-provider-linode v3.13.0 validates in values synth writes into the tfvars, checked
 * at synth so a bad PR fails with the config field named instead of at `terraform plan`. Each
 * limit cites the provider's own validator (source: the module zip in `go env GOMODCACHE`,
 * github.com/linode/terraform-provider-linode/v3@v3.13.0/linode/...). Values the provider does not
 * validate (VPC, subnet, bucket and cluster labels, region, plan) are left to the Linode API.
 *
 * Covered elsewhere: the CIDR pattern in schema.ts (the firewall's `ipv4` elements are
 * cidrtypes.IPv4Prefix, parsed by Go's netip.ParsePrefix); `network.adminCidrs` minItems 1
 * (firewall rule `ipv4`: listvalidator.SizeAtLeast(1)); node pool `min` >= 1. Literal values in
 * the .tf files (rule labels, protocols, policies) are validated by the real provider in
 * tests/suites/50-terraform.sh.
 */
import type { ConfigProblem } from './errors.js';
import type { Rule } from './rules.js';
import { builtTerraformLabels, type BuiltLabel } from './terraform-labels.js';

interface LabelLimit {
  readonly min: number;
  readonly max: number;
  readonly validator: string;
}

export const PROVIDER_LABEL_LIMITS: Readonly<Record<BuiltLabel['type'], LabelLimit>> = {
  // linode/firewall/framework_schema_resource.go, attribute "label": stringvalidator.LengthBetween(3, 32)
  // (the rule labels inside the firewall carry the same validator).
  linode_firewall: { min: 3, max: 32, validator: 'firewall/framework_schema_resource.go: stringvalidator.LengthBetween(3, 32)' },
  // linode/instance/schema_resource.go, attribute "label": validation.StringLenBetween(3, 50)
  linode_instance: { min: 3, max: 50, validator: 'instance/schema_resource.go: validation.StringLenBetween(3, 50)' },
};

/** Every label Terraform builds from the config fits the provider's length limits. */
export const builtLabelsFitTheProvider: Rule = (config) => {
  const problems: ConfigProblem[] = [];
  for (const built of builtTerraformLabels(config)) {
    const limit = PROVIDER_LABEL_LIMITS[built.type];
    const length = built.label.length;
    if (length < limit.min || length > limit.max) {
      problems.push({
        path: built.from.split(' + ').at(-1)!,
        reason:
          `the ${built.type} label "${built.label}" (${built.address}, built from ${built.from}) has ${length} ` +
          `characters; terraform-provider-linode allows ${limit.min}-${limit.max} (${limit.validator})`,
      });
    }
  }
  return problems;
};

export const PROVIDER_RULES: readonly Rule[] = [builtLabelsFitTheProvider];
