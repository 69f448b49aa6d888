/**
 * Karmada policies against upstream's CRDs: unknown fields are errors, and the fields Karmada acts
 * on at run time (claims, conflicts, failures, the scheduling queue) that a render cannot honour
 * are named in a warning. Fields whose neglect would change what a member gets are errors
 * reported where the policy wins a template (validate.ts `unsupportedParts`).
 */
import { checkFields, type FieldFinding, type IgnoredField } from '../schema/fields.js';
import { upstreamSchema } from '../schema/upstream.js';
import type { SourceObject } from '../types.js';
import { POLICY_API_VERSION } from './model.js';

const PROPAGATION_IGNORED: readonly IgnoredField[] = [
  {
    path: 'spec.activationPreference',
    message: (v) => `activationPreference ${String(v)} delays a policy change until each template changes; a render has no history, so every render uses the policy as it is now`,
  },
  { path: 'spec.association', message: () => 'association is deprecated upstream and not read: use propagateDeps' },
  {
    path: 'spec.conflictResolution',
    when: (v) => v === 'Abort',
    message: () => "conflictResolution Abort is not the policy's to decide here: gitfed's apply side takes an object that already exists on a member under its own rules (gitfed-apply.yaml conflicts, fleet ownership)",
  },
  { path: 'spec.failover', message: () => 'failover moves workloads off a failed cluster, which a render does not observe; the apply side reports the cluster instead' },
  {
    path: 'spec.preemption',
    when: (v) => v === 'Never',
    message: () => 'preemption Never keeps a template with the first policy that claimed it; a render has no claims, so the best policy wins every time (as if every policy preempted)',
  },
  { path: 'spec.schedulePriority', message: () => "schedulePriority orders Karmada's scheduling queue; a render schedules every template at once, so it has no effect" },
];

function schemaOf(kind: string): string {
  return `${POLICY_API_VERSION}/${kind}`;
}

/** Unknown and ignored fields of a Karmada policy document. */
export function policyFieldFindings(src: SourceObject): readonly FieldFinding[] {
  const propagation = src.obj.kind === 'PropagationPolicy' || src.obj.kind === 'ClusterPropagationPolicy';
  return checkFields(src.obj, upstreamSchema(schemaOf(src.obj.kind)), propagation ? PROPAGATION_IGNORED : undefined);
}
