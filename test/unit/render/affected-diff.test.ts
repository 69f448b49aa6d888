/**
 * `gitfed diff` renders each side only as far as the change reaches (src/render/affected.ts,
 * src/render/pair.ts). The claim checked here: whenever renderChanged gives a result, the diff
 * made from it is the diff made from rendering both sides whole; its head warnings are among the
 * whole head's; and it never hides an error the whole render has because of the change.
 *
 * - Seeded random fleets mixing both styles (KubeFed Federated objects with RSPs, FederatedHPAs,
 *   overrides, FederatedSecret + SOPS Secret, depends-on; Karmada templates with propagateDeps,
 *   HPAs, OverridePolicies, custom kinds, RBAC) and random edits of them. A failure prints the
 *   seed, the case and the edit: `caseFor(seed, i)` rebuilds it.
 * - examples/fleet-repo with edits applied to each of its documents in turn.
 * - Hand-written cases for the relations that matter, each also asserting that the related
 *   unchanged file was rendered.
 * - Cases that once broke the claim (a name hashed into a file name, a name spelled with a YAML
 *   escape, NoSchema's place), kept.
 *
 * AFFECTED_DIFF_FLEETS=600 npx vitest run test/unit/render/affected-diff.test.ts runs more random
 * fleets (8 cases each; the default 60 are its first ones).
 */
import { createHash } from 'node:crypto';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { RenderErrors, type GitfedError } from '../../../src/errors.js';
import { CopyMemo } from '../../../src/render/copy-memo.js';
import { diffOutputs, type FleetDiff } from '../../../src/render/diff.js';
import { affectedSelection } from '../../../src/render/affected.js';
import { ParseCache } from '../../../src/render/load.js';
import { renderChanged, type ChangedRender } from '../../../src/render/pair.js';
import { renderFleet, type RenderCaches, type RenderResult } from '../../../src/render/render.js';
import { readWorkingTree } from '../../../src/workspace/source.js';

type Files = ReadonlyMap<string, string>;
// Documents as the generator and the edits handle them: any shape YAML gives.
type Obj = Record<string, any>;

const LABELS = { base: 'base', head: 'head' };

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

function tryRender(files: Files): RenderResult | RenderErrors {
  try {
    return renderFleet(files);
  } catch (e) {
    if (e instanceof RenderErrors) return e;
    throw e;
  }
}

/** A FleetDiff as plain data: every field the claim covers, the `parse` function left out. */
function plainDiff(d: FleetDiff): unknown {
  return {
    changed: d.changed,
    clustersTotal: d.clustersTotal,
    presence: [...(d.presence ?? new Map())].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    clusters: d.clusters.map((c) => ({
      cluster: c.cluster,
      branch: c.branch,
      status: c.status,
      added: c.added,
      changed: c.changed,
      removed: c.removed,
      changes: c.changes.map((ch) => ({ action: ch.action, path: ch.path, key: ch.key, object: ch.object, before: ch.before ?? null, after: ch.after ?? null, diff: ch.diff })),
    })),
  };
}

// NoSchema is told once per kind, at the first document of the kind the render meets: a partial
// render may meet another first (README, gitfed diff), so its place is not compared.
const warningKey = (w: { code: string; file?: string; line?: number; message: string; cluster?: string }) =>
  w.code === 'NoSchema' ? JSON.stringify([w.code, w.message]) : JSON.stringify([w.code, w.file ?? null, w.line ?? null, w.message, w.cluster ?? null]);
const errorKey = (e: GitfedError) => JSON.stringify([e.code, e.file ?? null, e.line ?? null, e.message, e.cluster ?? null]);

/** The changed repo paths of two sides. */
function changedPaths(base: Files, head: Files): Set<string> {
  const out = new Set<string>();
  for (const p of new Set([...base.keys(), ...head.keys()])) if (base.get(p) !== head.get(p)) out.add(p);
  return out;
}

interface Outcome {
  /** renderChanged gave a result. */
  readonly partial: boolean;
  readonly result?: ChangedRender;
  readonly wholeBase: RenderResult | RenderErrors;
  readonly wholeHead: RenderResult | RenderErrors;
  /** What breaks the claim; empty when it holds. */
  readonly problems: string[];
}

type CacheMode = 'none' | 'cli';

/** `cli`: the caches `gitfed diff` passes (one parse cache, a copy memo, texts on read). */
function cachesFor(mode: CacheMode): RenderCaches {
  return mode === 'cli' ? { parse: new ParseCache(), copies: new CopyMemo(), textsOnRead: true } : {};
}

/** Everything the claim says, for one pair of sides. */
function check(base: Files, head: Files, mode: CacheMode = 'none'): Outcome {
  const wholeBase = tryRender(base);
  const wholeHead = tryRender(head);
  const problems: string[] = [];
  let result: ChangedRender | undefined;
  try {
    result = renderChanged(base, head, cachesFor(mode));
  } catch (e) {
    problems.push(`renderChanged threw ${e instanceof Error ? e.stack : String(e)}`);
  }
  if (!result) return { partial: false, wholeBase, wholeHead, problems };

  const { rendered, total } = result.files;
  if (!(rendered >= 0 && rendered <= total)) problems.push(`files: rendered ${rendered} of ${total}`);
  const changed = changedPaths(base, head);
  if (!(wholeBase instanceof RenderErrors) && !(wholeHead instanceof RenderErrors)) {
    const want = JSON.stringify(plainDiff(diffOutputs(wholeBase.branches, wholeHead.branches, LABELS)));
    const got = JSON.stringify(plainDiff(diffOutputs(result.before.branches, result.after.branches, LABELS)));
    if (want !== got) problems.push(`diff differs from the whole render's:\n  whole:   ${summary(diffOutputs(wholeBase.branches, wholeHead.branches, LABELS))}\n  partial: ${summary(diffOutputs(result.before.branches, result.after.branches, LABELS))}`);
    const whole = new Set(wholeHead.warnings.map(warningKey));
    for (const w of result.after.warnings) if (!whole.has(warningKey(w))) problems.push(`partial head warning not in the whole head render: ${warningKey(w)}`);
  } else {
    // A side that does not render whole: the errors must be the same on both sides (there before
    // the change, and still after it), each in a file the change left alone.
    const errs = (r: RenderResult | RenderErrors) => (r instanceof RenderErrors ? r.errors : []);
    const inBase = new Set(errs(wholeBase).map(errorKey));
    const inHead = new Set(errs(wholeHead).map(errorKey));
    for (const e of errs(wholeHead)) {
      if (e.file !== undefined && changed.has(e.file)) problems.push(`whole head throws in the changed file ${e.file}, yet renderChanged gave a result: ${e.format()}`);
      else if (!inBase.has(errorKey(e))) problems.push(`whole head throws an error the base does not have, yet renderChanged gave a result: ${e.format()}`);
    }
    for (const e of errs(wholeBase)) {
      if (e.file !== undefined && changed.has(e.file)) problems.push(`whole base throws in the changed file ${e.file}, yet renderChanged gave a result: ${e.format()}`);
      else if (!inHead.has(errorKey(e))) problems.push(`whole base throws an error the head does not have, yet renderChanged gave a result: ${e.format()}`);
    }
  }
  return { partial: true, result, wholeBase, wholeHead, problems };
}

function summary(d: FleetDiff): string {
  const parts = d.clusters.map((c) => `${c.cluster}[${c.changes.map((ch) => `${ch.action[0]}:${ch.key}`).join(' ')}]`);
  return parts.join(' ') || '(no change)';
}

// ---------------------------------------------------------------------------------------------
// A fleet as documents per file
// ---------------------------------------------------------------------------------------------

interface Doc {
  obj: Obj;
  /** Written as is (a SOPS-encrypted document, whose text is bound to its MAC). */
  raw?: string;
}

interface FileEntry {
  docs: Doc[];
  /** The file's text as read, kept while its documents are untouched. */
  text?: string;
}

type Fleet = Map<string, FileEntry>;

const dump = (o: unknown) => jsyaml.dump(o, { lineWidth: -1, noRefs: true });

function filesOf(fleet: Fleet): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, f] of fleet) out.set(path, f.text ?? f.docs.map((d) => d.raw ?? dump(d.obj)).join('---\n'));
  return out;
}

function cloneFleet(fleet: Fleet): Fleet {
  return new Map([...fleet].map(([p, f]) => [p, { docs: f.docs.map((d) => ({ obj: structuredClone(d.obj), ...(d.raw !== undefined ? { raw: d.raw } : {}) })), ...(f.text !== undefined ? { text: f.text } : {}) }]));
}

/** Reads texts into documents (a file with a top-level `sops` mapping stays one raw document). */
function fleetOf(files: Files): Fleet {
  const out: Fleet = new Map();
  for (const [path, text] of files) {
    if (path === 'gitfed.yaml' || !/\.ya?ml$/.test(path)) {
      out.set(path, { docs: [{ obj: (jsyaml.load(text) ?? {}) as Obj, raw: text }], text });
      continue;
    }
    const docs = jsyaml.loadAll(text).filter((d): d is Obj => d !== null && typeof d === 'object');
    out.set(path, { docs: docs.map((obj) => (obj.sops ? { obj, raw: text } : { obj })), text });
  }
  return out;
}

const groupOfObj = (o: Obj) => (String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0]! : '');

/** What affected.ts treats as fleet-wide by kind and group (names aside). */
function fleetWideKind(o: Obj): boolean {
  const g = groupOfObj(o);
  if (['policy.karmada.io', 'config.karmada.io', 'core.kubefed.io', 'cluster.karmada.io', 'apiextensions.k8s.io'].includes(g)) return true;
  if (o.kind === 'Namespace' || o.kind === 'FederatedNamespace') return true;
  if (g === 'scheduling.kubefed.io') return o.kind !== 'ReplicaSchedulingPreference';
  return false;
}

