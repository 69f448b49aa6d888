/**
 * A diff's two sides rendered from their files, only as far as the change reaches (affected.ts).
 * Gives up, returning undefined, where only rendering both sides whole tells the truth: a
 * fleet-wide document changed, or either side's partial render failed (the whole render then
 * reports the errors of the whole fleet, the base's first).
 */
import { RenderErrors } from '../errors.js';
import { affectedSelection } from './affected.js';
import { ParseCache } from './load.js';
import { renderFleet, type RenderCaches, type RenderResult } from './render.js';

export interface ChangedRender {
  readonly before: RenderResult;
  readonly after: RenderResult;
  /** Files with templates or Federated objects rendered, of all such files of both sides. */
  readonly files: { readonly rendered: number; readonly total: number };
}

export function renderChanged(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>, caches: RenderCaches = {}): ChangedRender | undefined {
  const shared = caches.parse ? caches : { ...caches, parse: new ParseCache() };
  const selection = affectedSelection(base, head, shared.parse!);
  if ('whole' in selection) return undefined;
  try {
    const before = renderFleet(base, shared, { select: selection.select });
    const after = renderFleet(head, shared, { select: selection.select });
    return { before, after, files: selection.files };
  } catch (err) {
    if (err instanceof RenderErrors) return undefined;
    throw err;
  }
}
