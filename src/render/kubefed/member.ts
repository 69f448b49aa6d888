/**
 * The object a member cluster gets from a federated object (upstream `ObjectForCluster`): the
 * template, with kind and apiVersion of the target type and name and namespace of the federated
 * object. Unlike upstream, template annotations and finalizers are kept: KubeFed dropped them
 * because its sync controller kept its own bookkeeping there, and gitfed has none. No kubefed
 * labels are added; ownership labels are the apply side's business and never go into git.
 */
import { groupOf } from '../../object.js';
import type { KubeObject, SourceObject } from '../types.js';
import { isRecord } from './json.js';
import type { Findings } from './findings.js';
import { applyOverrides, type Override } from './overrides.js';
import { apiVersionOf, type TargetType } from './target-types.js';

/**
 * The member object before overrides, shared by every cluster that has none. Its nested values
 * are the template's own (no copy): callers must treat it as read-only.
 */
export function buildMember(src: SourceObject, type: TargetType, namespace: string | undefined, findings: Findings): KubeObject | undefined {
  const spec = src.obj.spec as Record<string, unknown>;
  const template = spec.template ?? {};
  if (!isRecord(template)) {
    findings.error('Schema', 'field spec.template: must be a mapping (the target object without apiVersion and kind)', { src, field: ['spec', 'template'] });
    return undefined;
  }
  const { apiVersion: tApiVersion, kind: tKind, metadata: tMeta, ...rest } = template;
  if (tKind !== undefined && tKind !== type.kind) {
    findings.error('TemplateKindMismatch', `spec.template.kind is ${JSON.stringify(tKind)}, but ${src.obj.kind} renders ${type.kind}`, { src, field: ['spec', 'template', 'kind'] });
    return undefined;
  }
  // Upstream keeps a template's own apiVersion (say autoscaling/v1 for an HPA); another group
  // would be another resource altogether.
  let apiVersion = apiVersionOf(type);
  if (tApiVersion !== undefined) {
    if (typeof tApiVersion !== 'string' || groupOf(tApiVersion) !== type.group) {
      findings.error('TemplateKindMismatch', `spec.template.apiVersion ${JSON.stringify(tApiVersion)} is not in the API group of ${type.kind} (${type.group || 'core'})`, { src, field: ['spec', 'template', 'apiVersion'] });
      return undefined;
    }
    apiVersion = tApiVersion;
  }
  if (tMeta !== undefined && tMeta !== null && !isRecord(tMeta)) {
    findings.error('Schema', 'field spec.template.metadata: must be a mapping', { src, field: ['spec', 'template', 'metadata'] });
    return undefined;
  }
  const { name: tName, namespace: tNamespace, ...metaRest } = tMeta ?? {};
  const name = src.obj.metadata.name;
  if (tName !== undefined && tName !== name) {
    findings.warning('TemplateNameIgnored', `spec.template.metadata.name ${JSON.stringify(tName)} is ignored: the member object is named after the federated object, ${name}`, { src, field: ['spec', 'template', 'metadata', 'name'] });
  }
  if (tNamespace !== undefined && tNamespace !== namespace) {
    findings.warning('TemplateNameIgnored', `spec.template.metadata.namespace ${JSON.stringify(tNamespace)} is ignored: the member object ${namespace ? `goes to namespace ${namespace}, the federated object's` : 'is cluster-scoped'}`, { src, field: ['spec', 'template', 'metadata', 'namespace'] });
  }
  const metadata = { name, ...(namespace !== undefined ? { namespace } : {}), ...metaRest } as KubeObject['metadata'];
  return { apiVersion, kind: type.kind, metadata, ...rest };
}

/** The member object for one cluster: the shared base itself when there is nothing to override. */
export function memberForCluster(base: KubeObject, ops: readonly Override[]): { obj: KubeObject } | { failed: Override; reason: string } {
  return ops.length === 0 ? { obj: base } : applyOverrides(base, ops);
}
