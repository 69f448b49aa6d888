/**
 * @module kubefed/sealed-secret
 * A FederatedSecret without `spec.template` places the SOPS-encrypted Secret of its namespace
 * and name (a gitfed extension). SOPS binds each value to its path and its MAC to the whole
 * file, so a template cannot be encrypted in place; the encrypted Secret is the member object
 * as committed, and the FederatedSecret keeps what KubeFed gives it: placement (clusters,
 * clusterSelector, its FederatedNamespace, an RSP has nothing to do here) and overrides, which
 * render/sealed.ts refuses where they would change the document.
 */
import { groupOf, objectKey } from '../../object.js';
import type { SourceObject } from '../types.js';
import type { FederatedDoc } from './federated.js';

/** The encrypted Secrets of the fleet by key, for FederatedSecrets to find. */
export function sealedSecrets(objects: readonly SourceObject[]): Map<string, SourceObject> {
  const out = new Map<string, SourceObject>();
  for (const o of objects) if (o.verbatim !== undefined && o.obj.kind === 'Secret' && groupOf(o.obj.apiVersion) === '') out.set(objectKey(o.obj), o);
  return out;
}

/** The federated object with the encrypted Secret as its member object, when it has no template and one exists. */
export function withSealedSecret(doc: FederatedDoc, sealed: ReadonlyMap<string, SourceObject>, consumed: Set<SourceObject>): FederatedDoc {
  if (doc.type.group !== '' || doc.type.kind !== 'Secret' || doc.namespace === undefined) return doc;
  if ((doc.src.obj.spec as { template?: unknown }).template !== undefined) return doc;
  const secret = sealed.get(objectKey({ apiVersion: 'v1', kind: 'Secret', metadata: { name: doc.src.obj.metadata.name, namespace: doc.namespace } }));
  if (!secret) return doc;
  consumed.add(secret);
  return { ...doc, base: secret.obj };
}
