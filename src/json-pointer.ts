/**
 * @module json-pointer
 * RFC 6901 pointers over plain JSON values: read, remove and set, never throwing for a path
 * that is not there (an ignore rule may name a field an object does not have). Apply's ignore
 * rules and drift name fields by pointer; render's schema check and Karmada's copy-on-write
 * follow the pointers overrides wrote.
 */

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

type Container = Record<string, unknown> | unknown[];

function child(node: unknown, token: string): { found: boolean; value?: unknown } {
  if (Array.isArray(node)) {
    const i = Number(token);
    return Number.isInteger(i) && i >= 0 && i < node.length ? { found: true, value: node[i] } : { found: false };
  }
  if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token)) {
    return { found: true, value: (node as Record<string, unknown>)[token] };
  }
  return { found: false };
}

export function getAt(root: unknown, pointer: string): { found: boolean; value?: unknown } {
  let node: unknown = root;
  for (const token of parsePointer(pointer)) {
    const next = child(node, token);
    if (!next.found) return { found: false };
    node = next.value;
  }
  return { found: true, value: node };
}

/** Removes the value at `pointer` in place; returns whether something was there. */
export function removeAt(root: unknown, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) return false;
  const parent = getAt(root, formatPointer(tokens));
  if (!parent.found || parent.value === null || typeof parent.value !== 'object') return false;
  const node = parent.value as Container;
  if (Array.isArray(node)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= node.length) return false;
    node.splice(i, 1);
    return true;
  }
  if (!Object.prototype.hasOwnProperty.call(node, last)) return false;
  delete node[last];
  return true;
}

/** Sets the value at `pointer` in place, creating missing objects on the way; false when a list index is out of range. */
export function setAt(root: Record<string, unknown>, pointer: string, value: unknown): boolean {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) return false;
  let node: unknown = root;
  for (const token of tokens) {
    const next = child(node, token);
    if (next.found && next.value !== null && typeof next.value === 'object') {
      node = next.value;
      continue;
    }
    if (Array.isArray(node) || next.found) return false;
    const created: Record<string, unknown> = {};
    (node as Record<string, unknown>)[token] = created;
    node = created;
  }
  if (Array.isArray(node)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= node.length) return false;
    node[i] = value;
    return true;
  }
  (node as Record<string, unknown>)[last] = value;
  return true;
}
