/**
 * @module live-diff
 * `gitfed diff --live`: what an apply would change on each member right now, found the way
 * apply finds it (the owned-object cache, the digest, a server-side dry-run) and with the same
 * ignore rules, so the preview and the daemon never disagree. Lists creations, changes with a
 * field-level diff, and prunes. Nothing is written to any member.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../object.js';
import { readSource, type BranchSnapshot } from '../git/branch-read.js';
import { DEFAULT_BRANCH } from '../git/layout.js';
import type { ApplyConfig } from './config.js';
import { withoutIgnored } from './plan/ignore.js';
import { fleetOfBranch, type FleetIdentity } from './fleet.js';
import { fleetInventories, staleRefs } from './member/inventory.js';
import { KubeApiError, loadKubeConfig } from './member/kube-client.js';
import { mapLimit } from './member/limit.js';
import { parseClusterFiles } from './source/manifests.js';
import { openSecrets } from './source/open-secrets.js';
import { contextFor, MemberSession } from './member/member-session.js';
import { formatRef, groupKindOf, refKey, type ObjectRef } from '../object.js';
import { DIGEST_ANNOTATION, pruneBlocker } from './member/ownership.js';
import { decide, prepare, scopesFromCrds } from './plan/plan.js';
import { claimOf, foreignMessage, readInventories } from './reconcile.js';
import { diffObjects, type FieldChange } from './plan/structural-diff.js';
import { maskSecretValues } from './plan/mask-values.js';
import { markdownTable } from '../format/table.js';

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
  readonly config: ApplyConfig;
  readonly snapshot?: BranchSnapshot;
}

/** Fields of the diff that only gitfed's bookkeeping changes. */
function shown(obj: KubeObject, pointers: readonly string[]): KubeObject {
  const copy = withoutIgnored(obj, pointers);
  if (copy.metadata.annotations) delete copy.metadata.annotations[DIGEST_ANNOTATION];
  return copy;
}

async function diffMember(session: MemberSession, files: ReadonlyMap<string, string>, config: ApplyConfig, fleet: FleetIdentity, inHistory?: (commit: string) => Promise<boolean>, unreadable?: ReadonlyMap<string, string>): Promise<ObjectDiff[]> {
  const { client, cache } = session;
  const parsed = await openSecrets(parseClusterFiles(files, undefined, unreadable), config.decryption);
  const out: ObjectDiff[] = parsed.failures.map((f) => ({ key: f.file, object: f.file, change: 'error' as const, fields: [], message: f.message }));
  const crdScopes = scopesFromCrds(parsed.objects);
  const scopes = new Map<string, boolean | undefined>();
  for (const o of parsed.objects) {
    const gk = groupKindOf(o.ref);
    if (scopes.has(gk)) continue;
    try {
      scopes.set(gk, (await client.resourceFor(o.ref)).namespaced);
    } catch {
      scopes.set(gk, crdScopes.get(gk));
    }
  }
  const prepared = prepare(parsed.objects, session.cluster, config.ignore, (r) => scopes.get(groupKindOf(r)), fleet);
  const sealed = new Set(parsed.objects.filter((o) => o.digestKey !== undefined).map((o) => o.file));
  const fieldsOf = (p: (typeof prepared)[number], live: KubeObject, next: KubeObject) => maskSecretValues(diffObjects(live, next), p.ref, sealed.has(p.file));
  const { earlier, tracked: inventory } = await fleetInventories(await readInventories(session, fleet), fleet, inHistory);
  const claim = claimOf(fleet, earlier, config);
  const kinds = new Map<string, ObjectRef>();
  for (const r of [...prepared.map((p) => p.ref), ...inventory]) kinds.set(groupKindOf(r), r);
  await cache.ensure(kinds.values());

  const changes = await mapLimit(prepared, config.requestConcurrency, async (p): Promise<ObjectDiff | undefined> => {
    const owned = cache.get(p.ref);
    const decision = decide(p, owned, claim, session.verified.get(p.key));
    if (decision.kind === 'in-sync') return undefined;
    const base = { key: p.key, object: formatRef(p.ref) };
    if (decision.kind === 'foreign') return { ...base, change: 'conflict', fields: [], message: foreignMessage(decision.owner, p.ref) };
    const live = owned ?? (await client.get(p.ref).catch(() => undefined));
    try {
      const dry = (await client.apply(p.ref, p.payload, { force: config.conflicts === 'force', dryRun: true })).body;
      if (!live) return { ...base, change: 'create', fields: fieldsOf(p, { apiVersion: dry.apiVersion, kind: dry.kind, metadata: { name: p.ref.name } }, shown(dry, [])) };
      const fields = fieldsOf(p, shown(live, p.pointers), shown(dry, p.pointers));
      return fields.length ? { ...base, change: 'update', fields } : undefined;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409) return { ...base, change: 'conflict', fields: [], message: err.message };
      return { ...base, change: 'error', fields: [], message: (err as Error).message };
    }
  });
  out.push(...changes.filter((c): c is ObjectDiff => c !== undefined));
  for (const ref of staleRefs(inventory, prepared.map((p) => p.ref))) {
    const live = cache.get(ref);
    if (live && !pruneBlocker(live, claim)) out.push({ key: refKey(ref), object: formatRef(ref), change: 'prune', fields: [] });
  }
  return out;
}

