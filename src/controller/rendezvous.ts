/**
 * @module controller/rendezvous
 * Which replica owns which member: rendezvous (highest random weight) hashing over the replicas
 * whose Leases are live. Every replica computes it alone from the same Lease list and gets the
 * same answer; when a replica leaves, only its members move (each to the replica that was second
 * for it), and when one joins, only the members it now wins move to it. No ring, no state.
 */
import { createHash } from 'node:crypto';

/** The weight of a (member, replica) pair: 64 bits of SHA-256, so no replica name can bias it. */
export function weight(member: string, replica: string): bigint {
  return createHash('sha256').update(member).update('\0').update(replica).digest().readBigUInt64BE(0);
}

/** The replica that owns `member`, or undefined when there is none. Ties (never seen in practice) go to the smaller name. */
export function ownerOf(member: string, replicas: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const r of replicas) {
    const w = weight(member, r);
    if (w > bestWeight || (w === bestWeight && best !== undefined && r < best)) {
      best = r;
      bestWeight = w;
    }
  }
  return best;
}

/** member -> owner for every member. */
export function assign(members: readonly string[], replicas: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (replicas.length === 0) return out;
  for (const m of members) out.set(m, ownerOf(m, replicas)!);
  return out;
}
