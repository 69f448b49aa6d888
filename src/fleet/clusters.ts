/**
 * @module fleet/clusters
 * The inventory's documents by cluster name, found as render finds them.
 */
import { isClusterDocument } from '../render/inventory.js';
import type { SourceObject } from '../render/types.js';

export type ClusterKind = 'kubefed' | 'karmada';

export function clusterDocuments(objects: readonly SourceObject[], name?: string): SourceObject[] {
  return objects.filter((o) => isClusterDocument(o) && (name === undefined || o.obj.metadata.name === name));
}

export function kindOf(doc: SourceObject): ClusterKind {
  return doc.obj.kind === 'KubeFedCluster' ? 'kubefed' : 'karmada';
}
