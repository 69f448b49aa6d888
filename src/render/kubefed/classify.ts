/**
 * Picks the KubeFed documents out of the fleet repo and reads them: type configs first (they
 * decide which kinds are federated types), then federated objects and RSPs. Everything picked is
 * consumed, including what fails to parse, so the Karmada engine never sees it as a template.
 */
import { groupOf } from '../../object.js';
import type { TemplateSchemas } from '../schema/templates.js';
import type { SourceObject } from '../types.js';
import { parseFederated, type FederatedDoc } from './federated.js';
import { sealedSecrets, withSealedSecret } from './sealed-secret.js';
import type { Findings } from './findings.js';
import { checkFederatedFields, checkRspFields, checkTypeConfigFields } from './fields.js';
import { parseRsp, RSP_GROUP, RSP_KIND, RSP_VERSION, type Rsp } from './rsp.js';
import { TypeRegistry } from './target-types.js';
import { parseTypeConfig, TYPE_CONFIG_GROUP, TYPE_CONFIG_KIND } from './type-config.js';

export interface KubeFedDocuments {
  readonly federated: FederatedDoc[];
  readonly rsps: Rsp[];
  readonly consumed: Set<SourceObject>;
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

function checkVersion(src: SourceObject, want: string, findings: Findings): boolean {
  if (versionOf(src.obj.apiVersion) === want) return true;
  findings.error('UnsupportedVersion', `${src.obj.kind} is read at ${groupOf(src.obj.apiVersion)}/${want}, not ${src.obj.apiVersion}`, { src, field: ['apiVersion'] });
  return false;
}

function readTypeConfigs(objects: readonly SourceObject[], consumed: Set<SourceObject>, findings: Findings): TypeRegistry {
  const registry = new TypeRegistry();
  const declared = new Map<string, SourceObject>();
  for (const src of objects) {
    if (src.obj.kind !== TYPE_CONFIG_KIND || groupOf(src.obj.apiVersion) !== TYPE_CONFIG_GROUP) continue;
    consumed.add(src);
    if (!checkVersion(src, 'v1beta1', findings)) continue;
    checkTypeConfigFields(src, findings);
    const t = parseTypeConfig(src, findings);
    if (!t) continue;
    const id = `${t.federatedGroup}/${t.federatedKind}`;
    const first = declared.get(id);
    if (first) {
      findings.error('DuplicateTypeConfig', `${t.federatedKind} (${t.federatedGroup}) is also configured by ${first.pos.file}:${first.pos.line}`, { src });
      continue;
    }
    declared.set(id, src);
    registry.set(t);
  }
  return registry;
}

export function readKubeFedDocuments(objects: readonly SourceObject[], findings: Findings, schemas?: TemplateSchemas): KubeFedDocuments {
  const consumed = new Set<SourceObject>();
  const registry = readTypeConfigs(objects, consumed, findings);
  const federated: FederatedDoc[] = [];
  const rsps: Rsp[] = [];
  const sealed = sealedSecrets(objects);
  for (const src of objects) {
    const { apiVersion, kind } = src.obj;
    const group = groupOf(apiVersion);
    if (group === RSP_GROUP && kind === RSP_KIND) {
      consumed.add(src);
      if (!checkVersion(src, RSP_VERSION, findings)) continue;
      checkRspFields(src, findings);
      const rsp = parseRsp(src, findings);
      if (rsp) rsps.push(rsp);
      continue;
    }
    if (!registry.isFederatedGroup(group)) continue;
    consumed.add(src);
    const type = registry.get(group, kind);
    if (!type) {
      findings.error(
        'UnknownFederatedType',
        `${kind} is not a built-in federated type; add a FederatedTypeConfig (core.kubefed.io/v1beta1) whose federatedType is ${kind} to render it`,
        { src, field: ['kind'] },
      );
      continue;
    }
    if (!checkVersion(src, type.federatedVersion, findings)) continue;
    checkFederatedFields(src, type, findings);
    const doc = parseFederated(src, type, findings, schemas);
    if (doc) federated.push(withSealedSecret(doc, sealed, consumed));
  }
  return { federated, rsps, consumed };
}
