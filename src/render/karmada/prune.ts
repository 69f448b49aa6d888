/**
 * @module karmada/prune
 * What Karmada strips from every object it sends to a member, after the overrides
 * (`pkg/resourceinterpreter/default/native/prune/prune.go` RemoveIrrelevantFields with the
 * RemoveJobTTLSeconds hook, run by `ctrlutil.CreateOrUpdateWork` and again by the Work mutating
 * webhook). Writing the same lets drift correction agree with the member: a finished Job that
 * the member's TTL controller deleted is not recreated, a Service keeps the clusterIP the member
 * allocated, a ServiceAccount keeps the token Secret its member generated.
 *
 * As upstream, the per-kind rules key on the kind alone, whatever the group. The object may
 * share nested values with its template (materialise.ts copies only the spine), so every change
 * below the spine copies the path it changes first.
 */
import type { KubeObject } from '../types.js';

type Obj = Record<string, unknown>;
type Path = (string | number)[];

/** A field Karmada's pruning cannot read: upstream fails the Work (or panics) on it. */
export interface PruneProblem {
  readonly path: Path;
  readonly message: string;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Set by the API server; `status` too is never sent. */
const SERVER_METADATA = ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields', 'resourceVersion', 'selfLink', 'uid', 'ownerReferences', 'finalizers'];

/** k8s.io/kubectl/pkg/util/deployment RevisionAnnotation and RevisionHistoryAnnotation. */
const DEPLOYMENT_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history'];
/** The labels a member's Job controller generates; both spellings (Kubernetes 1.27 added the prefixed ones). */
const JOB_SELECTOR_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
const JOB_TEMPLATE_LABELS = ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name'];
const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
const SERVICE_ACCOUNT_UID = 'kubernetes.io/service-account.uid';
/** k8s.io/component-helpers/storage/volume AnnSelectedNode. */
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

/**
 * Removes in place what Karmada would not send; the caller owns `obj`, its metadata and its spec
 * (deeper values are copied before they change). Returns the fields upstream cannot read (its
 * pruning fails or panics on them, so it would never send the object); the caller reports them.
 */
export function pruneForMember(obj: KubeObject): PruneProblem[] {
  // Checking first keeps the common case (nothing to prune) from reshaping every object.
  for (const f of SERVER_METADATA) if (f in obj.metadata) delete obj.metadata[f];
  if ('status' in obj) delete obj.status;
  switch (obj.kind) {
    case 'Deployment':
      removeAnnotations(obj, DEPLOYMENT_ANNOTATIONS);
      return [];
    case 'Job':
      return pruneJob(obj);
    case 'Secret':
      pruneSecret(obj);
      return [];
    case 'ServiceAccount':
      return pruneServiceAccount(obj);
    case 'Service':
      pruneService(obj);
      return [];
    case 'PersistentVolumeClaim':
      // Upstream removes it only when it holds a non-empty string.
      if (typeof obj.metadata.annotations?.[SELECTED_NODE] === 'string' && obj.metadata.annotations[SELECTED_NODE] !== '') removeAnnotations(obj, [SELECTED_NODE]);
      return [];
    default:
      return [];
  }
}

function removeAnnotations(obj: KubeObject, keys: readonly string[]): void {
  const annotations = obj.metadata.annotations;
  if (!isObj(annotations) || !keys.some((k) => k in annotations)) return;
  const copy = { ...annotations };
  for (const k of keys) delete copy[k];
  obj.metadata.annotations = copy;
}

/**
 * The selector labels the member's Job controller generates, unless the selector is manual, and
 * `ttlSecondsAfterFinished`: a member's TTL controller deletes a finished Job, and Karmada must
 * not recreate it (karmada issue #2197).
 */
function pruneJob(obj: KubeObject): PruneProblem[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const problems: PruneProblem[] = [];
  if (spec.manualSelector !== undefined && spec.manualSelector !== null && typeof spec.manualSelector !== 'boolean') {
    // Upstream converts the object to a typed Job first and fails the Work on a mistyped field.
    problems.push({ path: ['spec', 'manualSelector'], message: 'field spec.manualSelector: must be true or false' });
  } else if (spec.manualSelector !== true) {
    problems.push(...withoutKeys(spec, ['spec'], ['selector', 'matchLabels'], JOB_SELECTOR_LABELS));
    problems.push(...withoutKeys(spec, ['spec'], ['template', 'metadata', 'labels'], JOB_TEMPLATE_LABELS));
  }
  if ('ttlSecondsAfterFinished' in spec) delete spec.ttlSecondsAfterFinished;
  return problems;
}

/**
 * Removes `keys` from the string map at `at` below `root` (which the caller owns), copying each
 * level on the way down so shared values stay untouched. Upstream reads the map as strings
 * (NestedStringMap) and fails on anything else.
 */
function withoutKeys(root: Obj, rootPath: Path, at: readonly string[], keys: readonly string[]): PruneProblem[] {
  const chain: Obj[] = [root];
  for (const seg of at) {
    const next = chain[chain.length - 1]![seg];
    if (next === undefined || next === null) return [];
    if (!isObj(next)) return [{ path: [...rootPath, ...at.slice(0, chain.length)], message: `field ${[...rootPath, ...at.slice(0, chain.length)].join('.')}: must be a mapping` }];
    chain.push(next);
  }
  const map = chain[chain.length - 1]!;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') return [{ path: [...rootPath, ...at, k], message: `field ${[...rootPath, ...at, k].join('.')}: must be a string` }];
  }
  if (!keys.some((k) => k in map)) return [];
  let parent = root;
  for (const seg of at) {
    const copy = { ...(parent[seg] as Obj) };
    parent[seg] = copy;
    parent = copy;
  }
  for (const k of keys) delete parent[k];
  return [];
}

/** A service-account token Secret: its member's token controller fills the data and the uid. */
function pruneSecret(obj: KubeObject): void {
  if (obj.type !== SERVICE_ACCOUNT_TOKEN) return;
  removeAnnotations(obj, [SERVICE_ACCOUNT_UID]);
  // Upstream sets `data: null`; an API server reads that as no data at all, so the key goes.
  delete obj.data;
}

/**
 * The token Secrets a member generated for the account (`<name>-token-*`). Faithful to upstream's
 * loop, which removes from the list it walks: of two such entries in a row, the second stays.
 */
function pruneServiceAccount(obj: KubeObject): PruneProblem[] {
  const secrets = obj.secrets;
  if (!Array.isArray(secrets) || secrets.length === 0) return [];
  const prefix = `${obj.metadata.name}-token-`;
  for (const [i, s] of secrets.entries()) {
    // Upstream asserts each entry is a mapping with a string name, and panics otherwise.
    if (!isObj(s) || typeof s.name !== 'string') return [{ path: ['secrets', i], message: `field secrets[${i}].name: must be a string (Karmada's pruning of token Secrets reads every entry's name)` }];
  }
  const kept = secrets.slice();
  for (let i = 0; i < kept.length; i++) {
    if ((kept[i] as { name: string }).name.startsWith(prefix)) kept.splice(i, 1);
  }
  if (kept.length !== secrets.length) obj.secrets = kept;
  return [];
}

/** The member allocates its own cluster IPs; a headless Service (`None`) keeps its value. */
function pruneService(obj: KubeObject): void {
  const spec = obj.spec;
  if (!isObj(spec) || typeof spec.clusterIP !== 'string' || spec.clusterIP === 'None') return;
  delete spec.clusterIP;
  delete spec.clusterIPs;
}
