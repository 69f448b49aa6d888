/**
 * Type configs: how a fleet repo teaches gitfed a federated type that is not built in (a CRD), in
 * the shape of kubefedctl's FederatedTypeConfig (core.kubefed.io/v1beta1), trimmed to what a
 * render needs:
 *
 *   apiVersion: core.kubefed.io/v1beta1
 *   kind: FederatedTypeConfig
 *   metadata:
 *     name: certificates.cert-manager.io      # <pluralName>.<group>; core group: just <pluralName>
 *   spec:
 *     targetType:                             # the object each member cluster gets
 *       group: cert-manager.io                # default: the part of metadata.name after the first "."
 *       version: v1                           # required
 *       kind: Certificate                     # required
 *       pluralName: certificates              # default: the part of metadata.name before the first "."
 *       scope: Namespaced                     # required: Namespaced | Cluster
 *     federatedType:                          # optional, every field defaulted
 *       group: types.kubefed.io               # default
 *       version: v1beta1                      # default
 *       kind: FederatedCertificate            # default: Federated<targetType.kind>
 *       pluralName: federatedcertificates     # default: kubefedctl's plural of kind (unused by render)
 *     propagation: Enabled                    # Enabled (default) | Disabled: objects are read, go nowhere
 *
 * `statusType` and `statusCollection` are accepted and ignored: a render has no status. A type
 * config for a built-in federated kind replaces the built-in (say, to pin another version or to
 * disable propagation). Namespaces of type configs are ignored; upstream keeps them in the KubeFed
 * system namespace, which gitfed does not have.
 */
import type { SourceObject } from '../types.js';
import type { Findings } from './findings.js';
import { FEDERATED_GROUP, FEDERATED_VERSION, pluralName, type TargetType } from './target-types.js';
import { isRecord } from './json.js';

export const TYPE_CONFIG_GROUP = 'core.kubefed.io';
export const TYPE_CONFIG_KIND = 'FederatedTypeConfig';

/** A non-empty string field, or undefined when absent; reports a wrong type. */
function optString(obj: Record<string, unknown>, key: string, src: SourceObject, field: string[], findings: Findings): string | undefined | null {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v !== '') return v;
  findings.error('Schema', `field ${[...field, key].join('.')}: must be a non-empty string`, { src, field: [...field, key] });
  return null;
}

/** Parse one type config; undefined (with findings) when it is unusable. */
export function parseTypeConfig(src: SourceObject, findings: Findings): TargetType | undefined {
  const spec = src.obj.spec;
  if (!isRecord(spec) || !isRecord(spec.targetType)) {
    findings.error('Schema', 'field spec.targetType: required mapping is missing', { src, field: ['spec'] });
    return undefined;
  }
  const tt = spec.targetType;
  const name = src.obj.metadata.name;
  const dot = name.indexOf('.');
  const nameGroup = dot < 0 ? '' : name.slice(dot + 1);
  const namePlural = dot < 0 ? name : name.slice(0, dot);

  const at = ['spec', 'targetType'];
  const group = optString(tt, 'group', src, at, findings);
  const version = optString(tt, 'version', src, at, findings);
  const kind = optString(tt, 'kind', src, at, findings);
  const plural = optString(tt, 'pluralName', src, at, findings);
  const scope = tt.scope;
  let ok = group !== null && version !== null && kind !== null && plural !== null;
  if (version === undefined) findings.error('Schema', 'field spec.targetType.version: required string is missing', { src, field: at });
  if (kind === undefined) findings.error('Schema', 'field spec.targetType.kind: required string is missing', { src, field: at });
  if (scope !== 'Namespaced' && scope !== 'Cluster') {
    findings.error('Schema', `field spec.targetType.scope: must be Namespaced or Cluster, not ${JSON.stringify(scope ?? null)}`, { src, field: scope === undefined ? at : [...at, 'scope'] });
    ok = false;
  }
  if (!ok || !version || !kind) return undefined;

  const ft = spec.federatedType ?? {};
  if (!isRecord(ft)) {
    findings.error('Schema', 'field spec.federatedType: must be a mapping', { src, field: ['spec', 'federatedType'] });
    return undefined;
  }
  const fat = ['spec', 'federatedType'];
  const fGroup = optString(ft, 'group', src, fat, findings);
  const fVersion = optString(ft, 'version', src, fat, findings);
  const fKind = optString(ft, 'kind', src, fat, findings);
  if (fGroup === null || fVersion === null || fKind === null) return undefined;

  const propagation = spec.propagation ?? 'Enabled';
  if (propagation !== 'Enabled' && propagation !== 'Disabled') {
    findings.error('Schema', `field spec.propagation: must be Enabled or Disabled, not ${JSON.stringify(propagation)}`, { src, field: ['spec', 'propagation'] });
    return undefined;
  }

  return {
    group: group ?? nameGroup,
    version,
    kind,
    pluralName: plural ?? (namePlural || pluralName(kind)),
    namespaced: scope === 'Namespaced',
    federatedGroup: fGroup ?? FEDERATED_GROUP,
    federatedVersion: fVersion ?? FEDERATED_VERSION,
    federatedKind: fKind ?? `Federated${kind}`,
    propagation: propagation === 'Enabled',
    source: src,
  };
}
