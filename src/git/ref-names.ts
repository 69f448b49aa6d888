/**
 * @module git/ref-names
 * The rules for output branch names (`git check-ref-format --branch`) and the pairs one
 * repository cannot hold at once. Pure, so render can check gitfed.yaml with them without
 * loading the git layer; branch-names.ts applies them to a repository.
 */
import { pathConflict } from './tree-paths.js';

// A ref component ends up as a file `<component>.lock` while it is written; the name must fit 255 bytes.
const MAX_COMPONENT_BYTES = 250;

/** Why `refs/heads/<branch>` is not a valid ref, or undefined. */
export function branchNameProblem(branch: string): string | undefined {
  if (branch === '') return 'is empty';
  if (branch === '@') return "may not be '@'";
  if (branch === 'HEAD') return 'may not be HEAD';
  if (branch.startsWith('-')) return "may not start with '-'";
  if (branch.startsWith('/') || branch.endsWith('/')) return "may not start or end with '/'";
  if (branch.includes('//')) return "may not hold '//'";
  if (branch.includes('..')) return "may not hold '..'";
  if (branch.includes('@{')) return "may not hold '@{'";
  if (branch.endsWith('.')) return "may not end with '.'";
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(branch);
  if (bad) return `may not hold ${JSON.stringify(bad[0])} (nor spaces, control characters, ~ ^ : ? * [ \\)`;
  for (const component of branch.split('/')) {
    if (component.startsWith('.')) return `may not have a part starting with '.' (${JSON.stringify(component)})`;
    if (component.endsWith('.lock')) return `may not have a part ending with '.lock' (${JSON.stringify(component)})`;
    if (Buffer.byteLength(component) > MAX_COMPONENT_BYTES) return `may not have a part longer than ${MAX_COMPONENT_BYTES} bytes`;
  }
  return undefined;
}

/**
 * Why two different branch names cannot live in one repository, or undefined: `a` and `a/b`
 * (refs/heads/a would be a file and a directory), or names equal but for case (one file on a
 * case-insensitive file system). Equal names are one branch, not a conflict.
 */
export function branchConflict(a: string, b: string): string | undefined {
  const c = pathConflict(a, b);
  if (c === 'case') return `branches ${a} and ${b} differ only in case: one ref on macOS and Windows`;
  if (c === 'nested') return `branches ${a} and ${b} nest: a branch cannot also be a directory of branches`;
  return undefined;
}
