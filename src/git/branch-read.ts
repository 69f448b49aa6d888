/**
 * @module git/branch-read
 * Reads an output branch the way the apply side needs it: the branch head, the metadata file
 * at its root (through metadata.ts's one strict parser), and the files of each cluster
 * directory. Render and apply meet only here, at the branch; nothing from src/render is imported. A plain directory with the same layout (the
 * preview of `gitfed render --out`) is read the same way, for tests and for dry runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import git from 'isomorphic-git';
import { GitError, RenderError } from '../errors.js';
import { decodeFleetFile } from '../yaml/text.js';
import { METADATA_FILE } from './layout.js';
import { parseMetadata, type BranchRollout } from './metadata.js';
import { openRepo } from './repo.js';
import { publicUrl } from './public-url.js';
const MANIFEST = /\.(ya?ml|json)$/;

export interface ClusterEntry {
  readonly name: string;
  /** Directory of the cluster inside the branch, no trailing slash. */
  readonly dir: string;
  readonly objects?: number;
  readonly digest?: string;
  /** Kubeconfig context the fleet's inventory names for this member, if the metadata carries it. */
  readonly context?: string;
  /** The inventory's labels of this member, if the metadata carries them. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `-l`: clusters chosen by the labels the metadata records. `text` is the selector as written, for errors. */
export interface ClusterSelector {
  readonly text: string;
  matches(labels: Readonly<Record<string, string>>): boolean;
}

export interface BranchMetadata {
  /** The fleet's name on its members; absent in a branch rendered before fleets had names. */
  readonly fleet?: string;
  readonly sourceRepo?: string;
  readonly sourceCommit?: string;
  readonly version?: string;
  readonly clusters: readonly ClusterEntry[];
  /** The waves the branch carries (gitfed.yaml's rollout, metadata schema 2). */
  readonly rollout?: BranchRollout;
}

export interface ClusterFiles extends ClusterEntry {
  /** Branch-root-relative path -> content. */
  readonly files: ReadonlyMap<string, string>;
  /** Git tree id of the directory; equal ids mean equal content (undefined for a plain directory). */
  readonly treeOid?: string;
  /** Manifest files that are not UTF-8 text, with why: each fails alone, never applied with U+FFFD in it. */
  readonly unreadable?: ReadonlyMap<string, string>;
}

/**
 * A manifest's text, or why it has none: read as render reads a fleet file (yaml/text.ts), so a
 * file that is not UTF-8 is refused rather than decoded with U+FFFD in it.
 */
function manifestText(file: string, bytes: Uint8Array): { text: string } | { problem: string } {
  try {
    return { text: decodeFleetFile(file, bytes) };
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    return { problem: `${err.line ? `line ${err.line}: ` : ''}${err.message}` };
  }
}

export interface BranchSnapshot {
  /** What was read, for messages: `repo@branch` or the directory. */
  readonly source: string;
  /** The branch head; undefined for a plain directory. */
  readonly branchCommit?: string;
  readonly metadata: BranchMetadata;
  readonly clusters: readonly ClusterFiles[];
  /**
   * Whether a commit is the branch head or in its history: how a fleet recognises an inventory
   * written under an earlier name of its own. Undefined for a plain directory, which has none.
   */
  readonly inHistory?: (commit: string) => Promise<boolean>;
}

/** The metadata as apply reads it: the strict parse of metadata.ts, flattened. */
export function metadataOf(text: string, file: string = METADATA_FILE): BranchMetadata {
  const m = parseMetadata(text, file);
  return {
    ...(m.fleet !== undefined ? { fleet: m.fleet } : {}),
    // publicUrl: a branch an older gitfed wrote may name the repo with a token in it.
    sourceRepo: m.source.repo ? publicUrl(m.source.repo) : undefined,
    sourceCommit: m.source.commit || undefined,
    version: m.gitfed.version || undefined,
    clusters: m.clusters,
    ...(m.rollout ? { rollout: m.rollout } : {}),
  };
}

/**
 * Where isomorphic-git finds the objects and the branch refs of a work tree, a linked worktree
 * or a bare repository (repo.ts's lookup; a linked worktree keeps both in the common directory).
 */