interface Located {
  path: string;
  index: number;
  doc: Doc;
}

function allDocs(fleet: Fleet, pred: (d: Doc, path: string) => boolean = () => true): Located[] {
  const out: Located[] = [];
  for (const [path, f] of fleet) {
    if (path === 'gitfed.yaml') continue;
    f.docs.forEach((doc, index) => {
      if (pred(doc, path)) out.push({ path, index, doc });
    });
  }
  return out;
}

const templateDocs = (fleet: Fleet) => allDocs(fleet, (d) => !fleetWideKind(d.obj));

/** Marks a file's documents as changed (its text is written from them again). */
function touched(fleet: Fleet, path: string): FileEntry {
  const f = fleet.get(path)!;
  delete f.text;
  return f;
}

function removeDoc(fleet: Fleet, at: Located): void {
  const f = touched(fleet, at.path);
  f.docs.splice(at.index, 1);
  if (f.docs.length === 0) fleet.delete(at.path);
}

function addDoc(fleet: Fleet, path: string, doc: Doc): void {
  const f = fleet.get(path);
  if (!f) fleet.set(path, { docs: [doc] });
  else {
    delete f.text;
    f.docs.push(doc);
  }
}

/** Sets a document's name (a SOPS document: in its raw text too, as `sops` would not). */
function rename(doc: Doc, name: string): void {
  const old = doc.obj.metadata.name;
  doc.obj.metadata.name = name;
  if (doc.raw !== undefined) doc.raw = doc.raw.replace(`name: ${old}\n`, `name: ${name}\n`);
}

const describeDoc = (d: Doc) => `${d.obj.kind}/${d.obj.metadata?.namespace ?? ''}/${d.obj.metadata?.name}`;

// ---------------------------------------------------------------------------------------------
// A seeded generator
// ---------------------------------------------------------------------------------------------

