/**
 * Render's check of cross-cluster order (src/rollout/depends-on.ts): every `gitfed.io/depends-on`
 * entry must be well-formed and name an object rendered for that cluster, and the references
 * must not form a cycle, which no apply order could satisfy. Errors name the source file and line.
 */
import { RenderError } from '../errors.js';
import { displayName } from '../object.js';
import { DEPENDS_ON_ANNOTATION, formatDependency, parseDependsOn, refMatches } from '../rollout/depends-on.js';
import type { RenderedObject } from './types.js';

const nodeName = (r: RenderedObject) => `${r.cluster}/${displayName(r.obj)}`;

export function dependencyErrors(rendered: readonly RenderedObject[]): RenderError[] {
  const errors: RenderError[] = [];
  const at = (r: RenderedObject) => ({ file: r.pos.file, line: r.pos.line, object: displayName(r.obj), cluster: r.cluster });
  // Most fleets name no dependency: then there is nothing to index (a key per rendered object).
  if (!rendered.some((r) => r.obj.metadata.annotations?.[DEPENDS_ON_ANNOTATION] !== undefined)) return errors;
  // Objects by cluster and name, so a reference is resolved without a scan of the whole fleet.
  const byName = new Map<string, RenderedObject[]>();
  for (const r of rendered) {
    const k = `${r.cluster}\0${r.obj.metadata.name}`;
    const list = byName.get(k);
    if (list) list.push(r);
    else byName.set(k, [r]);
  }
  const edges = new Map<RenderedObject, RenderedObject[]>();
  const reported = new Set<string>(); // one source placed on many clusters: its malformed value once
  for (const r of rendered) {
    const value = r.obj.metadata.annotations?.[DEPENDS_ON_ANNOTATION];
    if (value === undefined) continue;
    const { refs, problem } = parseDependsOn(value);
    if (problem) {
      const key = `${r.pos.file}:${r.pos.line}`;
      if (!reported.has(key)) errors.push(new RenderError('DependencyInvalid', `annotation ${DEPENDS_ON_ANNOTATION}: ${problem}`, at(r)));
      reported.add(key);
      continue;
    }
    const targets: RenderedObject[] = [];
    for (const ref of refs) {
      const found = (byName.get(`${ref.cluster}\0${ref.name}`) ?? []).filter((t) => refMatches(ref, t.cluster, t.obj));
      if (found.length === 0) {
        errors.push(new RenderError('DependencyNotFound', `depends on ${formatDependency(ref)}, which is not rendered for cluster ${ref.cluster}`, { ...at(r), hint: 'name an object the fleet places on that cluster: cluster/Kind[.group]/namespace/name' }));
      }
      targets.push(...found);
    }
    edges.set(r, targets);
  }
  errors.push(...cycles(edges, at));
  return errors;
}

/** One error per cycle, reported at the first object of the cycle in render order. */
function cycles(edges: ReadonlyMap<RenderedObject, RenderedObject[]>, at: (r: RenderedObject) => ConstructorParameters<typeof RenderError>[2]): RenderError[] {
  const errors: RenderError[] = [];
  const state = new Map<RenderedObject, 'open' | 'done'>();
  const path: RenderedObject[] = [];
  const visit = (r: RenderedObject): void => {
    state.set(r, 'open');
    path.push(r);
    for (const t of edges.get(r) ?? []) {
      const s = state.get(t);
      if (s === 'open') {
        const cycle = path.slice(path.indexOf(t));
        errors.push(new RenderError('DependencyCycle', `depends-on cycle: ${[...cycle, t].map(nodeName).join(' -> ')}`, at(t)));
      } else if (s === undefined) visit(t);
    }
    path.pop();
    state.set(r, 'done');
  };
  for (const r of edges.keys()) if (!state.has(r)) visit(r);
  return errors;
}
