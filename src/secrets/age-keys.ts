/**
 * @module secrets/age-keys
 * age identities and the SOPS data key they unwrap. The age format itself is the
 * `age-encryption` package's (typage); this module only reads identity files as age and SOPS do
 * (one key a line, `#` comments and blank lines skipped) and tries the identities on a
 * document's recipients.
 */
import { armor, Decrypter, identityToRecipient } from 'age-encryption';
import type { AgeStanza } from './sops-format.js';

export interface AgeIdentity {
  /** `AGE-SECRET-KEY-1...` (X25519) or `AGE-SECRET-KEY-PQ-1...` (hybrid). Never printed. */
  readonly secret: string;
  /** Its public recipient, `age1...`: what a document lists. */
  readonly recipient: string;
  /** Where it was read from, for messages: `SOPS_AGE_KEY_FILE (/path)`, a Secret's key. */
  readonly source: string;
}

/** Why an identity source cannot be used; says where, never what. */
export class IdentityError extends Error {}

const IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[02-9AC-HJ-NP-Z]+$/;

/** The identities of an age identity file's text. */
export async function parseIdentities(text: string, source: string): Promise<AgeIdentity[]> {
  const out: AgeIdentity[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!IDENTITY.test(line)) {
      const what = line.startsWith('ssh-') || line.startsWith('-----BEGIN') ? 'an SSH key, which gitfed does not read' : line.startsWith('AGE-PLUGIN-') ? 'an age plugin identity, which gitfed does not run' : 'not an age identity (AGE-SECRET-KEY-1...)';
      throw new IdentityError(`${source}, line ${i + 1}: ${what}`);
    }
    let recipient: string;
    try {
      recipient = await identityToRecipient(line);
    } catch {
      throw new IdentityError(`${source}, line ${i + 1}: not a valid age identity`);
    }
    out.push({ secret: line, recipient, source });
  }
  return out;
}

/** The data key, and the identity that unwrapped it. */
export interface Unwrapped {
  readonly dataKey: Uint8Array;
  readonly identity: AgeIdentity;
}

async function tryUnwrap(enc: string, identity: AgeIdentity): Promise<Uint8Array | undefined> {
  let file: Uint8Array;
  try {
    file = armor.decode(enc);
  } catch {
    return undefined;
  }
  const d = new Decrypter();
  d.addIdentity(identity.secret);
  try {
    return await d.decrypt(file, 'uint8array');
  } catch {
    return undefined;
  }
}

/**
 * Unwraps the document's data key with the first identity that can. The recipient an entry names
 * is tried first with the identity it names; as the MAC does not cover that name, every identity
 * is then tried on every entry before giving up.
 */
export async function unwrapDataKey(stanzas: readonly AgeStanza[], identities: readonly AgeIdentity[]): Promise<Unwrapped | undefined> {
  for (const s of stanzas) {
    for (const id of identities) {
      if (id.recipient !== s.recipient) continue;
      const key = await tryUnwrap(s.enc, id);
      if (key) return { dataKey: key, identity: id };
    }
  }
  for (const s of stanzas) {
    for (const id of identities) {
      if (id.recipient === s.recipient) continue;
      const key = await tryUnwrap(s.enc, id);
      if (key) return { dataKey: key, identity: id };
    }
  }
  return undefined;
}