/** A 32-bit linear congruential generator (Numerical Recipes constants). */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed * 2654435761) >>> 0;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(a: readonly T[]): T[] {
    const out = [...a];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

// Names no boilerplate of a fleet holds, so that only the relations made on purpose relate files.
const WORDS = [
  'zarvok', 'quellin', 'brondix', 'fenwark', 'mosselt', 'tavrino', 'ulkorin', 'pexaldo', 'gorvane', 'yastrel',
  'kembrik', 'druskel', 'lompavi', 'virskot', 'hobbelk', 'nuxtoff', 'jorvaze', 'wixtrel', 'plovask', 'crunzel',
  'dweltar', 'fizzlok', 'glimvar', 'hurtzen', 'ixbodge', 'jaxtrum', 'klopzin', 'lurvexo', 'mizzard', 'norvolt',
  'oxbrill', 'pruvane', 'quombat', 'rivvelk', 'skortal', 'trumvix', 'uvvolen', 'vexmoor', 'wumbrel', 'yorkzil',
  'zimbrak', 'bazzolt', 'cavrinx', 'dormulk', 'exquall', 'fribbon', 'gazzuml', 'hoxtern',
];

const CLUSTERS = ['eu-1', 'us-1', 'dc-1', 'ap-1'];
const KARMADA_NS = ['tools', 'metrics'];
const KUBEFED_NS = ['shop', 'data'];

const SOPS_TEXT = (name: string, namespace: string) => `apiVersion: v1
kind: Secret
metadata:
    name: ${name}
    namespace: ${namespace}
type: Opaque
stringData:
    DB_PASSWORD: ENC[AES256_GCM,data:JwkMTHNqtJSNmngk2kYjcj/XrC4LMw==,iv:tJMXCOjEeBPZjb55O6BUMxr5ZYWIyvfhAqNreJApMkU=,tag:VYpePeFITRBIicXg3Dna9w==,type:str]
sops:
    age:
        - enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBKcVRrSTRBSW1BVlM0SC9i
            -----END AGE ENCRYPTED FILE-----
          recipient: age1vay83txyj9q066awnr4lyjf3sfhqs24l8ptsxw2vdp2hwh24dgaq2qkfx9
    encrypted_regex: ^(data|stringData)$
    lastmodified: "2026-12-03T14:02:28Z"
    mac: ENC[AES256_GCM,data:ySBZf+q4vjRnWCSJhCwy/NwIm7DYgLLe4N8StDDgpmTWYsfrcMfqqg2PLZ7pdltRCGLxsWBayDEYFplF6guV+jN7VrcQEWKd/W8Dwz14DHbE4wrCdITt5VkwidEG9yvY1dz0QPbqh6An0gudjdCLlpFkpTlckHdUuR+tMj2dZ9A=,iv:pBSjjhT26tpWaNPehtq5fT9jRAMU6lOW8XWfRjuaYTE=,tag:c21oF4tyXWEm0a/zZblHcg==,type:str]
    version: 3.13.3
`;

function sopsDoc(name: string, namespace: string): Doc {
  const raw = SOPS_TEXT(name, namespace);
  return { obj: jsyaml.load(raw) as Obj, raw };
}

const crd = (group: string): Obj => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${group}` },
  spec: {
    group,
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

const cpp = (name: string, selectors: Obj[], placement: Obj, extra: Obj = {}): Obj => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'ClusterPropagationPolicy',
  metadata: { name },
  spec: { resourceSelectors: selectors, ...extra, placement },
});

function deployment(name: string, namespace: string, rng: Rng, extra: { tier?: string; cm?: string; pullSecret?: string } = {}): Obj {
  const container: Obj = { name: 'main', image: `registry.example.com/team/${name}:1.${rng.int(9)}.0` };
  if (extra.cm) container.envFrom = [{ configMapRef: { name: extra.cm } }];
  const pod: Obj = { containers: [container] };
  if (extra.pullSecret) pod.imagePullSecrets = [{ name: extra.pullSecret }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { ...(extra.tier ? { tier: extra.tier } : {}), run: name } },
    spec: { replicas: rng.range(1, 8), selector: { matchLabels: { run: name } }, template: { metadata: { labels: { run: name } }, spec: pod } },
  };
}

const configMap = (name: string, namespace: string, shared: boolean, value: string): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, ...(shared ? { labels: { share: 'all' } } : {}) },
  data: { setting: value },
});

const hpa = (name: string, namespace: string, target: string, min: number, max: number): Obj => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max },
});

const widget = (group: string, name: string, namespace: string, size: number): Obj => ({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name, namespace }, spec: { size } });

const clusterRole = (name: string): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels: { rbac: 'fleet' } },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
});

function placementOf(rng: Rng, clusters: readonly string[]): Obj {
  const v = rng.int(3);
  if (v === 0) return { clusterSelector: {} };
  if (v === 1) return { clusterSelector: { matchLabels: { location: 'cloud' } } };
  return { clusters: rng.shuffle(clusters).slice(0, rng.range(1, clusters.length)).map((name) => ({ name })) };
}

function federatedDeployment(name: string, namespace: string, rng: Rng, clusters: readonly string[]): Obj {
  const spec: Obj = {
    template: {
      metadata: { labels: { run: name } },
      spec: { replicas: rng.range(1, 9), selector: { matchLabels: { run: name } }, template: { metadata: { labels: { run: name } }, spec: { containers: [{ name: 'main', image: `registry.example.com/team/${name}:2.${rng.int(9)}.0` }] } } },
    },
    placement: placementOf(rng, clusters),
  };
  if (rng.chance(0.3)) spec.overrides = [{ clusterName: rng.pick(clusters), clusterOverrides: [{ path: '/spec/template/spec/containers/0/image', value: `mirror.example.com/team/${name}:2.0.0` }] }];
  return { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedDeployment', metadata: { name, namespace }, spec };
}

const rsp = (name: string, namespace: string, total: number, clusters: Obj): Obj => ({
  apiVersion: 'scheduling.kubefed.io/v1alpha1',
  kind: 'ReplicaSchedulingPreference',
  metadata: { name, namespace },
  spec: { targetKind: 'FederatedDeployment', totalReplicas: total, clusters },
});

const federatedHpa = (name: string, namespace: string, target: string, min: number, max: number, placement: Obj): Obj => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedHorizontalPodAutoscaler',
  metadata: { name, namespace },
  spec: { template: { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max } }, placement },
});

const federatedConfigMap = (name: string, namespace: string, value: string, placement: Obj = { clusterSelector: {} }): Obj => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name, namespace },
  spec: { template: { data: { setting: value } }, placement },
});

const federatedService = (name: string, namespace: string): Obj => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedService',
  metadata: { name, namespace },
  spec: { template: { spec: { selector: { run: name }, ports: [{ name: 'http', port: 80 }] } }, placement: { clusterSelector: {} } },
});

const federatedSecret = (name: string, namespace: string, clusters: readonly string[]): Obj => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedSecret',
  metadata: { name, namespace },
  spec: { placement: { clusters: clusters.map((c) => ({ name: c })) } },
});

const federatedClusterRole = (name: string): Obj => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedClusterRole',
  metadata: { name },
  spec: { template: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] }, placement: { clusterSelector: {} } },
});

interface Generated {
  readonly fleet: Fleet;
  /** Words not used by the fleet, for names an edit adds. */
  readonly spare: string[];
  readonly clusters: readonly string[];
  /** The group whose Widgets meet acme.io's in one file name (`acme.io-<word>`). */
  readonly collidingGroup: string;
}

function generate(rng: Rng): Generated {
  const words = rng.shuffle(WORDS);
  const take = () => words.pop()!;
  const fleet: Fleet = new Map();
  const clusters = CLUSTERS.slice(0, rng.range(3, 4));
  const leaf = () => `apps/f${rng.int(rng.range(10, 14))}.yaml`;
  const put = (path: string, obj: Obj) => addDoc(fleet, path, { obj });

  // Fleet-wide: gitfed.yaml, clusters, namespaces, CRDs, policies.
  const config = rng.int(3);
  if (config === 1) fleet.set('gitfed.yaml', { docs: [{ obj: {}, raw: 'placement:\n  whenMissing: all\n' }] });
  if (config === 2) fleet.set('gitfed.yaml', { docs: [{ obj: {}, raw: 'outputs:\n  - branch: cloud\n    dir: "{cluster}"\n    clusterSelector: {matchLabels: {location: cloud}}\n  - branch: onprem\n    dir: "{cluster}"\n    clusterSelector: {matchLabels: {location: onprem}}\n' }] });
  const perFile = rng.chance(0.5);
  for (const name of clusters) {
    const location = name === 'dc-1' ? 'onprem' : 'cloud';
    const labels = { location, region: name.slice(0, 2) };
    const obj: Obj = name === 'dc-1'
      ? { apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name, namespace: 'kube-federation-system', labels }, spec: {} }
      : { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name, labels }, spec: name === 'ap-1' ? { taints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }] } : {} };
    put(perFile ? `clusters/${name}.yaml` : 'clusters.yaml', obj);
  }
  for (const ns of KARMADA_NS) put('karmada/namespaces.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  put('kubefed/namespaces.yaml', { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'shop', namespace: 'shop' }, spec: { placement: { clusterSelector: {} } } });
  put('kubefed/namespaces.yaml', { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'data', namespace: 'data' }, spec: { placement: { clusterSelector: { matchLabels: { location: 'cloud' } } } } });
  const collidingWord = take();
  const collidingGroup = `acme.io-${collidingWord}`;
  put('karmada/crds.yaml', crd('acme.io'));
  put('karmada/crds.yaml', crd(collidingGroup));
  const all = { clusterAffinity: {}, clusterTolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] };
  const policies = 'karmada/policies.yaml';
  put(policies, cpp('front', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { tier: 'front' } } }], { clusterAffinity: { labelSelector: { matchLabels: { location: 'cloud' } } }, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' } }, { propagateDeps: true }));
  put(policies, cpp('back', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { tier: 'back' } } }], { ...all, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, { propagateDeps: true }));
  put(policies, cpp('shared', [{ apiVersion: 'v1', kind: 'ConfigMap', labelSelector: { matchLabels: { share: 'all' } } }, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' }], all));
  put(policies, cpp('things', [{ apiVersion: 'acme.io/v1', kind: 'Widget' }, { apiVersion: `${collidingGroup}/v1`, kind: 'Widget' }, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', labelSelector: { matchLabels: { rbac: 'fleet' } } }, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }], all));
  put(policies, {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'ClusterOverridePolicy',
    metadata: { name: 'front-mirror' },
    spec: {
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { tier: 'front' } } }],
      overrideRules: [{ targetCluster: { clusterNames: ['eu-1'] }, overriders: { imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'eu-mirror.example.com' }], labelsOverrider: [{ operator: 'add', value: { site: 'eu' } }] } }],
    },
  });

  // Karmada templates.
  const pullSecret = rng.chance(0.4) ? take() : undefined;
  if (pullSecret) fleet.set(`secrets/${pullSecret}.yaml`, { docs: [sopsDoc(pullSecret, 'tools')] });
  const shared: { name: string; ns: string }[] = [];
  for (let i = rng.range(3, 5); i > 0; i--) {
    const name = take();
    const ns = pullSecret && rng.chance(0.5) ? 'tools' : rng.pick(KARMADA_NS);
    const tier = rng.chance(0.9) ? rng.pick(['front', 'back']) : undefined;
    const cm = rng.chance(0.6) ? (rng.chance(0.5) ? `${name}-conf` : take()) : undefined;
    const file = leaf();
    put(file, deployment(name, ns, rng, { ...(tier ? { tier } : {}), ...(cm ? { cm } : {}), ...(pullSecret && ns === 'tools' && rng.chance(0.5) ? { pullSecret } : {}) }));
    if (cm && rng.chance(0.9)) {
      const isShared = rng.chance(0.3);
      put(rng.chance(0.5) ? file : leaf(), configMap(cm, ns, isShared, `v${rng.int(100)}`));
      if (isShared) shared.push({ name: cm, ns });
    }
    if (tier === 'front' && rng.chance(0.6)) put(rng.chance(0.3) ? file : leaf(), hpa(rng.chance(0.5) ? name : take(), ns, name, rng.range(1, 3), rng.range(5, 12)));
  }
  for (let i = rng.range(0, 2); i > 0; i--) {
    const name = take();
    const ns = rng.pick(KARMADA_NS);
    put(leaf(), configMap(name, ns, true, `v${rng.int(100)}`));
    shared.push({ name, ns });
  }
  for (let i = rng.range(1, 3); i > 0; i--) put(leaf(), widget('acme.io', take(), 'tools', rng.int(10)));
  for (let i = rng.range(1, 2); i > 0; i--) put(leaf(), widget(collidingGroup, take(), 'tools', rng.int(10)));
  for (let i = rng.range(0, 2); i > 0; i--) {
    const w = take();
    put(leaf(), clusterRole(rng.chance(0.5) ? w[0]!.toUpperCase() + w.slice(1) : w));
  }

  // KubeFed objects.
  for (let i = rng.range(2, 4); i > 0; i--) {
    const name = take();
    const ns = rng.chance(0.7) ? 'shop' : 'data';
    const file = leaf();
    const fd = federatedDeployment(name, ns, rng, clusters);
    if (shared.length > 0 && rng.chance(0.25)) {
      const t = rng.pick(shared);
      fd.spec.template.metadata.annotations = { 'gitfed.io/depends-on': `eu-1/ConfigMap/${t.ns}/${t.name}` };
    }
    put(file, fd);
    if (rng.chance(0.5)) {
      const prefs: Obj = { '*': { weight: 1 } };
      prefs[rng.pick(clusters)] = { weight: rng.range(2, 4), maxReplicas: rng.range(3, 9) };
      put(rng.chance(0.5) ? file : leaf(), rsp(name, ns, rng.range(4, 20), prefs));
    }
    if (rng.chance(0.4)) put(leaf(), federatedHpa(rng.chance(0.5) ? name : take(), ns, name, rng.range(1, 3), rng.range(6, 15), fd.spec.placement));
    if (rng.chance(0.4)) put(rng.chance(0.5) ? file : leaf(), federatedService(name, ns));
  }
  for (let i = rng.range(1, 2); i > 0; i--) put(leaf(), federatedConfigMap(take(), rng.pick(KUBEFED_NS), `k${rng.int(100)}`));
  if (rng.chance(0.5)) {
    const name = take();
    fleet.set(`secrets/${name}.yaml`, { docs: [sopsDoc(name, 'shop')] });
    put(leaf(), federatedSecret(name, 'shop', rng.shuffle(clusters).slice(0, 2)));
  }
  if (rng.chance(0.3)) put(leaf(), federatedClusterRole(take()));
  return { fleet, spare: words, clusters, collidingGroup };
}

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

interface EditContext {
  readonly rng: Rng;
  readonly spare: string[];
  readonly clusters: readonly string[];
  readonly collidingGroup?: string;
}

/** An edit changes the fleet in place and says what it did, or returns undefined where it does not apply. */
type Edit = (fleet: Fleet, ctx: EditContext) => string | undefined;

/** The pod template's first container of a workload document (plain or Federated). */
function containerOf(o: Obj): Obj | undefined {
  const spec = o.kind?.startsWith('Federated') ? o.spec?.template?.spec : o.spec;
  return spec?.template?.spec?.containers?.[0];
}

function workloadSpec(o: Obj): Obj | undefined {
  if (o.kind === 'Deployment') return o.spec;
  if (o.kind === 'FederatedDeployment') return o.spec?.template?.spec;
  return undefined;
}

const isWorkload = (d: Doc) => containerOf(d.obj) !== undefined;

function pickDoc(fleet: Fleet, ctx: EditContext, pred: (d: Doc, path: string) => boolean): Located | undefined {
  const found = allDocs(fleet, pred);
  return found.length > 0 ? ctx.rng.pick(found) : undefined;
}

const spareName = (ctx: EditContext) => ctx.spare.pop() ?? `spare${ctx.rng.int(1000)}`;

const EDITS: Record<string, Edit> = {
  image(fleet, ctx) {
    const at = pickDoc(fleet, ctx, isWorkload);
    if (!at) return undefined;
    touched(fleet, at.path);
    const c = containerOf(at.doc.obj)!;
    c.image = `${String(c.image).split(':')[0]}:9.${ctx.rng.int(100)}.1`;
    return `image of ${describeDoc(at.doc)} in ${at.path} -> ${c.image}`;
  },
  replicas(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => workloadSpec(d.obj) !== undefined);
    if (!at) return undefined;
    touched(fleet, at.path);
    const s = workloadSpec(at.doc.obj)!;
    s.replicas = (Number(s.replicas ?? 1) + ctx.rng.range(1, 5)) % 13;
    return `replicas of ${describeDoc(at.doc)} in ${at.path} -> ${s.replicas}`;
  },
  label(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.raw === undefined);
    if (!at) return undefined;
    touched(fleet, at.path);
    const o = at.doc.obj;
    if (o.kind === 'Deployment') {
      const labels = (o.metadata.labels ??= {});
      labels.tier = labels.tier === 'front' ? 'back' : labels.tier === 'back' ? (ctx.rng.chance(0.5) ? 'front' : undefined) : 'front';
      if (labels.tier === undefined) delete labels.tier;
      return `tier of ${describeDoc(at.doc)} in ${at.path} -> ${labels.tier ?? '(none)'}`;
    }
    if (o.kind === 'ConfigMap') {
      const labels = (o.metadata.labels ??= {});
      if (labels.share) delete labels.share;
      else labels.share = 'all';
      return `share label of ${describeDoc(at.doc)} in ${at.path} -> ${labels.share ?? '(none)'}`;
    }
    const target = o.kind?.startsWith('Federated') && o.spec?.template ? ((o.spec.template.metadata ??= {})) : o.metadata;
    (target.labels ??= {}).team = `t${ctx.rng.int(10)}`;
    return `label team=${target.labels.team} on ${describeDoc(at.doc)} in ${at.path}`;
  },
  deleteDoc(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj));
    if (!at) return undefined;
    removeDoc(fleet, at);
    return `delete ${describeDoc(at.doc)} from ${at.path}`;
  },
  addDeployment(fleet, ctx) {
    const ns = ctx.rng.pick(KARMADA_NS);
    const cms = allDocs(fleet, (d) => d.obj.kind === 'ConfigMap' && d.obj.metadata.namespace === ns);
    const name = spareName(ctx);
    const cm = cms.length > 0 && ctx.rng.chance(0.7) ? ctx.rng.pick(cms).doc.obj.metadata.name : undefined;
    const path = ctx.rng.chance(0.5) ? `apps/new-${name}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path).concat(['apps/extra.yaml']));
    addDoc(fleet, path, { obj: deployment(name, ns, ctx.rng, { tier: ctx.rng.pick(['front', 'back']), ...(cm ? { cm } : {}) }) });
    return `add Deployment ${ns}/${name}${cm ? ` using ConfigMap ${cm}` : ''} to ${path}`;
  },
  addFederated(fleet, ctx) {
    const name = spareName(ctx);
    const ns = ctx.rng.pick(KUBEFED_NS);
    const path = ctx.rng.chance(0.5) ? `apps/new-${name}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path).concat(['apps/extra.yaml']));
    const obj = ctx.rng.chance(0.5) ? federatedConfigMap(name, ns, 'fresh') : federatedDeployment(name, ns, ctx.rng, ctx.clusters);
    addDoc(fleet, path, { obj });
    return `add ${obj.kind} ${ns}/${name} to ${path}`;
  },
  /** Same name as a document of another kind (a Service beside its Deployment, say). */
  renameToOtherKind(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.raw === undefined);
    if (!at) return undefined;
    const other = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.obj.kind !== at.doc.obj.kind);
    if (!other) return undefined;
    touched(fleet, at.path);
    const was = describeDoc(at.doc);
    rename(at.doc, other.doc.obj.metadata.name);
    if (at.doc.obj.metadata.namespace !== undefined && other.doc.obj.metadata.namespace !== undefined && ctx.rng.chance(0.5) && at.doc.obj.kind !== 'FederatedNamespace') {
      // Into the other's namespace, where the two meet as objects of one namespace (kept in its style's namespaces).
      const karmada = KARMADA_NS.includes(at.doc.obj.metadata.namespace);
      if (karmada === KARMADA_NS.includes(other.doc.obj.metadata.namespace)) at.doc.obj.metadata.namespace = other.doc.obj.metadata.namespace;
    }
    return `rename ${was} in ${at.path} -> ${describeDoc(at.doc)} (the name of ${describeDoc(other.doc)} in ${other.path})`;
  },
  /** The very identity of another document: DuplicateObject. */
  duplicate(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.raw === undefined);
    if (!at) return undefined;
    const copy = structuredClone(at.doc.obj);
    const path = ctx.rng.chance(0.5) ? `apps/copy-${ctx.rng.int(1000)}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path));
    addDoc(fleet, path, { obj: copy });
    return `duplicate ${describeDoc(at.doc)} of ${at.path} into ${path}`;
  },
  /** Kind Widget of group `acme.io-<w>` named `y`, and of group `acme.io` named `<w>-y`: one file name. */
  fileNameCollision(fleet, ctx) {
    const g = ctx.collidingGroup;
    if (!g) return undefined;
    const word = g.slice('acme.io-'.length);
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Widget' && d.obj.apiVersion === `${g}/v1`);
    if (!at) return undefined;
    const name = `${word}-${at.doc.obj.metadata.name}`;
    const mine = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Widget' && d.obj.apiVersion === 'acme.io/v1');
    if (mine && ctx.rng.chance(0.5)) {
      touched(fleet, mine.path);
      const was = describeDoc(mine.doc);
      rename(mine.doc, name);
      mine.doc.obj.metadata.namespace = at.doc.obj.metadata.namespace;
      return `rename acme.io ${was} in ${mine.path} -> ${name}: one file with ${g} ${describeDoc(at.doc)} in ${at.path}`;
    }
    const path = ctx.rng.chance(0.5) ? `apps/w-${ctx.rng.int(1000)}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path));
    addDoc(fleet, path, { obj: widget('acme.io', name, at.doc.obj.metadata.namespace, 1) });
    return `add acme.io Widget ${name} to ${path}: one file with ${g} ${describeDoc(at.doc)} in ${at.path}`;
  },
  /** RBAC names may differ only in case: one file on a case-insensitive checkout. */
  caseCollision(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'ClusterRole' || d.obj.kind === 'FederatedClusterRole');
    if (!at) return undefined;
    const n = String(at.doc.obj.metadata.name);
    const flipped = n[0] === n[0]!.toUpperCase() ? n[0]!.toLowerCase() + n.slice(1) : n[0]!.toUpperCase() + n.slice(1);
    const path = ctx.rng.chance(0.5) ? `apps/rbac-${ctx.rng.int(1000)}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path));
    const obj = at.doc.obj.kind === 'ClusterRole' || ctx.rng.chance(0.5) ? clusterRole(flipped) : federatedClusterRole(flipped);
    addDoc(fleet, path, { obj });
    return `add ${obj.kind} ${flipped} to ${path}, ${describeDoc(at.doc)} in ${at.path} differing only in case`;
  },
  addHpa(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Deployment' || d.obj.kind === 'FederatedDeployment');
    if (!at) return undefined;
    const o = at.doc.obj;
    const name = ctx.rng.chance(0.5) ? o.metadata.name : spareName(ctx);
    const path = ctx.rng.chance(0.5) ? `apps/hpa-${ctx.rng.int(1000)}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path));
    const obj = o.kind === 'Deployment' ? hpa(name, o.metadata.namespace, o.metadata.name, 2, 10) : federatedHpa(name, o.metadata.namespace, o.metadata.name, 2, 10, o.spec.placement);
    addDoc(fleet, path, { obj });
    return `add ${obj.kind} ${name} of ${describeDoc(at.doc)} (${at.path}) to ${path}`;
  },
  changeHpa(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'HorizontalPodAutoscaler' || d.obj.kind === 'FederatedHorizontalPodAutoscaler');
    if (!at) return undefined;
    touched(fleet, at.path);
    const spec = at.doc.obj.kind === 'HorizontalPodAutoscaler' ? at.doc.obj.spec : at.doc.obj.spec.template.spec;
    spec.maxReplicas = Number(spec.maxReplicas) + ctx.rng.range(1, 6);
    return `maxReplicas of ${describeDoc(at.doc)} in ${at.path} -> ${spec.maxReplicas}`;
  },
  removeHpa(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'HorizontalPodAutoscaler' || d.obj.kind === 'FederatedHorizontalPodAutoscaler');
    if (!at) return undefined;
    removeDoc(fleet, at);
    return `remove ${describeDoc(at.doc)} from ${at.path}`;
  },
  /** A ConfigMap a workload carries along (propagateDeps) changes. */
  changeConfigMap(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'ConfigMap' || d.obj.kind === 'FederatedConfigMap');
    if (!at) return undefined;
    touched(fleet, at.path);
    const data = at.doc.obj.kind === 'ConfigMap' ? (at.doc.obj.data ??= {}) : (at.doc.obj.spec.template.data ??= {});
    data.setting = `changed-${ctx.rng.int(1000)}`;
    return `data of ${describeDoc(at.doc)} in ${at.path}`;
  },
  /** A new ConfigMap, which a workload mostly starts using (both files change). */
  addConfigMapForWorkload(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Deployment');
    if (!at) return undefined;
    const name = spareName(ctx);
    const ns = at.doc.obj.metadata.namespace;
    const path = ctx.rng.chance(0.5) ? `apps/cm-${name}.yaml` : at.path;
    addDoc(fleet, path, { obj: configMap(name, ns, false, 'new') });
    if (ctx.rng.chance(0.7)) {
      touched(fleet, at.path);
      containerOf(at.doc.obj)!.envFrom = [{ configMapRef: { name } }];
      return `add ConfigMap ${ns}/${name} to ${path}, used by ${describeDoc(at.doc)} in ${at.path}`;
    }
    return `add ConfigMap ${ns}/${name} to ${path}, nothing uses it`;
  },
  /** A ConfigMap appears that an unchanged workload already names (it was missing). */
  addNamedConfigMap(fleet, ctx) {
    const named = new Map<string, string>();
    for (const d of allDocs(fleet, (x) => x.obj.kind === 'Deployment')) {
      const ref = containerOf(d.doc.obj)?.envFrom?.[0]?.configMapRef?.name;
      if (ref) named.set(`${d.doc.obj.metadata.namespace}/${ref}`, d.path);
    }
    for (const d of allDocs(fleet, (x) => x.obj.kind === 'ConfigMap')) named.delete(`${d.doc.obj.metadata.namespace}/${d.doc.obj.metadata.name}`);
    if (named.size === 0) return undefined;
    const [key, from] = ctx.rng.pick([...named]);
    const [ns, name] = key.split('/') as [string, string];
    const path = `apps/cm-${name}.yaml`;
    addDoc(fleet, path, { obj: configMap(name, ns, false, 'late') });
    return `add ConfigMap ${key} to ${path}, named by a workload in ${from}`;
  },
  dependsOn(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Deployment' || d.obj.kind === 'FederatedDeployment');
    const target = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.obj.metadata.namespace !== undefined && !d.obj.kind.startsWith('Federated') && d.obj.kind !== 'ReplicaSchedulingPreference');
    if (!at || !target) return undefined;
    touched(fleet, at.path);
    const t = target.doc.obj;
    const cluster = ctx.rng.pick(ctx.clusters);
    const kind = groupOfObj(t) ? `${t.kind}.${groupOfObj(t)}` : t.kind;
    const value = `${cluster}/${kind}/${t.metadata.namespace}/${t.metadata.name}`;
    const meta = at.doc.obj.kind === 'Deployment' ? at.doc.obj.metadata : (at.doc.obj.spec.template.metadata ??= {});
    (meta.annotations ??= {})['gitfed.io/depends-on'] = value;
    return `depends-on ${value} on ${describeDoc(at.doc)} in ${at.path} (target in ${target.path})`;
  },
  moveDoc(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.raw === undefined);
    if (!at) return undefined;
    const paths = [...new Set(templateDocs(fleet).map((d) => d.path))].filter((p) => p !== at.path && !fleet.get(p)!.docs.some((d) => d.raw !== undefined));
    const to = ctx.rng.chance(0.4) || paths.length === 0 ? `apps/moved-${ctx.rng.int(1000)}.yaml` : ctx.rng.pick(paths);
    removeDoc(fleet, at);
    addDoc(fleet, to, { obj: at.doc.obj });
    return `move ${describeDoc(at.doc)} from ${at.path} to ${to}`;
  },
  /** The text changes, not the documents: a comment, or the documents in another order. */
  touchText(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => !fleetWideKind(d.obj) && d.raw === undefined);
    if (!at) return undefined;
    const f = fleet.get(at.path)!;
    if (f.docs.length > 1 && ctx.rng.chance(0.5)) {
      delete f.text;
      f.docs.reverse();
      return `reverse the documents of ${at.path}`;
    }
    const text = filesOf(new Map([[at.path, f]])).get(at.path)!;
    f.text = `# touched ${ctx.rng.int(1000)}\n${text}`;
    return `comment added to ${at.path}`;
  },
  rsp(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'ReplicaSchedulingPreference');
    if (!at) return undefined;
    touched(fleet, at.path);
    const spec = at.doc.obj.spec;
    if (ctx.rng.chance(0.5)) spec.totalReplicas = Number(spec.totalReplicas) + ctx.rng.range(1, 7);
    else spec.clusters[ctx.rng.pick(ctx.clusters)] = { weight: ctx.rng.range(1, 5) };
    return `RSP ${describeDoc(at.doc)} in ${at.path} -> ${JSON.stringify(spec)}`;
  },
  addRsp(fleet, ctx) {
    const names = new Set(allDocs(fleet, (d) => d.obj.kind === 'ReplicaSchedulingPreference').map((d) => `${d.doc.obj.metadata.namespace}/${d.doc.obj.metadata.name}`));
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'FederatedDeployment' && !names.has(`${d.obj.metadata.namespace}/${d.obj.metadata.name}`));
    if (!at) return undefined;
    const path = ctx.rng.chance(0.5) ? `apps/rsp-${ctx.rng.int(1000)}.yaml` : ctx.rng.pick(templateDocs(fleet).map((d) => d.path));
    addDoc(fleet, path, { obj: rsp(at.doc.obj.metadata.name, at.doc.obj.metadata.namespace, ctx.rng.range(3, 12), { '*': { weight: 1 } }) });
    return `add an RSP for ${describeDoc(at.doc)} (${at.path}) to ${path}`;
  },
  overrides(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind?.startsWith('Federated') && d.obj.kind !== 'FederatedNamespace' && d.obj.spec?.template !== undefined);
    if (!at) return undefined;
    touched(fleet, at.path);
    const o = at.doc.obj;
    o.spec.overrides = [{ clusterName: ctx.rng.pick(ctx.clusters), clusterOverrides: [{ path: '/metadata/labels', op: 'add', value: { overridden: 'done' } }] }];
    return `overrides of ${describeDoc(at.doc)} in ${at.path} -> ${JSON.stringify(o.spec.overrides)}`;
  },
  placement(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind?.startsWith('Federated') && d.obj.kind !== 'FederatedNamespace');
    if (!at) return undefined;
    touched(fleet, at.path);
    at.doc.obj.spec.placement = placementOf(ctx.rng, ctx.clusters);
    return `placement of ${describeDoc(at.doc)} in ${at.path} -> ${JSON.stringify(at.doc.obj.spec.placement)}`;
  },
};

