/**
 * @module observed-health
 * A member's health at a revision someone else applies (Argo CD, Flux), read without writing
 * anything: each object of the revision is read from the member (GET), must carry what the
 * revision gives it (apply/plan/drift.ts; else the consumer has not applied it yet), and is judged by the same health
 * rules as gitfed's own apply (apply/status/health.ts). The worst object is the member's health.
 */
import { ApplyError } from '../errors.js';
import { formatRef, type KubeObject } from '../object.js';
import type { MemberClient } from '../apply/member/member-client.js';
import type { ParsedCluster } from '../apply/source/manifests.js';
import { driftedPaths } from '../apply/plan/drift.js';
import { healthOf } from '../apply/status/health.js';
import type { MemberHealth } from './planner.js';

export interface ObservedHealth {
  readonly health: MemberHealth;
  readonly message?: string;
}

const RANK: Record<MemberHealth, number> = { Ready: 0, Unknown: 1, Progressing: 2, Failed: 3 };

/** What of an object the consumer must have applied; for a SOPS-sealed Secret only its metadata (the member holds it decrypted). */
function applied(obj: KubeObject, sealed: boolean): KubeObject {
  if (!sealed) return obj;
  const { sops: _sops, data: _data, stringData: _stringData, ...meta } = obj;
  return meta as KubeObject;
}

/**
 * The member's health at the revision `parsed` was read from. An object absent, or not yet as the
 * revision has it, is Progressing (the consumer has not got there); a file of the revision that
 * does not parse fails the member, as it fails the consumer.
 */
export async function observeHealth(client: MemberClient, parsed: ParsedCluster): Promise<ObservedHealth> {
  const failure = parsed.failures[0];
  if (failure) return { health: 'Failed', message: `${failure.file}${failure.line ? `:${failure.line}` : ''}: ${failure.message}` };
  const seen = await Promise.all(
    parsed.objects.map(async (d): Promise<ObservedHealth> => {
      const name = formatRef(d.ref);
      let namespaced: boolean;
      try {
        namespaced = await client.namespaced(d.ref);
      } catch (err) {
        if (err instanceof ApplyError && err.code === 'NoKindMatch') return { health: 'Progressing', message: `${name}: its kind is not served yet` };
        throw err;
      }
      const live = await client.get({ ...d.ref, namespace: namespaced ? d.ref.namespace || 'default' : '' });
      if (!live) return { health: 'Progressing', message: `${name}: not applied yet` };
      // The drift check of gitfed's own apply: every field the revision gives, the same (defaults and others' fields aside).
      const differ = driftedPaths(applied(d.obj, d.sealed !== undefined), live);
      if (differ.length) return { health: 'Progressing', message: `${name}: not at this revision yet (${differ[0]})` };
      const h = healthOf(live);
      return { health: h.status, ...(h.status !== 'Ready' ? { message: `${name}: ${h.status}${h.message ? `: ${h.message}` : ''}` } : {}) };
    }),
  );
  let worst: ObservedHealth = { health: 'Ready' };
  for (const s of seen) if (RANK[s.health] > RANK[worst.health]) worst = s;
  return worst;
}
