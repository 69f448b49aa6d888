/**
 * Rendering a revision of the fleet repo, read from git's object store: what `render --commit`,
 * `diff` and `observe` share. Reads only; committing the result is publish.ts's.
 */
import { readSourceAt } from './git/source.js';
import { readStateAt, renderedProvenance, type RenderedFrom } from './git/state-read.js';
import { isExcluded, isFleetPath } from './render/fleet-paths.js';
import { renderChanged } from './render/pair.js';
import { renderFleet, type RenderCaches, type RenderResult } from './render/render.js';

/** What `readSourceAt` reads: gitfed.yaml and YAML outside the default excludes (render applies the repo's own). */
export function fleetPathFilter(path: string, type: 'file' | 'dir'): boolean {
  if (type === 'dir') return !isExcluded(path, []) && !isExcluded(path + '/', []);
  return isFleetPath(path, []);
}

/** `caches` and `texts`: kept by a caller that renders more than one revision (a diff's two sides read and parse their common files once). */
export async function renderAt(repo: string, ref: string, options: { strict?: boolean; state?: string; caches?: RenderCaches; texts?: Map<string, string> } = {}): Promise<{ commit: string; subject: string; time: number; render: RenderResult; files: ReadonlyMap<string, string> }> {
  const snap = await readSourceAt({ dir: repo, ref, filter: fleetPathFilter, ...(options.texts ? { texts: options.texts } : {}) });
  const state = options.state === undefined ? undefined : await readStateAt(repo, options.state);
  return { commit: snap.commit, subject: snap.subject, time: snap.time, render: renderFleet(snap.files, options.caches ?? {}, { strict: options.strict, ...(state ? { state } : {}) }), files: snap.files };
}

/** renderAt for `gitfed diff`'s sides: a rendered commit (of an output branch) stands for its pair, its source rendered with its state. */
export async function renderRevision(repo: string, ref: string, options: { strict?: boolean; caches?: RenderCaches; texts?: Map<string, string> } = {}): Promise<Awaited<ReturnType<typeof renderAt>> & { from?: RenderedFrom }> {
  const from = await renderedProvenance(repo, ref);
  const r = await renderAt(repo, from?.source ?? ref, { ...options, ...(from?.state ? { state: from.state } : {}) });
  return from ? { ...r, from } : r;
}

/**
 * A diff's two sides, each rendered only as far as the change between them reaches
 * (render/pair.ts): a source revision against another, or against the files of a working tree.
 * Undefined where both must be rendered whole: either is a rendered commit (its state may
 * differ), or the change reaches the fleet-wide documents, or a side fails.
 */
export async function renderChangedAt(repo: string, base: string, head: { readonly ref: string } | { readonly files: ReadonlyMap<string, string> }, options: { caches?: RenderCaches; texts?: Map<string, string> } = {}): Promise<{ base: { commit: string; render: RenderResult }; head: { commit?: string; render: RenderResult }; files: { rendered: number; total: number } } | undefined> {
  // One after the other: an unknown base is the error told, as when each side renders whole.
  if ((await renderedProvenance(repo, base)) || ('ref' in head && (await renderedProvenance(repo, head.ref)))) return undefined;
  const texts = options.texts ?? new Map<string, string>();
  const a = await readSourceAt({ dir: repo, ref: base, filter: fleetPathFilter, texts });
  const b = 'ref' in head ? await readSourceAt({ dir: repo, ref: head.ref, filter: fleetPathFilter, texts }) : undefined;
  const pair = renderChanged(a.files, 'files' in head ? head.files : b!.files, options.caches ?? {});
  return pair && { base: { commit: a.commit, render: pair.before }, head: { ...(b ? { commit: b.commit } : {}), render: pair.after }, files: pair.files };
}