/** Edits of documents that shape the whole fleet: renderChanged must render both sides whole. */
const FLEET_WIDE_EDITS: Record<string, Edit> = {
  policy(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => groupOfObj(d.obj) === 'policy.karmada.io');
    if (!at) return undefined;
    touched(fleet, at.path);
    (at.doc.obj.metadata.labels ??= {}).edited = 'e1';
    if (at.doc.obj.spec?.placement?.clusterAffinity) at.doc.obj.spec.placement.clusterAffinity = { clusterNames: [ctx.rng.pick(ctx.clusters)] };
    return `edit policy ${describeDoc(at.doc)} in ${at.path}`;
  },
  cluster(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Cluster' || d.obj.kind === 'KubeFedCluster');
    if (!at) return undefined;
    touched(fleet, at.path);
    at.doc.obj.metadata.labels.location = at.doc.obj.metadata.labels.location === 'cloud' ? 'onprem' : 'cloud';
    return `flip the location of cluster ${at.doc.obj.metadata.name} in ${at.path}`;
  },
  config(fleet, ctx) {
    const had = fleet.get('gitfed.yaml')?.docs[0]?.raw;
    const text = had === undefined || !had.includes('whenMissing: all') ? 'placement:\n  whenMissing: all\n' : '# no settings\n';
    fleet.set('gitfed.yaml', { docs: [{ obj: {}, raw: text }] });
    return `gitfed.yaml -> ${JSON.stringify(text)} (was ${JSON.stringify(had ?? null)}, ${ctx.rng.int(2)})`;
  },
  namespace(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'Namespace' || d.obj.kind === 'FederatedNamespace');
    if (!at) return undefined;
    touched(fleet, at.path);
    (at.doc.obj.metadata.labels ??= {}).edited = 'e1';
    return `label namespace ${describeDoc(at.doc)} in ${at.path}`;
  },
  crd(fleet, ctx) {
    const at = pickDoc(fleet, ctx, (d) => d.obj.kind === 'CustomResourceDefinition');
    if (!at) return undefined;
    touched(fleet, at.path);
    (at.doc.obj.metadata.labels ??= {}).edited = 'e1';
    return `label CRD ${describeDoc(at.doc)} in ${at.path}`;
  },
};

