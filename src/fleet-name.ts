/**
 * @module fleet-name
 * A fleet's name: what tells its objects from another fleet's on a member they share. The render
 * side records it in the output branch's metadata (from gitfed.yaml's `fleet`, or derived as
 * below); the apply side carries it in the inventory's name and the ownership labels. Pure.
 *
 * The default has to be distinct without any set-up and the same on every machine and every
 * clone, CI's shallow ones included: so it comes from the fleet repo's URL, normalised so that
 * the https and ssh spellings of one repository agree and no credential can reach a label, and,
 * for a repository with no remote, from its first commit.
 */
import { createHash } from 'node:crypto';

/** DNS-1123 label: fits a label value and, behind a prefix, a ConfigMap name. */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 63;

/** Why `name` cannot be a fleet name, or undefined when it can. */
export function fleetNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a string, not ${JSON.stringify(name)}`;
  if (name.length > MAX_NAME || !NAME.test(name)) {
    return `${JSON.stringify(name)} is not a valid fleet name: at most ${MAX_NAME} lowercase letters, digits and "-", starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * `host/path` of a repository URL, lower case, without scheme, user info, port, query, fragment
 * or `.git`; scp-like ssh (`git@host:org/repo.git`) gives the same as https. A local path is
 * kept as a path. Undefined for "" and ".", which name no repository in particular.
 */
export function normaliseRepoUrl(url: string): string | undefined {
  let s = url.trim();
  if (s === '' || s === '.' || s === './') return undefined;
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(s);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    try {
      const u = new URL(s);
      s = `${u.hostname}/${u.pathname}`;
    } catch {
      s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '').replace(/[?#].*$/, '');
    }
  } else if (scp && !/^[a-z]$/i.test(scp[1]!)) {
    s = `${scp[1]}/${scp[2]}`;
  }
  s = s.toLowerCase().replace(/\/+/g, '/').replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  return s === '' || s === '.' ? undefined : s;
}

function slug(s: string): string {
  const out = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return out || 'fleet';
}

/** `<last path segment>-<10 hex of sha256 of the normalised URL>`: readable, and distinct per repository. */
export function fleetNameFromRepo(url: string): string | undefined {
  const norm = normaliseRepoUrl(url);
  if (!norm) return undefined;
  const last = norm.split('/').pop() ?? '';
  return `${slug(last)}-${createHash('sha256').update(norm).digest('hex').slice(0, 10)}`;
}

/** For a repository without a remote: its first commit, which no other repository shares. */
export function fleetNameFromRootCommit(root: string): string {
  return `fleet-${root.slice(0, 12)}`;
}
