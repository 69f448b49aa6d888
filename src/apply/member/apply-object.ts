/**
 * @module apply-object
 * One object's way to the member: server-side apply under field manager `gitfed`, with the
 * fleet's conflict policy, a dry-run before any update, and delete-and-create for an
 * immutable-field change only where the object opts in.
 */
import type { KubeObject } from '../../object.js';
import type { ConflictPolicy } from '../config.js';
import { describeFleet } from '../fleet.js';
import { healthOf } from '../status/health.js';
import { adoptIgnored, withoutIgnored } from '../plan/ignore.js';
import { KubeApiError } from './member-client.js';
import type { MemberSession } from './member-session.js';
import { formatRef } from '../../object.js';
import { recreateAllowed, RECREATE_ANNOTATION } from './ownership.js';
import { verifiedStamp, type Decision, type PreparedObject } from '../plan/plan.js';
import type { Action, ObjectStatus } from '../status/report.js';
import { diffObjects } from '../plan/structural-diff.js';

export interface ApplyObjectOptions {
  readonly conflicts: ConflictPolicy;
  /** Only dry-run: report what would happen, change nothing. */
  readonly dryRun: boolean;
  /** How long a recreate waits for the old object to go. */
  readonly waitMs: number;
}

function isConflict(err: unknown): err is KubeApiError {
  // StatusCause's type travels as "reason" in JSON; accept either spelling.
  return err instanceof KubeApiError && err.status === 409 && err.causes.some((c) => (c.reason ?? c.type) === 'FieldManagerConflict');
}

/** Flux's test: an immutable-field error may come as Invalid or Conflict, from the API or a webhook. */
export function isImmutable(err: unknown): boolean {
  return err instanceof KubeApiError && (err.status === 422 || err.status === 409) && /immutable/i.test(err.message);
}

/** `<field> from "<manager>"` for every conflicting field of a 409. */
export function takenFields(err: KubeApiError): string[] {
  return err.causes.map((c) => `${c.field ?? '?'} ${(c.message ?? '').replace(/^conflicts? with /, 'from ')}`.trim());
}

type Extra = { -readonly [K in 'message' | 'taken' | 'drift']?: ObjectStatus[K] };

/** The report line; health comes from the live object when there is one. */
export function objectStatus(p: Pick<PreparedObject, 'key' | 'ref' | 'file'>, action: Action, live: KubeObject | undefined, extra: Extra = {}): ObjectStatus {
  const s: ObjectStatus = { key: p.key, object: formatRef(p.ref), action, file: p.file, ...extra };
  return live ? { ...s, health: healthOf(live).status } : s;
}

const status = objectStatus;

function failure(p: PreparedObject, err: unknown, live?: KubeObject): ObjectStatus {
  const message = err instanceof Error ? err.message : String(err);
  return status(p, 'failed', live, { message });
}

async function waitGone(session: MemberSession, p: PreparedObject, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!(await session.client.get(p.ref))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`still present ${waitMs / 1000}s after delete (finalizers?)`);
}

/** What the report says of an object that changes owner. */
function adoptMessage(decision: Extract<Decision, { kind: 'adopt' }>, dryRun: boolean): string {
  const from = describeFleet(decision.from);
  if (decision.reason === 'earlier-name') return `${dryRun ? 'would move' : 'moved'} from ${from}, an earlier name of this fleet`;
  return `${dryRun ? 'would be taken' : 'taken'} over from ${from} (takeOver)`;
}

/**
 * Applies one object per its decision and returns its line of the report. Never throws for
 * the object's own errors (they become a failed line); throws only when the member itself is
 * unreachable, which ends the member's reconcile. Another fleet's object never gets here.
 */
export async function applyObject(session: MemberSession, p: PreparedObject, live: KubeObject | undefined, decision: Exclude<Decision, { kind: 'foreign' }>, opts: ApplyObjectOptions): Promise<ObjectStatus> {
  const { client, cache } = session;
  if (decision.kind === 'in-sync') {
    if (live) session.verified.set(p.key, verifiedStamp(live, p.digest));
    return status(p, 'unchanged', live);
  }
  const payload = live ? adoptIgnored(p.payload, live, p.pointers) : p.payload;
  let taken: string[] | undefined;
  let force = false;

  const onConflict = (err: KubeApiError): ObjectStatus | undefined => {
    if (opts.conflicts === 'stop') return status(p, 'failed', live, { message: `conflict, not taken (policy stop): ${err.message}` });
    taken = takenFields(err);
    force = true;
    return undefined;
  };

  try {
    // A new object, or one changing owner (relabelled by the branch's version), goes out in one apply.
    if ((decision.kind !== 'create' && decision.kind !== 'adopt') || opts.dryRun) {
      // Dry-run first: conflicts, immutable fields and "nothing would change" surface without a write.
      let dry: KubeObject | undefined;
      try {
        dry = (await client.dryRun(p.ref, payload, { force: false })).body;
      } catch (err) {
        if (isConflict(err)) {
          const stopped = onConflict(err);
          if (stopped) return stopped;
          dry = (await client.dryRun(p.ref, payload, { force: true })).body;
        } else if (isImmutable(err)) {
          if (!recreateAllowed(p.desired)) {
            return failure(p, `${(err as Error).message} (an immutable field changed; annotate the object ${RECREATE_ANNOTATION}: enabled to let gitfed delete and create it)`, live);
          }
          if (opts.dryRun) return status(p, 'configured', live, { message: 'would delete and create it again (immutable field changed)' });
          await client.delete(p.ref, { uid: live?.metadata.uid as string | undefined });
          cache.remove(p.ref);
          await waitGone(session, p, opts.waitMs);
          const created = (await client.apply(p.ref, p.payload, { force: true })).body;
          cache.put(created);
          return status(p, 'created', created, { message: 'deleted and created again: an immutable field changed' });
        } else {
          throw err;
        }
      }
      if (decision.kind === 'suspect-drift' && live && diffObjects(withoutIgnored(live, p.pointers), withoutIgnored(dry, p.pointers)).length === 0) {
        // The cheap check saw a difference the server does not: remember, so it is not asked again.
        session.verified.set(p.key, verifiedStamp(live, p.digest));
        return status(p, 'unchanged', live);
      }
      if (opts.dryRun) {
        // A dry-run that would create answers without a resourceVersion. Not in the owned cache is
        // not enough: an object there without gitfed's label is updated, and diff --live says so.
        const action: Action = dry.metadata.resourceVersion ? 'configured' : 'created';
        return status(p, action, live, { ...(taken ? { taken } : {}), ...(decision.kind === 'adopt' ? { message: adoptMessage(decision, true) } : {}) });
      }
    }
    let res: { status: number; body: KubeObject };
    try {
      res = await client.apply(p.ref, payload, { force });
    } catch (err) {
      if (!isConflict(err) || force) throw err;
      const stopped = onConflict(err);
      if (stopped) return stopped;
      res = await client.apply(p.ref, payload, { force: true });
    }
    cache.put(res.body);
    session.verified.delete(p.key);
    const action: Action = res.status === 201 ? 'created' : 'configured';
    const extra: Extra = {};
    if (taken) extra.taken = taken;
    if (decision.kind === 'suspect-drift') extra.message = `drift corrected: ${decision.paths.join(', ')}`;
    if (decision.kind === 'adopt') extra.message = adoptMessage(decision, false);
    return status(p, action, res.body, extra);
  } catch (err) {
    if ((err as { code?: string }).code === 'MemberUnreachable') throw err;
    return failure(p, err, live);
  }
}
