/**
 * @module live-diff
 * `gitfed diff --live`: what an apply would change on each member right now, found the way
 * apply finds it (the owned-object cache, the digest, a server-side dry-run) and with the same
 * ignore rules, so the preview and the daemon never disagree. Lists creations, changes with a
 * field-level diff, and prunes. Nothing is written to any member.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../object.js';
import { readSource, type BranchSnapshot, type ClusterSelector } from '../git/branch-read.js';
import { DEFAULT_BRANCH } from '../git/layout.js';
import type { ApplyConfig } from './config.js';
import { withoutIgnored } from './plan/ignore.js';
import { fleetOfBranch } from './fleet.js';
import { loadKubeConfig } from './member/kube-client.js';
import { KubeApiError } from './member/member-client.js';
import { mapLimit } from './member/limit.js';
import { parseClusterFiles } from './source/manifests.js';
import { openSecrets } from './source/open-secrets.js';
import { contextFor, MemberSession } from './member/member-session.js';
import { formatRef, refKey } from '../object.js';
import { DIGEST_ANNOTATION } from './member/ownership.js';
import { objectSteps, pruneSteps, REPORTED_DRIFT, type ObjectStep } from './plan/member-plan.js';
import { observeAndPlan, type PlanTarget } from './observe.js';
import { diffObjects, type FieldChange } from './plan/structural-diff.js';
import { maskSecretValues } from './plan/mask-values.js';

export type ChangeKind = 'create' | 'update' | 'prune' | 'conflict' | 'error';

export interface ObjectDiff {
  readonly key: string;
  readonly object: string;
  readonly change: ChangeKind;
  readonly fields: readonly FieldChange[];
  readonly message?: string;
}

export interface MemberDiff {
  readonly cluster: string;
  readonly error?: string;
  readonly objects: readonly ObjectDiff[];
}

export interface LiveDiffResult {
  readonly source: string;
  readonly branchCommit?: string;
  readonly members: readonly MemberDiff[];
}

export interface LiveDiffOptions {
  readonly repo: string;
  /** @default DEFAULT_BRANCH (`rendered`) */
  readonly branch?: string;
  readonly kubeconfig?: string | KubeConfig;
  readonly clusters?: readonly string[];
  /** `-l`: the members whose labels in the branch metadata match. */
  readonly selector?: ClusterSelector;
  readonly config: ApplyConfig;
  readonly snapshot?: BranchSnapshot;
}

/** Fields of the diff that only gitfed's bookkeeping changes. */
function shown(obj: KubeObject, pointers: readonly string[]): KubeObject {
  const copy = withoutIgnored(obj, pointers);
  if (copy.metadata.annotations) delete copy.metadata.annotations[DIGEST_ANNOTATION];
  return copy;
}

/** What an apply would change about one object of the plan, found by a server-side dry-run. */
async function diffStep(session: MemberSession, step: ObjectStep, config: ApplyConfig, sealed: ReadonlySet<string>): Promise<ObjectDiff | undefined> {
  const { object: p, decision } = step;
  if (decision.kind === 'in-sync') return undefined;
  const base = { key: p.key, object: formatRef(p.ref) };
  if (decision.kind === 'foreign') return { ...base, change: 'conflict', fields: [], message: step.blocked };
  // Not in the owned cache: new, or there without gitfed's label; the diff shows what apply takes over.
  const live = step.live ?? (await session.client.get(p.ref).catch(() => undefined));
  try {
    const dry = (await session.client.dryRun(p.ref, p.payload, { force: config.conflicts === 'force' })).body;
    // A Secret that was encrypted in git shows which keys change, never a value.
    const fieldsOf = (from: KubeObject, to: KubeObject) => maskSecretValues(diffObjects(from, to), p.ref, sealed.has(p.file));
    if (!live) return { ...base, change: 'create', fields: fieldsOf({ apiVersion: dry.apiVersion, kind: dry.kind, metadata: { name: p.ref.name } }, shown(dry, [])) };
    const fields = fieldsOf(shown(live, p.pointers), shown(dry, p.pointers));
    if (fields.length === 0) return undefined;
    // The branch and the member differ, but apply leaves it so: say so beside the fields.
    return { ...base, change: 'update', fields, ...(step.drift === 'report' ? { message: REPORTED_DRIFT } : {}) };
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409) return { ...base, change: 'conflict', fields: [], message: err.message };
    return { ...base, change: 'error', fields: [], message: (err as Error).message };
  }
}

/** The member's plan, as changes: every object it would apply differently, and every prune. */
async function diffMember(session: MemberSession, target: PlanTarget, config: ApplyConfig): Promise<ObjectDiff[]> {
  const plan = await observeAndPlan(session, target, { config, dryRun: true });
  const out: ObjectDiff[] = plan.failures.map((f) => ({ key: f.file, object: f.file, change: 'error' as const, fields: [], message: f.message }));
  const sealed = new Set(target.parsed.objects.filter((o) => o.digestKey !== undefined).map((o) => o.file));
  const changes = await mapLimit(objectSteps(plan), config.requestConcurrency, (step) => diffStep(session, step, config, sealed));
  out.push(...changes.filter((c): c is ObjectDiff => c !== undefined));
  for (const { ref, decision } of pruneSteps(plan)) if (decision.kind === 'delete') out.push({ key: refKey(ref), object: formatRef(ref), change: 'prune', fields: [] });
  return out;
}

export async function liveDiff(opts: LiveDiffOptions): Promise<LiveDiffResult> {
  const snap = opts.snapshot ?? (await readSource(opts.repo, opts.branch ?? DEFAULT_BRANCH, { clusters: opts.clusters, ...(opts.selector ? { selector: opts.selector } : {}) }));
  const kc = typeof opts.kubeconfig === 'object' ? opts.kubeconfig : loadKubeConfig(opts.kubeconfig);
  const fleet = fleetOfBranch(snap.metadata);
  const members = await mapLimit(snap.clusters, opts.config.memberConcurrency, async (c): Promise<MemberDiff> => {
    let session: MemberSession | undefined;
    try {
      session = await MemberSession.open(kc, c.name, contextFor(c.name, opts.config, c.context), opts.config);
      return { cluster: c.name, objects: await diffMember(session, { cluster: c.name, parsed: await openSecrets(parseClusterFiles(c.files, undefined, c.unreadable), opts.config.decryption), fleet, inHistory: snap.inHistory }, opts.config) };
    } catch (err) {
      return { cluster: c.name, error: (err as Error).message, objects: [] };
    } finally {
      session?.close();
    }
  });
  return { source: snap.source, branchCommit: snap.branchCommit, members };
}

/** 0 nothing would change, 1 something would, 2 a member or an object could not be diffed. */
export function liveDiffExitCode(result: LiveDiffResult): 0 | 1 | 2 {
  if (result.members.some((m) => m.error || m.objects.some((o) => o.change === 'error'))) return 2;
  return result.members.some((m) => m.objects.length > 0) ? 1 : 0;
}
