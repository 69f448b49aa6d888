/**
 * @module apply-branch
 * One pass over the fleet: read the branch, and reconcile every selected member, several at
 * once, each on its own. A member that cannot be reached, or fails in any other way, gets its
 * own line in the report and never stops the others.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { readSource, type BranchSnapshot, type ClusterFiles } from '../git/branch-read.js';
import { DEFAULT_BRANCH } from '../git/layout.js';
import type { ApplyConfig } from './config.js';
import { fleetOfBranch, type FleetIdentity } from './fleet.js';
import { loadKubeConfig } from './member/kube-client.js';
import { mapLimit } from './member/limit.js';
import { parseClusterFiles } from './source/manifests.js';
import { contextFor, MemberSession } from './member/member-session.js';
import { prefetch } from './observe.js';
import { reconcileMember } from './reconcile.js';
import { buildReport, failedMember, type MemberReport, type PropagationReport } from './status/report.js';
import { readState, stateFileFor, writeState } from './status/state-store.js';

export interface ApplyBranchOptions {
  /** A git repository (working tree or bare) or a directory with the branch layout. */
  readonly repo: string;
  /** @default DEFAULT_BRANCH (`rendered`) */
  readonly branch?: string;
  /** A kubeconfig file, a loaded KubeConfig, or undefined for the default chain. */
  readonly kubeconfig?: string | KubeConfig;
  /** Only these members; default all in the branch metadata. */
  readonly clusters?: readonly string[];
  readonly dryRun?: boolean;
  readonly config: ApplyConfig;
  /** Where the report is kept; null keeps it nowhere. @default stateFileFor(repo): in the repository's git directory */
  readonly stateFile?: string | null;
  /** Open sessions to reuse (the daemon's); new ones are added, and closed by the caller. */
  readonly sessions?: Map<string, MemberSession>;
  /** An already read branch (the daemon reads it once per head). */
  readonly snapshot?: BranchSnapshot;
  readonly now?: () => string;
}

async function reconcileOne(c: ClusterFiles, snap: BranchSnapshot, fleet: FleetIdentity, kc: KubeConfig, opts: ApplyBranchOptions, previous: MemberReport | undefined, own: Map<string, MemberSession>): Promise<MemberReport> {
  const now = opts.now ?? (() => new Date().toISOString());
  const context = contextFor(c.name, opts.config, c.context);
  try {
    let session = opts.sessions?.get(c.name) ?? own.get(c.name);
    if (!session) {
      session = await MemberSession.open(kc, c.name, context, opts.config);
      (opts.sessions ?? own).set(c.name, session);
    }
    const early = prefetch(session, fleet);
    early.catch(() => undefined); // awaited below; its error is this member's
    const parsed = parseClusterFiles(c.files, undefined, c.unreadable);
    const inventories = await early;
    return await reconcileMember(
      session,
      { cluster: c.name, context, parsed, fleet, branchCommit: snap.branchCommit, sourceCommit: snap.metadata.sourceCommit, inHistory: snap.inHistory },
      { config: opts.config, dryRun: opts.dryRun, previous, now, inventories },
    );
  } catch (err) {
    return failedMember(previous, { cluster: c.name, context, fleet: fleet.name }, err, now());
  }
}

export async function applyBranch(opts: ApplyBranchOptions): Promise<PropagationReport> {
  const snap = opts.snapshot ?? (await readSource(opts.repo, opts.branch ?? DEFAULT_BRANCH, { clusters: opts.clusters }));
  const kc = typeof opts.kubeconfig === 'object' ? opts.kubeconfig : loadKubeConfig(opts.kubeconfig);
  const stateFile = opts.stateFile === undefined ? stateFileFor(opts.repo) : opts.stateFile;
  const before = stateFile === null ? undefined : readState(stateFile);
  const previousOf = (name: string) => before?.members.find((m) => m.cluster === name);
  const own = new Map<string, MemberSession>();
  const selected = snap.clusters.filter((c) => !opts.clusters?.length || opts.clusters.includes(c.name));
  const fleet = fleetOfBranch(snap.metadata);
  try {
    const reports = await mapLimit(selected, opts.config.memberConcurrency, (c) => reconcileOne(c, snap, fleet, kc, opts, previousOf(c.name), own));
    // Members not selected this time keep their last report.
    const others = (before?.members ?? []).filter((m) => !selected.some((c) => c.name === m.cluster) && snap.metadata.clusters.some((c) => c.name === m.cluster));
    const report = buildReport(snap.source, [...reports, ...others], {
      branchCommit: snap.branchCommit,
      sourceCommit: snap.metadata.sourceCommit,
      fleet: fleet.name,
      now: (opts.now ?? (() => new Date().toISOString()))(),
    });
    if (stateFile !== null && !opts.dryRun) writeState(report, stateFile);
    return report;
  } finally {
    for (const s of own.values()) s.close();
  }
}