const EDIT_NAMES = Object.keys(EDITS);

// ---------------------------------------------------------------------------------------------
// Random cases
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly label: string;
  readonly base: Map<string, string>;
  readonly head: Map<string, string>;
  readonly edits: string[];
  readonly fleetWide: boolean;
}

/** Random fleets, each with EDITS_PER_FLEET cases (the last of them a fleet-wide edit); see the header for more. */
const FLEETS = Number(process.env.AFFECTED_DIFF_FLEETS ?? 60);
const EDITS_PER_FLEET = 8;

/** The i-th edit of the fleet of `seed`: one to three edits, or one fleet-wide edit. */
function caseFor(seed: number, i: number, generated = generate(new Rng(seed))): Case {
  const rng = new Rng(seed * 1000 + i + 1);
  const fleet = cloneFleet(generated.fleet);
  const ctx: EditContext = { rng, spare: [...generated.spare], clusters: generated.clusters, collidingGroup: generated.collidingGroup };
  const edits: string[] = [];
  const fleetWide = i % EDITS_PER_FLEET === EDITS_PER_FLEET - 1;
  if (fleetWide) {
    const names = Object.keys(FLEET_WIDE_EDITS);
    for (let tries = 0; edits.length === 0 && tries < 10; tries++) {
      const name = rng.pick(names);
      const what = FLEET_WIDE_EDITS[name]!(fleet, ctx);
      if (what) edits.push(`${name}: ${what}`);
    }
  } else {
    const n = rng.chance(0.2) ? rng.range(2, 3) : 1;
    for (let tries = 0; edits.length < n && tries < 20; tries++) {
      const name = rng.pick(EDIT_NAMES);
      const what = EDITS[name]!(fleet, ctx);
      if (what) edits.push(`${name}: ${what}`);
    }
  }
  return { label: `seed ${seed} case ${i}`, base: filesOf(generated.fleet), head: filesOf(fleet), edits, fleetWide };
}

interface Tally {
  cases: number;
  partial: number;
  wholeFailed: number;
  failures: string[];
}

function record(t: Tally, c: Case, mode: CacheMode): Outcome {
  const o = check(c.base, c.head, mode);
  t.cases++;
  if (o.partial) t.partial++;
  if (o.wholeBase instanceof RenderErrors || o.wholeHead instanceof RenderErrors) t.wholeFailed++;
  if (c.fleetWide && o.partial) o.problems.push('a fleet-wide document changed, yet renderChanged gave a result');
  for (const p of o.problems) t.failures.push(`${c.label} (caches: ${mode}; rebuild with caseFor(seed, case)); edits:\n    ${c.edits.join('\n    ')}\n  ${p}`);
  return o;
}

