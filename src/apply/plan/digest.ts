/**
 * @module digest
 * A digest of what gitfed applies to one object. It covers the desired object and every input
 * that shapes the apply payload besides it (the ignore pointers), so that a change to either
 * makes the object be applied again, and nothing else does.
 */
import { createHash, createHmac } from 'node:crypto';
import type { KubeObject } from '../../object.js';

/** JSON with object keys sorted at every depth: equal objects give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * 20 hex characters of sha256: short enough for an annotation, far from colliding per object.
 * With a key (a decrypted Secret's), an HMAC: the annotation then says nothing about a value to
 * whoever lacks the key, and stays the same when only the ciphertext changes.
 */
export function objectDigest(desired: KubeObject, ignorePointers: readonly string[] = [], key?: Uint8Array): string {
  const h = (key ? createHmac('sha256', key) : createHash('sha256')).update(canonicalJson(desired));
  if (ignorePointers.length) h.update('\0ignore\0').update([...ignorePointers].sort().join('\n'));
  return h.digest('hex').slice(0, 20);
}
