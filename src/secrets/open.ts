/**
 * @module secrets/open
 * A SOPS-encrypted object made readable, in memory: the data key unwrapped with one of the
 * keyring's age identities, every value decrypted and the MAC checked over the whole document,
 * then the object without its `sops` metadata. Nothing is written anywhere; a failure names the
 * reason and never the plaintext, and leaves nothing half-decrypted.
 */
import type { KubeObject } from '../object.js';
import { unwrapDataKey, type AgeIdentity } from './age-keys.js';
import { readSopsMetadata, SOPS_KEY } from './sops-format.js';
import { openTree, SopsError } from './sops-tree.js';

export { SopsError } from './sops-tree.js';

/** The identities the apply side decrypts with, and where they came from. */
export interface Keyring {
  readonly identities: readonly AgeIdentity[];
  /** Where identities were looked for, for messages (names of variables, files and Secrets). */
  readonly sources: readonly string[];
  /** Why configured sources could not be read; said when no identity opens a document. */
  readonly problem?: string;
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: unknown = root;
  for (const step of path.slice(0, -1)) {
    node = (node as Record<string | number, unknown> | undefined)?.[step];
    if (typeof node !== 'object' || node === null) throw new SopsError(`${path.join('.')} is not where the object has it`);
  }
  (node as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

function noMatch(recipients: readonly string[], keyring: Keyring): string {
  const list = recipients.join(', ');
  if (keyring.identities.length === 0) {
    return `no age identity is configured; it is encrypted for ${list}. Set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, pass --age-key-file, or name a Secret under decryption.secretRef in gitfed-apply.yaml (looked in: ${keyring.sources.join(', ') || 'nothing'})`;
  }
  return `no age identity matches its recipients (${list}); identities from ${[...new Set(keyring.identities.map((i) => i.source))].join(', ')}`;
}

/**
 * The object with every encrypted value in clear. `text` is the document's file, walked for the
 * MAC; `obj` is the same document as the branch reader parsed it. Throws SopsError.
 */
export async function openSealed(obj: KubeObject, text: string, keyring: Keyring): Promise<KubeObject> {
  const meta = readSopsMetadata(obj);
  if ('problem' in meta) throw new SopsError(meta.problem);
  if (meta.age.length === 0) {
    throw new SopsError(`it has no age recipient${meta.otherKeys.length ? ` (only ${meta.otherKeys.join(', ')})` : ''}; gitfed decrypts with age identities`);
  }
  const unwrapped = await unwrapDataKey(meta.age, keyring.identities);
  if (!unwrapped) {
    const reason = noMatch(meta.age.map((s) => s.recipient), keyring);
    throw new SopsError(keyring.problem ? `${reason}; and cannot read the age identities: ${keyring.problem}` : reason);
  }
  if (unwrapped.dataKey.length !== 32) throw new SopsError(`the data key ${unwrapped.identity.recipient} unwraps is ${unwrapped.dataKey.length} bytes, not 32`);
  const opened = openTree(text, meta, unwrapped.dataKey);
  const { [SOPS_KEY]: _sops, ...rest } = structuredClone(obj) as Record<string, unknown>;
  for (const v of opened) setAt(rest, v.path, v.value);
  return rest as KubeObject;
}