describe('renderChanged on seeded random fleets', () => {
  it('gives the whole render\'s diff whenever it gives a result, and takes the partial path often', () => {
    const started = Date.now();
    const t: Tally = { cases: 0, partial: 0, wholeFailed: 0, failures: [] };
    let baseFailed = 0;
    for (let seed = 1; seed <= FLEETS; seed++) {
      const generated = generate(new Rng(seed));
      if (tryRender(filesOf(generated.fleet)) instanceof RenderErrors) baseFailed++;
      for (let i = 0; i < EDITS_PER_FLEET; i++) record(t, caseFor(seed, i, generated), i % 2 === 0 ? 'none' : 'cli');
    }
    const share = t.partial / t.cases;
    console.log(`random fleets: ${t.cases} cases, ${t.partial} partial (${(share * 100).toFixed(0)}%), ${t.wholeFailed} with a whole side failing, ${baseFailed} of ${FLEETS} generated fleets not rendering, ${t.failures.length} problems, ${Date.now() - started} ms`);
    expect(baseFailed, 'generated fleets must render').toBe(0);
    expect(t.failures, t.failures.slice(0, 10).join('\n\n')).toEqual([]);
    expect(share).toBeGreaterThan(0.3);
  });
});

// ---------------------------------------------------------------------------------------------
// examples/fleet-repo, each document edited in turn
// ---------------------------------------------------------------------------------------------

const EXAMPLE = new URL('../../../examples/fleet-repo/', import.meta.url).pathname;

/** The edits of one document of the example (found again by path and index in the copy). */
function exampleEdits(base: Fleet, at: Located): { name: string; edit: (f: Fleet) => string | undefined; whole: boolean }[] {
  const docAt = (f: Fleet) => f.get(at.path)!.docs[at.index]!;
  const o = at.doc.obj;
  const raw = at.doc.raw !== undefined;
  if (fleetWideKind(o)) {
    return [{
      name: 'fleet-wide label',
      whole: true,
      edit: (f) => {
        touched(f, at.path);
        (docAt(f).obj.metadata.labels ??= {}).edited = 'e1';
        return `label ${describeDoc(at.doc)} in ${at.path}`;
      },
    }];
  }
  const others = templateDocs(base).filter((d) => d.doc.obj.kind !== o.kind);
  const other = others[(at.index + at.path.length) % others.length]!;
  const out: { name: string; edit: (f: Fleet) => string | undefined; whole: boolean }[] = [];
  const add = (name: string, edit: (f: Fleet, d: Doc) => string | undefined) => out.push({ name, whole: false, edit: (f) => edit(f, docAt(f)) });
  if (containerOf(o)) {
    add('image', (f, d) => {
      touched(f, at.path);
      containerOf(d.obj)!.image = 'registry.example.com/changed:0.0.1';
      return `image of ${describeDoc(d)} in ${at.path}`;
    });
    add('hpa', (f, d) => {
      const obj = d.obj.kind === 'Deployment' ? hpa('autoscale', d.obj.metadata.namespace, d.obj.metadata.name, 2, 9) : federatedHpa('autoscale', d.obj.metadata.namespace, d.obj.metadata.name, 2, 9, d.obj.spec.placement);
      addDoc(f, 'added/hpa.yaml', { obj });
      return `add ${obj.kind} autoscale of ${describeDoc(d)}`;
    });
  }
  if (workloadSpec(o)) {
    add('replicas', (f, d) => {
      touched(f, at.path);
      workloadSpec(d.obj)!.replicas = 7;
      return `replicas of ${describeDoc(d)} in ${at.path} -> 7`;
    });
  }
  if (o.kind === 'ReplicaSchedulingPreference') {
    add('rsp', (f, d) => {
      touched(f, at.path);
      d.obj.spec.totalReplicas = 9;
      return `totalReplicas of ${describeDoc(d)} -> 9`;
    });
  }
  if (o.kind?.startsWith('Federated') && o.spec?.placement) {
    add('placement', (f, d) => {
      touched(f, at.path);
      d.obj.spec.placement = { clusters: [{ name: 'cloud-eu-1' }, { name: 'onprem-dc1' }] };
      return `placement of ${describeDoc(d)} -> cloud-eu-1, onprem-dc1`;
    });
  }
  if (!raw) {
    add('label', (f, d) => {
      touched(f, at.path);
      const meta = d.obj.kind.startsWith('Federated') && d.obj.spec?.template ? (d.obj.spec.template.metadata ??= {}) : d.obj.metadata;
      (meta.labels ??= {}).team = 'changed';
      return `label team=changed on ${describeDoc(d)}`;
    });
    add('move', (f, d) => {
      removeDoc(f, { ...at, doc: d });
      addDoc(f, `moved/${d.obj.metadata.name}.yaml`, { obj: d.obj });
      return `move ${describeDoc(d)} from ${at.path} to moved/`;
    });
    add('duplicate', (f, d) => {
      addDoc(f, 'added/copy.yaml', { obj: structuredClone(d.obj) });
      return `duplicate ${describeDoc(d)} into added/copy.yaml`;
    });
    for (const target of ['cloud-eu-1/ConfigMap/shop/web-config', 'onprem-dc1/Deployment.apps/analytics/collector']) {
      add(`depends-on ${target}`, (f, d) => {
        touched(f, at.path);
        const meta = d.obj.kind.startsWith('Federated') && d.obj.spec?.template ? (d.obj.spec.template.metadata ??= {}) : d.obj.metadata;
        (meta.annotations ??= {})['gitfed.io/depends-on'] = target;
        return `depends-on ${target} on ${describeDoc(d)}`;
      });
    }
  }
  add('delete', (f, d) => {
    removeDoc(f, { ...at, doc: d });
    return `delete ${describeDoc(d)} from ${at.path}`;
  });
  add('rename', (f, d) => {
    touched(f, at.path);
    rename(d, `${d.obj.metadata.name}-renamed`);
    return `rename ${describeDoc(at.doc)} -> ${d.obj.metadata.name}`;
  });
  add('rename to another kind\'s name', (f, d) => {
    touched(f, at.path);
    rename(d, other.doc.obj.metadata.name);
    return `rename ${describeDoc(at.doc)} -> ${d.obj.metadata.name} (the name of ${describeDoc(other.doc)} in ${other.path})`;
  });
  add('touch', (f) => {
    const e = f.get(at.path)!;
    e.text = `# touched\n${filesOf(new Map([[at.path, e]])).get(at.path)!}`;
    return `comment added to ${at.path}`;
  });
  return out;
}

describe('renderChanged on examples/fleet-repo', () => {
  it('gives the whole render\'s diff for an edit of each document, and renders both sides whole for fleet-wide ones', async () => {
    const files = await readWorkingTree(EXAMPLE);
    expect(tryRender(files)).not.toBeInstanceOf(RenderErrors);
    const base = fleetOf(files);
    const t: Tally = { cases: 0, partial: 0, wholeFailed: 0, failures: [] };
    let n = 0;
    for (const at of allDocs(base)) {
      for (const e of exampleEdits(base, at)) {
        const head = cloneFleet(base);
        const what = e.edit(head);
        if (!what) continue;
        record(t, { label: `example ${at.path}#${at.index} ${e.name}`, base: files, head: filesOf(head), edits: [what], fleetWide: e.whole }, n++ % 2 === 0 ? 'none' : 'cli');
      }
    }
    // gitfed.yaml itself.
    const head = new Map(files);
    head.set('gitfed.yaml', `${files.get('gitfed.yaml')}\nkarmada:\n  reservedNamespaces: [kube-system]\n`);
    record(t, { label: 'example gitfed.yaml', base: files, head, edits: ['reservedNamespaces in gitfed.yaml'], fleetWide: true }, 'none');
    console.log(`examples/fleet-repo: ${t.cases} cases, ${t.partial} partial, ${t.wholeFailed} with a whole side failing, ${t.failures.length} problems`);
    expect(t.failures, t.failures.slice(0, 10).join('\n\n')).toEqual([]);
    expect(t.partial / t.cases).toBeGreaterThan(0.3);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-written relations
// ---------------------------------------------------------------------------------------------

const Y = (...docs: Obj[]) => docs.map(dump).join('---\n');

/**
 * A small two-style fleet: Karmada clusters eu and us (cloud), KubeFed cluster dc (onprem);
 * namespace tools (Karmada) and shop (KubeFed, everywhere); policies placing `tier: front`
 * Deployments divided over the cloud and `tier: back` ones everywhere, both with propagateDeps,
 * ConfigMaps labelled share=all, HPAs, Widgets and RBAC everywhere; and eight unrelated files, so
 * that a change reaching a few files stays well under "most of the fleet".
 */
function handFleet(files: Record<string, string>): Map<string, string> {
  const all = { clusterAffinity: {} };
  const base: Record<string, string> = {
    'clusters.yaml': Y(
      { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'eu', labels: { location: 'cloud' } } },
      { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'us', labels: { location: 'cloud' } } },
      { apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'dc', namespace: 'kube-federation-system', labels: { location: 'onprem' } }, spec: {} },
    ),
    'namespaces.yaml': Y(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools' } },
      { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'shop', namespace: 'shop' }, spec: { placement: { clusterSelector: {} } } },
    ),
    'crds.yaml': Y(crd('acme.io'), crd('acme.io-gorvane')),
    'policies.yaml': Y(
      cpp('front', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { tier: 'front' } } }], { clusterAffinity: { labelSelector: { matchLabels: { location: 'cloud' } } }, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' } }, { propagateDeps: true }),
      cpp('back', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { tier: 'back' } } }], all, { propagateDeps: true }),
      cpp('rest', [
        { apiVersion: 'v1', kind: 'ConfigMap', labelSelector: { matchLabels: { share: 'all' } } },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
        { apiVersion: 'acme.io/v1', kind: 'Widget' },
        { apiVersion: 'acme.io-gorvane/v1', kind: 'Widget' },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
        { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
      ], all),
    ),
  };
  WORDS.slice(-8).forEach((w, i) => {
    base[`filler/${i}.yaml`] = Y(configMap(w, 'tools', true, 'x'), federatedConfigMap(`${w}-fed`, 'shop', 'y'));
  });
  return new Map(Object.entries({ ...base, ...files }));
}

