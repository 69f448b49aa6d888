/**
 * @module fleet/federate-template
 * One plain object into its `Federated<Kind>`, on the `yaml` package's nodes so that the
 * author's comments inside the object survive the move under `spec.template`.
 *
 * Unlike upstream (which kept only labels), the template keeps annotations and everything else
 * the author wrote: gitfed renders template metadata as written, so `render(federate(x))` gives
 * back `x`. What goes is what a server adds: status, uid, resourceVersion, generation,
 * creationTimestamp, managedFields, selfLink, ownerReferences, deletion fields and kubectl's
 * last-applied annotation. For an object exported from a live cluster (it carries a uid,
 * resourceVersion or creationTimestamp) the values the server assigned go too, as upstream
 * strips them: a Service's clusterIP(s) (unless headless) and nodePorts, a ServiceAccount's
 * token secrets, a Namespace's finalizers and its `kubernetes.io/metadata.name` label. A file
 * written by hand keeps an explicit nodePort.
 */
import { isMap, isScalar, isSeq, YAMLMap, type Document } from 'yaml';
import type { TypeSpec } from './type-configs.js';

const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const LIVE_MARKERS = ['uid', 'resourceVersion', 'creationTimestamp'];

export type PlacementSpec = { clusters: readonly string[] } | { matchLabels: Readonly<Record<string, string>> } | 'all';

export function placementNode(p: PlacementSpec): Record<string, unknown> {
  if (p === 'all') return { clusterSelector: {} };
  if ('clusters' in p) return { clusters: p.clusters.map((name) => ({ name })) };
  return { clusterSelector: { matchLabels: { ...p.matchLabels } } };
}

function deleteIfEmpty(parent: YAMLMap, key: string): void {
  const v = parent.get(key, true);
  if (isMap(v) && v.items.length === 0) parent.delete(key);
}

/** Values the API server assigned, present only in objects read back from a cluster. */
function stripAssigned(obj: YAMLMap, type: TypeSpec): void {
  const spec = obj.get('spec', true);
  const meta = obj.get('metadata', true);
  if (type.group !== '') return;
  if (type.kind === 'Service' && isMap(spec)) {
    if (spec.get('clusterIP') !== 'None') {
      spec.delete('clusterIP');
      spec.delete('clusterIPs');
    }
    spec.delete('healthCheckNodePort');
    const ports = spec.get('ports', true);
    if (isSeq(ports)) for (const p of ports.items) if (isMap(p)) p.delete('nodePort');
  } else if (type.kind === 'ServiceAccount') {
    obj.delete('secrets');
  } else if (type.kind === 'Namespace') {
    if (isMap(spec)) {
      spec.delete('finalizers');
      deleteIfEmpty(obj, 'spec');
    }
    const labels = isMap(meta) ? meta.get('labels', true) : undefined;
    if (isMap(labels)) {
      labels.delete('kubernetes.io/metadata.name');
      if (isMap(meta)) deleteIfEmpty(meta, 'labels');
    }
  }
}

export interface FederateTarget {
  readonly type: TypeSpec;
  readonly name: string;
  /** The member object's namespace; undefined for cluster-scoped kinds. */
  readonly namespace: string | undefined;
  readonly placement: PlacementSpec;
}

/**
 * Replace `doc`'s object (or `node`, an item of a List) by its federated form, returned as a new
 * map node of `doc`. `node` is consumed: it becomes the template.
 */
export function federateNode(doc: Document, node: YAMLMap, target: FederateTarget): YAMLMap {
  const { type } = target;
  // The comment above the object is held by the map or by its first key; it stays on top.
  const firstKey = node.items[0]?.key;
  const lead = node.commentBefore ?? (isScalar(firstKey) ? firstKey.commentBefore : undefined);
  node.commentBefore = undefined;
  if (isScalar(firstKey)) firstKey.commentBefore = undefined;
  const meta = node.get('metadata', true);
  const live = isMap(meta) && LIVE_MARKERS.some((k) => meta.has(k));
  // A template's own apiVersion is kept only when it is another version of the type's group; render keeps it then.
  if (node.get('apiVersion') === (type.group === '' ? type.version : `${type.group}/${type.version}`)) node.delete('apiVersion');
  node.delete('kind');
  node.delete('status');
  if (live) stripAssigned(node, type);
  if (isMap(meta)) {
    for (const k of [...SERVER_METADATA, 'name', 'namespace']) meta.delete(k);
    const annotations = meta.get('annotations', true);
    if (isMap(annotations)) {
      annotations.delete(LAST_APPLIED);
      deleteIfEmpty(meta, 'annotations');
    }
    deleteIfEmpty(node, 'metadata');
  }
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  const namespace = isNamespace ? target.name : target.namespace;
  const fed = doc.createNode({
    apiVersion: `${type.federatedGroup}/${type.federatedVersion}`,
    kind: type.federatedKind,
    metadata: { name: target.name, ...(namespace !== undefined ? { namespace } : {}) },
  }) as YAMLMap;
  fed.commentBefore = lead;
  const spec = new YAMLMap();
  if (node.items.length > 0) spec.set('template', node);
  spec.set('placement', doc.createNode(placementNode(target.placement)));
  fed.set('spec', spec);
  return fed;
}
