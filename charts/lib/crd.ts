/**
 * Custom resources, built through the constructs `cdk8s import` generated from their own CRDs
 * (imports/<group>.ts, `bash imports/regenerate.sh`, from the CRD files the manifest validation
 * uses): the props are the generated props type, so a misspelled or misplaced field fails `tsc`.
 * They are emitted as plain ApiObjects of the generated JSON, not as the generated classes,
 * whose toJson rebuilds every object in schema order after cdk8s sorted its keys and would
 * change the committed manifests' bytes for no semantic change.
 */
import { ApiObject, type ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';

/** The metadata this platform gives every custom resource (the name is required). */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * A class `cdk8s import` generated for a kind: `manifest` writes its props as the object's JSON.
 * (Optional here because it is optional where the CRD requires no spec: Props is then still the
 * props type, not `object`, which would accept any field.)
 */
export interface GeneratedKind<Props> {
  manifest(props?: Props): ApiObjectProps;
}

/**
 * An object of a generated kind: `new CrdObject(scope, id, ClusterIssuer, { metadata, spec })`.
 * The generated `manifest` writes the JSON: the field names as the CRD spells them (the props
 * are camel-cased: `envoyPdb` is `envoyPDB`) and an int-or-string class as its value.
 */
export class CrdObject<Props extends object> extends ApiObject {
  constructor(scope: Construct, id: string, kind: GeneratedKind<Props>, props: NoInfer<Props>) {
    super(scope, id, kind.manifest(props));
  }
}
