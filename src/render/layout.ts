/**
 * Where every cluster's files go, and the checks that make that safe before anything is written:
 * each expanded branch name valid and none nesting in another, each cluster's directory inside its
 * branch and apart from every other's, and no two objects of one cluster in one file, exactly or
 * only by case (a macOS or Windows checkout would keep one of them).
 */
import { RenderError, type ErrorCode } from '../errors.js';
import { CONFIG_FILE } from './config.js';
import { displayName, objectKey } from '../object.js';
import { fileNameOf, identityKey } from './keys.js';
import { lazyLineResolver } from '../yaml/documents.js';
import { clashes, expandTemplate, foldCase, treePathProblem } from './paths.js';
import { branchConflict, branchNameProblem } from '../git/ref-names.js';
import { matchesSelector } from './selector.js';
import type { Cluster, FleetConfig, OutputSpec, RenderedObject } from './types.js';

/** One cluster in one output: its branch and its directory there. */
export interface Placement {
  readonly output: number;
  readonly spec: OutputSpec;
  readonly branch: string;
  readonly cluster: Cluster;
  readonly dir: string;
}

/** Which clusters each output holds, and where; clusters no output selects are in none. */
export function placements(clusters: readonly Cluster[], config: FleetConfig): Placement[] {
  const out: Placement[] = [];
  config.outputs.forEach((spec, output) => {
    for (const cluster of clusters) {
      if (spec.clusterSelector && !matchesSelector(spec.clusterSelector, cluster.labels)) continue;
      out.push({ output, spec, cluster, branch: expandTemplate(spec.branch, cluster.name), dir: expandTemplate(spec.dir, cluster.name) });
    }
  });
  return out;
}

/**
 * The layout's errors: branch names and cluster directories after expansion (gitfed.yaml's lines,
 * from `configText`), then objects sharing a file in some cluster (their own files and lines).
 */
export function layoutErrors(placed: readonly Placement[], rendered: readonly RenderedObject[], configText: string | undefined): RenderError[] {
  const lineOf = configText === undefined ? undefined : lazyLineResolver({ text: configText, firstLine: 1 });
  const at = (p: Placement, key: 'branch' | 'dir', code: ErrorCode, message: string) =>
    new RenderError(code, `field outputs[${p.output}].${key}: ${message}`, { file: CONFIG_FILE, ...(lineOf ? { line: lineOf(['outputs', p.output, key]) } : {}), cluster: p.cluster.name });
  const errors: RenderError[] = [];

  const branches = new Map<string, Placement>();
  for (const p of placed) {
    const problem = branchNameProblem(p.branch);
    if (problem) errors.push(at(p, 'branch', 'ConfigInvalid', `${JSON.stringify(p.branch)} is not a valid branch name: it ${problem}`));
    else if (!branches.has(p.branch)) branches.set(p.branch, p);
    const dirProblem = treePathProblem(p.dir);
    if (dirProblem) errors.push(at(p, 'dir', 'ConfigInvalid', `directory ${JSON.stringify(p.dir)} of cluster ${p.cluster.name}: the path ${dirProblem}`));
  }
  for (const c of clashes([...branches.values()], (p) => p.branch)) {
    errors.push(at(c.second, 'branch', 'BranchConflict', branchConflict(c.first.branch, c.second.branch)!));
  }

  const byBranch = new Map<string, Placement[]>();
  for (const p of placed) {
    const list = byBranch.get(p.branch);
    if (list) list.push(p);
    else byBranch.set(p.branch, [p]);
  }
  for (const [branch, inBranch] of byBranch) {
    const seen = new Map<string, Placement>();
    for (const p of inBranch) {
      const first = seen.get(p.cluster.name);
      if (first) errors.push(at(p, 'dir', 'DirectoryConflict', `cluster ${p.cluster.name} is placed twice in branch ${branch}, at ${first.dir} and ${p.dir}`));
      else seen.set(p.cluster.name, p);
    }
    for (const c of clashes([...seen.values()], (p) => p.dir)) {
      const how = c.how === 'nested' ? 'have nested directories' : c.how === 'case' ? 'have directories differing only in case' : 'share a directory';
      errors.push(at(c.second, 'dir', 'DirectoryConflict', `clusters ${c.first.cluster.name} and ${c.second.cluster.name} ${how} in branch ${branch}: ${c.first.dir} and ${c.second.dir}`));
    }
  }
  return [...errors, ...fileCollisions(rendered)];
}

/**
 * Two objects of one cluster whose files are one: the same name (kinds, groups and names can meet
 * in one) or names differing only in case. Reported once per pair, at the later object's source.
 */
export function fileCollisions(rendered: readonly RenderedObject[]): RenderError[] {
  // Most objects go to many clusters under one identity: name each identity once.
  const names = new Map<string, { name: string; folded: string }>();
  const byCluster = new Map<string, { name: string; folded: string; r: RenderedObject }[]>();
  for (const r of rendered) {
    const id = identityKey(r.obj);
    let named = names.get(id);
    if (named === undefined) {
      const name = fileNameOf(r.obj);
      names.set(id, (named = { name, folded: foldCase(name) }));
    }
    let list = byCluster.get(r.cluster);
    if (!list) byCluster.set(r.cluster, (list = []));
    list.push({ name: named.name, folded: named.folded, r });
  }
  const errors: RenderError[] = [];
  const reported = new Set<string>();
  for (const list of byCluster.values()) {
    // Every name is `<scope>/<file>`: one depth, so no file can hold another.
    for (const { first, second, how } of clashes(list, (x) => x.name, { nesting: false, foldedOf: (x) => x.folded })) {
      const a = first.r;
      const b = second.r;
      // One identity twice is DuplicateObject's to report (render.ts), not a file name's fault.
      if (objectKey(a.obj) === objectKey(b.obj)) continue;
      const pair = `${displayName(a.obj)}\0${displayName(b.obj)}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      const where = how === 'same' ? `both go to the file ${first.name}` : `go to files ${first.name} and ${second.name}, one file on a case-insensitive checkout (macOS, Windows)`;
      errors.push(new RenderError('FileNameCollision', `${displayName(b.obj)} (from ${b.pos.file}:${b.pos.line}) and ${displayName(a.obj)} (from ${a.pos.file}:${a.pos.line}) ${where}; rename one of them`, {
        file: b.pos.file, line: b.pos.line, object: displayName(b.obj), cluster: b.cluster,
      }));
    }
  }
  return errors;
}
