/**
 * One `Federated<Kind>` document, read and checked: its target type, the member object before
 * overrides, its placement and its overrides. An RSP may later replace placement and overrides
 * (rsp.ts), which is why those two are not readonly.
 */
import { replicaCountProblems } from '../numbers.js';
import type { KubeObject, ObjectKey, SourceObject } from '../types.js';
import { sourceKey, type Findings } from './findings.js';
import { buildMember } from './member.js';
import { parseOverrides, type OverridesByCluster } from './overrides.js';
import { parsePlacement, type Placement } from './placement.js';
import type { TargetType } from './target-types.js';
import { isRecord } from './json.js';
import type { TemplateSchemas } from '../schema/templates.js';

export interface FederatedDoc {
  readonly src: SourceObject;
  readonly key: ObjectKey;
  readonly type: TargetType;
  /** Namespace of the member object; undefined for cluster-scoped targets. */
  readonly namespace: string | undefined;
  readonly base: KubeObject;
  placement: Placement;
  overrides: OverridesByCluster;
}

export function isNamespaceType(t: TargetType): boolean {
  return t.group === '' && t.kind === 'Namespace';
}

/** Read a federated document of a known type; undefined (with findings) when it cannot be rendered. */
export function parseFederated(src: SourceObject, type: TargetType, findings: Findings, schemas?: TemplateSchemas): FederatedDoc | undefined {
  const { metadata } = src.obj;
  const spec = src.obj.spec;
  if (!isRecord(spec)) {
    findings.error('Schema', 'field spec: required mapping is missing', { src });
    return undefined;
  }
  let namespace: string | undefined;
  if (isNamespaceType(type)) {
    // Upstream keeps a FederatedNamespace inside the namespace it federates and rejects any other.
    if (metadata.namespace !== undefined && metadata.namespace !== metadata.name) {
      findings.error('InvalidName', `a FederatedNamespace must live in the namespace it federates: metadata.namespace is ${metadata.namespace}, metadata.name is ${metadata.name}`, { src, field: ['metadata', 'namespace'] });
      return undefined;
    }
  } else if (type.namespaced) {
    // No kubectl context supplies a default in a fleet repo, so the namespace has to be written down.
    if (!metadata.namespace) {
      findings.error('MissingNamespace', `${src.obj.kind} renders the namespaced kind ${type.kind}: metadata.namespace is required`, { src, field: ['metadata'] });
      return undefined;
    }
    namespace = metadata.namespace;
  }
  const base = buildMember(src, type, namespace, findings);
  // The member object is checked where the author wrote it: under spec.template.
  if (base && schemas) for (const f of schemas.check(base, ['spec', 'template'])) findings.add(f, f.message, { src, field: f.path });
  // A count the member's API server would refuse (not an integer, beyond int32, negative).
  const counts = base ? replicaCountProblems(base) : [];
  for (const p of counts) findings.error('Schema', `spec.template: ${p.message}`, { src, field: ['spec', 'template', ...p.path] });
  const placement = parsePlacement(src, spec, findings);
  const overrides = parseOverrides(src, spec, findings);
  if (!base || counts.length > 0 || !placement || !overrides) return undefined;
  return { src, key: sourceKey(src), type, namespace, base, placement, overrides };
}
