/**
 * KubeFed documents against upstream's CRDs: unknown fields are errors (a misspelt `placement`
 * would place nothing), and the fields upstream acts on at run time, which a render cannot, are
 * named in a warning.
 */
import { checkFields, type IgnoredField } from '../schema/fields.js';
import { upstreamSchema } from '../schema/upstream.js';
import type { SourceObject } from '../types.js';
import type { Findings } from './findings.js';
import type { TargetType } from './target-types.js';

/** Targets whose template has an int32 spec.replicas: kubefedctl gives their federated type `retainReplicas` (enable/validation.go). */
const SCALABLE = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet']);

const FEDERATED_IGNORED: readonly IgnoredField[] = [
  {
    path: 'spec.retainReplicas',
    when: (v) => v === true,
    message: () =>
      "retainReplicas keeps each member's live spec.replicas (say, an autoscaler's); a render has no live state, so the branch carries the template's or the override's count and an apply sets it. Remove it, and add an ignore rule for /spec/replicas in gitfed-apply.yaml so the apply side leaves the count alone",
  },
];

const TYPE_CONFIG_IGNORED: readonly IgnoredField[] = [
  { path: 'spec.statusCollection', when: (v) => v === 'Enabled', message: () => 'statusCollection collects status from the members into the host cluster; gitfed has no host cluster: gitfed status reports each member instead' },
];

function report(src: SourceObject, findings: Findings, found: ReturnType<typeof checkFields>): void {
  for (const f of found) {
    if (f.kind === 'unknown') findings.error('UnknownField', f.message, { src, field: f.path });
    else findings.warning('FieldIgnored', f.message, { src, field: f.path });
  }
}

export function checkFederatedFields(src: SourceObject, type: TargetType, findings: Findings): void {
  // A type from a type config may be any CRD: whether it has int32 replicas is not known, so retainReplicas is allowed.
  const scalable = type.source !== undefined || SCALABLE.has(`${type.group}/${type.kind}`);
  const schema = upstreamSchema(scalable ? 'types.kubefed.io/v1beta1/FederatedDeployment' : 'types.kubefed.io/v1beta1/FederatedConfigMap');
  report(src, findings, checkFields(src.obj, schema, FEDERATED_IGNORED));
}

export function checkRspFields(src: SourceObject, findings: Findings): void {
  report(src, findings, checkFields(src.obj, upstreamSchema('scheduling.kubefed.io/v1alpha1/ReplicaSchedulingPreference')));
}

export function checkTypeConfigFields(src: SourceObject, findings: Findings): void {
  report(src, findings, checkFields(src.obj, upstreamSchema('core.kubefed.io/v1beta1/FederatedTypeConfig'), TYPE_CONFIG_IGNORED));
}