export function gitdirOf(repo: string): string | undefined {
  try {
    return openRepo(repo).commondir;
  } catch (err) {
    if ((err as { code?: string }).code === 'NotARepository') return undefined;
    throw err;
  }
}

export async function resolveBranchHead(gitdir: string, branch: string): Promise<string> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`, branch]) {
    try {
      return await git.resolveRef({ fs, gitdir, ref });
    } catch {
      // try the next spelling
    }
  }
  throw new GitError('BranchNotFound', `branch ${branch} not found in ${gitdir}`, { file: gitdir });
}

/** Options for reading: which clusters, and tree ids already read (those are skipped). */
export interface ReadOptions {
  readonly clusters?: readonly string[];
  /** Only the clusters whose labels match (beside `clusters`, both must hold); none matching is an error. */
  readonly selector?: ClusterSelector;
  /** Cluster name -> tree id read last time; a cluster whose tree is unchanged comes back without files. */
  readonly knownTrees?: ReadonlyMap<string, string>;
  /** Blob id -> content, kept by a long-lived reader: a new head costs only the blobs it changed. */
  readonly blobs?: Map<string, string>;
}

function selected(entries: readonly ClusterEntry[], opts: ReadOptions): ClusterEntry[] {
  const only = opts.clusters;
  const missing = (only ?? []).filter((n) => !entries.some((e) => e.name === n));
  if (missing.length) throw new GitError('UnknownCluster', `no cluster ${missing.join(', ')} in the branch metadata`);
  const named = only?.length ? entries.filter((e) => only.includes(e.name)) : [...entries];
  const sel = opts.selector;
  if (!sel) return named;
  const chosen = named.filter((e) => sel.matches(e.labels ?? {}));
  if (chosen.length === 0) {
    throw new GitError('UnknownCluster', `--selector ${sel.text}: no cluster${only?.length ? ' of those named' : ''} in the branch metadata has these labels`, {
      hint: "the labels are the fleet inventory's, recorded in gitfed.metadata when the branch was rendered; a branch rendered before gitfed recorded them has none: render it again",
    });
  }
  return chosen;
}

export async function readBranch(repo: string, branch: string, opts: ReadOptions = {}): Promise<BranchSnapshot> {
  const gitdir = gitdirOf(repo);
  if (!gitdir) throw new GitError('NotARepository', `${repo} is not a git repository`, { file: repo });
  const commit = await resolveBranchHead(gitdir, branch);
  const cache = {};
  let metadataText: string;
  try {
    const { blob } = await git.readBlob({ fs, gitdir, oid: commit, filepath: METADATA_FILE, cache });
    metadataText = Buffer.from(blob).toString('utf8');
  } catch (err) {
    throw new GitError('MetadataMissing', `${branch}@${commit.slice(0, 7)} has no ${METADATA_FILE}`, { file: METADATA_FILE }, { cause: err });
  }
  const metadata = metadataOf(metadataText);
  const clusters: ClusterFiles[] = [];
  for (const entry of selected(metadata.clusters, opts)) {
    let treeOid: string | undefined;
    try {
      ({ oid: treeOid } = await git.readTree({ fs, gitdir, oid: commit, filepath: entry.dir, cache }));
    } catch (err) {
      // A cluster with no objects may have no directory at all. Anything else (a corrupt or
      // missing object) must fail the read: an empty desired set would prune the whole member.
      const notFound = (err as { code?: string }).code === 'NotFoundError';
      if (!notFound || (entry.objects ?? 0) > 0) {
        throw new GitError('BranchUnreadable', `${branch}@${commit.slice(0, 7)}: cannot read ${entry.dir} of cluster ${entry.name}: ${(err as Error).message}`, { file: entry.dir, cluster: entry.name }, { cause: err });
      }
      clusters.push({ ...entry, files: new Map() });
      continue;
    }
    if (opts.knownTrees?.get(entry.name) === treeOid) {
      clusters.push({ ...entry, files: new Map(), treeOid });
      continue;
    }
    const files = new Map<string, string>();
    const unreadable = new Map<string, string>();
    await readTreeFiles(gitdir, treeOid, entry.dir, files, unreadable, cache, opts.blobs);
    clusters.push({ ...entry, files, treeOid, ...(unreadable.size ? { unreadable } : {}) });
  }
  return { source: `${repo}@${branch}`, branchCommit: commit, metadata, clusters, inHistory: historyOf(gitdir, commit) };
}

/** Answers "is this commit the head or one of its ancestors", each commit once per head. */
function historyOf(gitdir: string, head: string): (commit: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  const cache = {};
  // In a shallow clone a commit just below the cut is named as a parent without being stored.
  const shallow = fs.existsSync(path.join(gitdir, 'shallow'));
  const ask = async (commit: string): Promise<boolean> => {
    if (commit === head) return true;
    // Absent from a complete repository: not this branch's (another fleet's repository); no walk needed.
    const present = await git.readObject({ fs, gitdir, oid: commit, format: 'deflated', cache }).then(() => true, () => false);
    if (!present && !shallow) return false;
    // A missing object on the way (history cut short) means: not provably ours.
    return git.isDescendent({ fs, gitdir, oid: head, ancestor: commit, depth: -1, cache }).catch(() => false);
  };
  return (commit) => {
    let answer = known.get(commit);
    if (!answer) known.set(commit, (answer = ask(commit)));
    return answer;
  };
}

async function readTreeFiles(gitdir: string, oid: string, prefix: string, out: Map<string, string>, unreadable: Map<string, string>, cache: object, blobs?: Map<string, string>): Promise<void> {
  const { tree } = await git.readTree({ fs, gitdir, oid, cache });
  await Promise.all(
    tree.map(async (e) => {
      const p = `${prefix}/${e.path}`;
      if (e.type === 'tree') return readTreeFiles(gitdir, e.oid, p, out, unreadable, cache, blobs);
      if (e.type !== 'blob' || !MANIFEST.test(e.path)) return;
      let text = blobs?.get(e.oid);
      if (text === undefined) {
        const { blob } = await git.readBlob({ fs, gitdir, oid: e.oid, cache });
        const read = manifestText(p, blob);
        if ('problem' in read) {
          unreadable.set(p, read.problem);
          return;
        }
        text = read.text;
        blobs?.set(e.oid, text);
      }
      out.set(p, text);
    }),
  );
}

/** A directory with the branch layout. Without a metadata file, every `clusters/<name>/` is a member. */
export async function readDirectory(dir: string, opts: ReadOptions = {}): Promise<BranchSnapshot> {
  const metaPath = path.join(dir, METADATA_FILE);
  let metadata: BranchMetadata;
  if (fs.existsSync(metaPath)) {
    metadata = metadataOf(fs.readFileSync(metaPath, 'utf8'), metaPath);
  } else {
    const root = path.join(dir, 'clusters');
    if (!fs.existsSync(root)) throw new GitError('MetadataMissing', `${dir} has neither ${METADATA_FILE} nor clusters/`, { file: dir });
    const names = fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    metadata = { clusters: names.map((name) => ({ name, dir: `clusters/${name}` })) };
  }
  const clusters: ClusterFiles[] = selected(metadata.clusters, opts).map((entry) => {
    const files = new Map<string, string>();
    const unreadable = new Map<string, string>();
    const base = path.join(dir, entry.dir);
    if (fs.existsSync(base)) {
      for (const rel of (fs.readdirSync(base, { recursive: true }) as string[]).sort()) {
        const abs = path.join(base, rel);
        if (!MANIFEST.test(rel) || !fs.statSync(abs).isFile()) continue;
        const file = `${entry.dir}/${rel.split(path.sep).join('/')}`;
        const read = manifestText(file, fs.readFileSync(abs));
        if ('problem' in read) unreadable.set(file, read.problem);
        else files.set(file, read.text);
      }
    }
    return { ...entry, files, ...(unreadable.size ? { unreadable } : {}) };
  });
  return { source: dir, metadata, clusters };
}

/** A git repository (read at `branch`) or a plain directory, whichever `repo` is. */
export async function readSource(repo: string, branch: string, opts: ReadOptions = {}): Promise<BranchSnapshot> {
  return gitdirOf(repo) ? readBranch(repo, branch, opts) : readDirectory(repo, opts);
}