function frontDeployment(name: string, replicas: number, extra: { tier?: string; cm?: string } = {}): Obj {
  const d = deployment(name, 'tools', new Rng(1), { tier: extra.tier ?? 'front', ...(extra.cm ? { cm: extra.cm } : {}) });
  d.spec.replicas = replicas;
  return d;
}

function edited(base: Map<string, string>, changes: Record<string, string | undefined>): Map<string, string> {
  const head = new Map(base);
  for (const [p, t] of Object.entries(changes)) {
    if (t === undefined) head.delete(p);
    else head.set(p, t);
  }
  return head;
}

/** Source files some rendered object of the partial render came from. */
function renderedFiles(r: ChangedRender): Set<string> {
  return new Set([...r.before.rendered, ...r.after.rendered].map((x) => x.pos.file));
}

/** The documents of `path` (head side) the selection of a diff takes in, of all of them. */
function selected(base: Files, head: Files, path: string): { taken: number; of: number } {
  const parse = new ParseCache();
  const sel = affectedSelection(base, head, parse);
  const docs = parse.load(path, head.get(path)!).objects;
  return { taken: 'select' in sel ? docs.filter(sel.select).length : docs.length, of: docs.length };
}

/**
 * The check holds, took the partial path, took in every document of each of `related` and
 * rendered objects from the files in `renderedFrom` (by default `related`: a SOPS Secret a
 * FederatedSecret places is rendered from the FederatedSecret's file), and the diff touches each of `keys`.
 */
function expectPartialLikeWhole(base: Map<string, string>, head: Map<string, string>, related: string[], keys: string[], renderedFrom = related): ChangedRender {
  for (const f of related) {
    const s = selected(base, head, f);
    expect(s.of).toBeGreaterThan(0);
    expect(s.taken, `the selection takes in every document of ${f}`).toBe(s.of);
  }
  for (const mode of ['none', 'cli'] as const) {
    const o = check(base, head, mode);
    expect(o.problems, o.problems.join('\n')).toEqual([]);
    expect(o.wholeBase).not.toBeInstanceOf(RenderErrors);
    expect(o.wholeHead).not.toBeInstanceOf(RenderErrors);
    expect(o.partial, 'renderChanged gave a result').toBe(true);
    const files = renderedFiles(o.result!);
    for (const f of renderedFrom) expect(files.has(f), `the partial render rendered objects of ${f}`).toBe(true);
    expect(o.result!.files.rendered).toBeLessThan(o.result!.files.total);
    const touchedKeys = new Set(diffOutputs(o.result!.before.branches, o.result!.after.branches, LABELS).clusters.flatMap((c) => c.changes.map((ch) => ch.key)));
    for (const k of keys) expect([...touchedKeys], `the diff changes ${k}`).toContain(k);
  }
  return renderChanged(base, head)!;
}

/** Whole head fails with `code`, renderChanged renders whole, and the selection took in `related`. */
function expectWholeForError(base: Map<string, string>, head: Map<string, string>, code: string, related: string): void {
  const o = check(base, head);
  expect(o.problems, o.problems.join('\n')).toEqual([]);
  expect(o.wholeHead).toBeInstanceOf(RenderErrors);
  expect((o.wholeHead as RenderErrors).errors.map((e) => e.code)).toContain(code);
  expect(o.partial, 'renderChanged must give undefined').toBe(false);
  const sel = affectedSelection(base, head, new ParseCache());
  expect('select' in sel, `a selection, not ${'whole' in sel ? sel.whole : ''}`).toBe(true);
  const s = selected(base, head, related);
  expect(s.of).toBeGreaterThan(0);
  expect(s.taken, `the selection takes in every document of ${related}`).toBe(s.of);
}