export async function liveDiff(opts: LiveDiffOptions): Promise<LiveDiffResult> {
  const snap = opts.snapshot ?? (await readSource(opts.repo, opts.branch ?? DEFAULT_BRANCH, { clusters: opts.clusters }));
  const kc = typeof opts.kubeconfig === 'object' ? opts.kubeconfig : loadKubeConfig(opts.kubeconfig);
  const fleet = fleetOfBranch(snap.metadata);
  const members = await mapLimit(snap.clusters, opts.config.memberConcurrency, async (c): Promise<MemberDiff> => {
    let session: MemberSession | undefined;
    try {
      session = await MemberSession.open(kc, c.name, contextFor(c.name, opts.config, c.context), opts.config);
      return { cluster: c.name, objects: await diffMember(session, c.files, opts.config, fleet, snap.inHistory, c.unreadable) };
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

function value(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v);
}

function fieldLines(f: FieldChange): string[] {
  if (f.op === 'add') return [`    + ${f.path}: ${value(f.to)}`];
  if (f.op === 'remove') return [`    - ${f.path}: ${value(f.from)}`];
  return [`    ± ${f.path}`, `      - ${value(f.from)}`, `      + ${value(f.to)}`];
}

const VERB: Record<ChangeKind, string> = { create: 'created', update: 'changed', prune: 'pruned', conflict: 'conflict', error: 'error' };

export function formatLiveDiff(result: LiveDiffResult, format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(result, null, 2) + '\n';
  const out: string[] = [];
  for (const m of result.members) {
    if (format === 'markdown') {
      out.push(`### ${m.cluster}\n`);
      if (m.error) out.push(`error: ${m.error}\n`);
      else if (m.objects.length === 0) out.push('No changes.\n');
      else {
        out.push(markdownTable(['OBJECT', 'CHANGE', 'FIELDS'], m.objects.map((o) => [o.object, VERB[o.change], o.message ?? o.fields.map((f) => `${f.op} ${f.path}`).join(', ')])));
        out.push('');
      }
      continue;
    }
    if (m.error) {
      out.push(`► ${m.cluster}: error: ${m.error}`);
      continue;
    }
    out.push(`► ${m.cluster}: ${m.objects.length === 0 ? 'no changes' : `${m.objects.length} change(s)`}`);
    for (const o of m.objects) {
      out.push(`  ${o.object} ${VERB[o.change]}${o.message ? `: ${o.message}` : ''}`);
      if (o.change === 'update') for (const f of o.fields) out.push(...fieldLines(f));
    }
  }
  return out.join('\n') + '\n';
}
