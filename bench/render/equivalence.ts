/**
 * Checks that the two sides of the benchmark did the same work: for one cluster, gitfed's files
 * and kustomize's output hold the same objects with the same content. Replica counts are left
 * out on purpose: the overlays use an even split, gitfed the upstream planners.
 */
import jsyaml from 'js-yaml';

export interface ClusterComparison {
  readonly cluster: string;
  readonly gitfed: number;
  readonly kustomize: number;
  /** Object identities (`Kind/namespace/name`) present on one side only, or with different content. */
  readonly onlyGitfed: string[];
  readonly onlyKustomize: string[];
  readonly different: string[];
  /** One object that differs, as canonical JSON from each side (absent where missing), for a human to read. */
  readonly example?: { readonly id: string; readonly gitfed?: string; readonly kustomize?: string };
}

type Obj = { kind?: string; metadata?: { name?: string; namespace?: string }; spec?: Record<string, unknown> };

function identity(o: Obj): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('/');
}

/** JSON with sorted keys: key order is each tool's own business. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function index(objects: readonly Obj[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects) {
    if (!o) continue;
    const copy = structuredClone(o);
    if (copy.spec && 'replicas' in copy.spec) delete copy.spec.replicas;
    out.set(identity(copy), canonical(copy));
  }
  return out;
}

export function compareCluster(cluster: string, gitfedFiles: Iterable<string>, kustomizeStream: string): ClusterComparison {
  const g = index([...gitfedFiles].map((t) => jsyaml.load(t) as Obj));
  const k = index(jsyaml.loadAll(kustomizeStream) as Obj[]);
  const onlyGitfed = [...g.keys()].filter((id) => !k.has(id));
  const onlyKustomize = [...k.keys()].filter((id) => !g.has(id));
  const different = [...g.keys()].filter((id) => k.has(id) && k.get(id) !== g.get(id));
  const id = different[0] ?? onlyGitfed[0] ?? onlyKustomize[0];
  const example = id === undefined ? undefined : { id, ...(g.has(id) ? { gitfed: g.get(id)! } : {}), ...(k.has(id) ? { kustomize: k.get(id)! } : {}) };
  return { cluster, gitfed: g.size, kustomize: k.size, onlyGitfed, onlyKustomize, different, ...(example ? { example } : {}) };
}

export function isEquivalent(c: ClusterComparison): boolean {
  return c.onlyGitfed.length === 0 && c.onlyKustomize.length === 0 && c.different.length === 0;
}