describe('renderChanged: the relations it must follow', () => {
  it('HPA: a Deployment\'s replicas change, and its HPA in an unchanged file gets other bounds', () => {
    const base = handFleet({
      'deploy.yaml': Y(frontDeployment('zarvok', 4)),
      'hpa.yaml': Y(hpa('quellin', 'tools', 'zarvok', 2, 10)),
    });
    const head = edited(base, { 'deploy.yaml': Y(frontDeployment('zarvok', 5)) });
    expectPartialLikeWhole(base, head, ['hpa.yaml'], ['tools/deployment.apps-zarvok.yaml', 'tools/horizontalpodautoscaler.autoscaling-quellin.yaml']);
  });

  it('HPA: one is added for a Deployment in an unchanged file', () => {
    const base = handFleet({ 'deploy.yaml': Y(frontDeployment('zarvok', 4)) });
    const head = edited(base, { 'hpa.yaml': Y(hpa('quellin', 'tools', 'zarvok', 2, 10)) });
    expectPartialLikeWhole(base, head, ['deploy.yaml'], ['tools/horizontalpodautoscaler.autoscaling-quellin.yaml']);
  });

  it('propagateDeps: a ConfigMap a Deployment of an unchanged file carries along changes', () => {
    const base = handFleet({
      'deploy.yaml': Y(frontDeployment('brondix', 3, { cm: 'fenwark' })),
      'cm.yaml': Y(configMap('fenwark', 'tools', false, 'one')),
    });
    const head = edited(base, { 'cm.yaml': Y(configMap('fenwark', 'tools', false, 'two')) });
    expectPartialLikeWhole(base, head, ['deploy.yaml'], ['tools/configmap-fenwark.yaml']);
  });

  it('propagateDeps: the Deployment moves to other clusters, and its ConfigMap in an unchanged file follows', () => {
    const base = handFleet({
      'deploy.yaml': Y(frontDeployment('brondix', 3, { cm: 'fenwark' })),
      'cm.yaml': Y(configMap('fenwark', 'tools', false, 'one')),
    });
    const head = edited(base, { 'deploy.yaml': Y(frontDeployment('brondix', 3, { cm: 'fenwark', tier: 'back' })) });
    const r = expectPartialLikeWhole(base, head, ['cm.yaml'], ['tools/configmap-fenwark.yaml']);
    const dc = diffOutputs(r.before.branches, r.after.branches, LABELS).clusters.find((c) => c.cluster === 'dc')!;
    expect(dc.changes.map((c) => `${c.action} ${c.key}`)).toContain('added tools/configmap-fenwark.yaml');
  });

  it('propagateDeps: a ConfigMap a Deployment already names appears', () => {
    const base = handFleet({ 'deploy.yaml': Y(frontDeployment('brondix', 3, { cm: 'fenwark' })) });
    const head = edited(base, { 'cm.yaml': Y(configMap('fenwark', 'tools', false, 'late')) });
    expectPartialLikeWhole(base, head, ['deploy.yaml'], ['tools/configmap-fenwark.yaml']);
  });

  it('RSP: its total changes, and the FederatedDeployment and its FederatedHPA in unchanged files follow', () => {
    const fd = federatedDeployment('ulkorin', 'shop', new Rng(2), ['eu', 'us', 'dc']);
    fd.spec.placement = { clusterSelector: {} };
    delete fd.spec.overrides;
    const base = handFleet({
      'fd.yaml': Y(fd),
      'fhpa.yaml': Y(federatedHpa('pexaldo', 'shop', 'ulkorin', 3, 12, { clusterSelector: {} })),
      'rsp.yaml': Y(rsp('ulkorin', 'shop', 6, { '*': { weight: 1 } })),
    });
    const head = edited(base, { 'rsp.yaml': Y(rsp('ulkorin', 'shop', 9, { '*': { weight: 1 }, eu: { weight: 3 } })) });
    expectPartialLikeWhole(base, head, ['fd.yaml', 'fhpa.yaml'], ['shop/deployment.apps-ulkorin.yaml', 'shop/horizontalpodautoscaler.autoscaling-pexaldo.yaml']);
  });

  it('depends-on: the target changes, and the object naming it (unchanged file) is rendered to check it', () => {
    const fd = federatedDeployment('mosselt', 'shop', new Rng(3), ['eu', 'us', 'dc']);
    fd.spec.placement = { clusterSelector: {} };
    delete fd.spec.overrides;
    fd.spec.template.metadata.annotations = { 'gitfed.io/depends-on': 'eu/ConfigMap/tools/tavrino' };
    const base = handFleet({ 'app.yaml': Y(fd), 'cm.yaml': Y(configMap('tavrino', 'tools', true, 'one')) });
    const head = edited(base, { 'cm.yaml': Y(configMap('tavrino', 'tools', true, 'two')) });
    expectPartialLikeWhole(base, head, ['app.yaml'], ['tools/configmap-tavrino.yaml']);
  });

  it('depends-on: the target goes, and the error the whole render has (in the unchanged file) is not hidden', () => {
    const fd = federatedDeployment('mosselt', 'shop', new Rng(3), ['eu', 'us', 'dc']);
    fd.spec.placement = { clusterSelector: {} };
    delete fd.spec.overrides;
    fd.spec.template.metadata.annotations = { 'gitfed.io/depends-on': 'eu/ConfigMap/tools/tavrino' };
    const base = handFleet({ 'app.yaml': Y(fd), 'cm.yaml': Y(configMap('tavrino', 'tools', true, 'one')) });
    expectWholeForError(base, edited(base, { 'cm.yaml': undefined }), 'DependencyNotFound', 'app.yaml');
  });

  it('FederatedSecret: its placement changes, and the SOPS Secret it places (unchanged file) moves', () => {
    const base = handFleet({ 'secret.yaml': SOPS_TEXT('hobbelk', 'shop'), 'fs.yaml': Y(federatedSecret('hobbelk', 'shop', ['eu'])) });
    const head = edited(base, { 'fs.yaml': Y(federatedSecret('hobbelk', 'shop', ['eu', 'dc'])) });
    expectPartialLikeWhole(base, head, ['secret.yaml'], ['shop/secret-hobbelk.yaml'], ['fs.yaml']);
  });

  it('file-name collision: Widget of acme.io named gorvane-yastrel meets Widget of acme.io-gorvane named yastrel', () => {
    const base = handFleet({ 'w1.yaml': Y(widget('acme.io-gorvane', 'yastrel', 'tools', 1)) });
    expectWholeForError(base, edited(base, { 'w2.yaml': Y(widget('acme.io', 'gorvane-yastrel', 'tools', 2)) }), 'FileNameCollision', 'w1.yaml');
    // The other way round: the longer name is there first.
    const other = handFleet({ 'w1.yaml': Y(widget('acme.io', 'gorvane-yastrel', 'tools', 1)) });
    expectWholeForError(other, edited(other, { 'w2.yaml': Y(widget('acme.io-gorvane', 'yastrel', 'tools', 2)) }), 'FileNameCollision', 'w1.yaml');
  });

  it('file-name collision: ClusterRoles whose names differ only in case', () => {
    const base = handFleet({ 'r1.yaml': Y(clusterRole('Druskel')) });
    expectWholeForError(base, edited(base, { 'r2.yaml': Y(clusterRole('druskel')) }), 'FileNameCollision', 'r1.yaml');
  });

  it('duplicate identity: the same ConfigMap added in another file', () => {
    const base = handFleet({ 'cm-a.yaml': Y(configMap('kembrik', 'tools', true, 'a')) });
    expectWholeForError(base, edited(base, { 'cm-b.yaml': Y(configMap('kembrik', 'tools', true, 'b')) }), 'DuplicateObject', 'cm-a.yaml');
  });

  it('duplicate identity: a FederatedConfigMap and a Karmada ConfigMap make the same object on a cluster', () => {
    const base = handFleet({ 'cm-a.yaml': Y(federatedConfigMap('kembrik', 'shop', 'a', { clusters: [{ name: 'eu' }] })) });
    expect(tryRender(base)).not.toBeInstanceOf(RenderErrors);
    expectWholeForError(base, edited(base, { 'cm-b.yaml': Y(configMap('kembrik', 'shop', true, 'b')) }), 'DuplicateObject', 'cm-a.yaml');
  });

  it('a file taken in for its name alone still brings what it mentions, whatever order the files come in', () => {
    // The HPA changes; b-deploy.yaml comes in because its Deployment has the HPA's target name
    // (no new name), and its ConfigMap in a-cm.yaml, read before it, must come in on another pass.
    const base = handFleet({
      'a-cm.yaml': Y(configMap('velthorn', 'tools', false, 'one')),
      'b-deploy.yaml': Y(frontDeployment('zarvok', 4, { cm: 'velthorn' })),
      'hpa.yaml': Y(hpa('zarvok', 'tools', 'zarvok', 2, 10)),
    });
    const head = edited(base, { 'hpa.yaml': Y(hpa('zarvok', 'tools', 'zarvok', 3, 12)) });
    const o = check(base, head);
    expect(o.problems, o.problems.join('\n')).toEqual([]);
    expect(o.partial).toBe(true);
    expect(selected(base, head, 'b-deploy.yaml')).toEqual({ taken: 1, of: 1 });
    expect(selected(base, head, 'a-cm.yaml')).toEqual({ taken: 1, of: 1 });
  });

  it('same name, other kind: a Service beside the Deployment it selects is rendered with it', () => {
    const base = handFleet({ 'deploy.yaml': Y(frontDeployment('virskot', 2)), 'svc.yaml': Y({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'virskot', namespace: 'tools', labels: { tier: 'front' } }, spec: { selector: { run: 'virskot' }, ports: [{ port: 80 }] } }) });
    const head = edited(base, { 'deploy.yaml': Y(frontDeployment('virskot', 3)) });
    const o = check(base, head);
    expect(o.problems, o.problems.join('\n')).toEqual([]);
    expect(o.partial).toBe(true);
    expect(selected(base, head, 'svc.yaml')).toEqual({ taken: 1, of: 1 });
  });

  it('fleet-wide documents: a policy, a cluster, a namespace or gitfed.yaml changing renders both sides whole', () => {
    const base = handFleet({ 'deploy.yaml': Y(frontDeployment('zarvok', 4)) });
    const heads = {
      policy: edited(base, { 'policies.yaml': base.get('policies.yaml')!.replace('location: cloud', 'location: onprem') }),
      cluster: edited(base, { 'clusters.yaml': base.get('clusters.yaml')!.replace('name: us', 'name: us2') }),
      namespace: edited(base, { 'namespaces.yaml': `${base.get('namespaces.yaml')!}---\n${dump({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } })}` }),
      config: edited(base, { 'gitfed.yaml': 'placement:\n  whenMissing: all\n' }),
      'moved policy': edited(base, { 'policies.yaml': Y(...jsyaml.loadAll(base.get('policies.yaml')!).slice(1) as Obj[]), 'deploy.yaml': `${base.get('deploy.yaml')!}---\n${dump(jsyaml.loadAll(base.get('policies.yaml')!)[0])}` }),
    };
    for (const [what, head] of Object.entries(heads)) {
      const o = check(base, head);
      expect(o.problems, `${what}: ${o.problems.join('\n')}`).toEqual([]);
      expect(o.partial, what).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Cases that broke the claim once, each kept with what made it pass.
// ---------------------------------------------------------------------------------------------

describe('renderChanged: cases that once broke it', () => {
  it('NoSchema is named once per kind: the partial head names the first rendered document of the kind, the diff is the same', () => {
    // Two Widgets of a kind no CRD defines, in two files; the second changes. The whole head
    // warns NoSchema at a.yaml (the first it meets); the partial head never reads a.yaml and
    // warns at b.yaml, with the same message (src/render/schema/templates.ts `named`).
    const policy = cpp('nocrd', [{ apiVersion: 'nocrd.example.io/v1', kind: 'Widget' }], { clusterAffinity: {} });
    const base = handFleet({
      'nocrd-policy.yaml': Y(policy),
      'a.yaml': Y(widget('nocrd.example.io', 'alpha', 'tools', 1)),
      'b.yaml': Y(widget('nocrd.example.io', 'bravo', 'tools', 1)),
    });
    const head = edited(base, { 'b.yaml': Y(widget('nocrd.example.io', 'bravo', 'tools', 2)) });
    const o = check(base, head);
    expect(o.partial).toBe(true);
    expect(o.problems, o.problems.join('\n')).toEqual([]);
    expect(o.result!.after.warnings.filter((w) => w.code === 'NoSchema').map((w) => w.file)).toEqual(['b.yaml']);
    expect((o.wholeHead as RenderResult).warnings.filter((w) => w.code === 'NoSchema').map((w) => w.file)).toEqual(['a.yaml']);
  });

  it('a name cut and hashed to fit a file name meets a name that is no ending of it (FileNameCollision hidden)', () => {
    // keys.ts fitFileName keeps a long stem's first 233 characters and adds `-<16 hex of its
    // sha256>`. A second object whose whole stem is exactly that string goes to the same file,
    // though neither name ends the other: the whole head fails (FileNameCollision, in the changed
    // file), the selection leaves a.yaml out, and renderChanged gives a result.
    const group = `${'g'.repeat(60)}.io`;
    const nameA = `${'a'.repeat(100)}${'b'.repeat(100)}`;
    const stemA = `widget.${group}-${nameA}`;
    const hash = createHash('sha256').update(`${stemA}.yaml`).digest('hex').slice(0, 16);
    const nameB = `${stemA.slice(0, 255 - '.yaml'.length - 16 - 1)}-${hash}`.slice(`widget.${group}-`.length);
    const base = handFleet({
      'long.yaml': Y(crd(group), cpp('long', [{ apiVersion: `${group}/v1`, kind: 'Widget' }], { clusterAffinity: {} })),
      'a.yaml': Y(widget(group, nameA, 'tools', 1)),
    });
    const head = edited(base, { 'b.yaml': Y(widget(group, nameB, 'tools', 1)) });
    expect(tryRender(base)).not.toBeInstanceOf(RenderErrors);
    expect(tryRender(head)).toBeInstanceOf(RenderErrors);
    const o = check(base, head);
    expect(o.problems, o.problems.join('\n')).toEqual([]);
    expect(o.partial).toBe(false);
  });

  it('a reference written with a YAML escape is not found in the text: propagateDeps is missed', () => {
    // deploy.yaml (unchanged) names its ConfigMap as "quel\x6cin", which YAML reads as quellin;
    // the text holds no "quellin", so when cm.yaml changes the Deployment is left out, the
    // ConfigMap (placed only as its dependency) goes nowhere on either side, and the partial diff
    // is empty where the whole one changes the ConfigMap on eu and us.
    const base = handFleet({
      'deploy.yaml': Y(frontDeployment('zarvok', 2)).replace('          image:', '          envFrom: [{configMapRef: {name: "quel\\x6cin"}}]\n          image:'),
      'cm.yaml': Y(configMap('quellin', 'tools', false, 'one')),
    });
    expect(base.get('deploy.yaml')).toContain('"quel\\x6cin"');
    const head = edited(base, { 'cm.yaml': Y(configMap('quellin', 'tools', false, 'two')) });
    const whole = tryRender(head);
    expect(whole).not.toBeInstanceOf(RenderErrors);
    expect((whole as RenderResult).rendered.filter((r) => r.obj.kind === 'ConfigMap' && r.obj.metadata.name === 'quellin').map((r) => r.cluster).sort()).toEqual(['eu', 'us']);
    const o = check(base, head);
    expect(o.problems, o.problems.join('\n')).toEqual([]);
  });
});
