/**
 * Cluster directories from gitfed.yaml's templates: what a template may hold and how it expands.
 * The rules for any path in a branch (and the guard for writers) are git/tree-paths.ts's.
 */
import { ATTRIBUTES_FILE, METADATA_FILE } from '../git/metadata.js';
import { foldCase, treePathProblem } from '../git/tree-paths.js';

export { assertTreePath, clashes, foldCase, treePathProblem } from '../git/tree-paths.js';

export const CLUSTER_PLACEHOLDER = '{cluster}';

/**
 * What is wrong with a directory template from gitfed.yaml, or undefined. The template must hold
 * `{cluster}` (else every cluster shares one directory) and no other placeholder, and expand to a
 * relative path inside the branch that is neither git's nor gitfed's own file.
 */
export function dirTemplateProblem(template: string): string | undefined {
  if (!template.includes(CLUSTER_PLACEHOLDER)) return `must contain ${CLUSTER_PLACEHOLDER}`;
  if (hasOtherPlaceholder(template)) return `may hold no placeholder but ${CLUSTER_PLACEHOLDER}`;
  const dir = normalizeDir(template);
  // A sample cluster name stands in: real ones are DNS labels, which cannot add a problem of their own.
  const problem = treePathProblem(expandTemplate(dir, 'x'));
  if (problem) return `must be a relative path of plain directory names; it ${problem}`;
  const first = foldCase(dir.split('/')[0]!);
  if (first === METADATA_FILE || first === ATTRIBUTES_FILE) return `may not start with ${dir.split('/')[0]}, a file gitfed writes at the branch root`;
  return undefined;
}

/** A brace that is not part of `{cluster}`: a misspelt placeholder would otherwise become a literal name. */
export function hasOtherPlaceholder(template: string): boolean {
  return /\{(?!cluster\})|(?<!\{cluster)\}/.test(template);
}

/** `./a/{cluster}/` -> `a/{cluster}`: the spellings of one directory made one. */
export function normalizeDir(template: string): string {
  return template.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

export function expandTemplate(template: string, cluster: string): string {
  return template.replaceAll(CLUSTER_PLACEHOLDER, cluster);
}
