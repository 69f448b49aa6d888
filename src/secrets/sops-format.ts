/**
 * @module secrets/sops-format
 * What a SOPS-encrypted document looks like, without any key or cipher: its `sops:` metadata,
 * its `ENC[...]` values, and which leaves its rules say are encrypted. Render uses this to tell an
 * encrypted document from a readable one; the apply side reads the metadata before decrypting.
 * Pure: no crypto, no file system.
 *
 * The format is getsops/sops v3 (stores/stores.go, aes/cipher.go, sops.go shouldBeEncrypted):
 * one top-level `sops` mapping per document with the age recipients, `lastmodified`, the
 * encrypted `mac`, `version` and the optional rules that choose what was encrypted.
 */

export const SOPS_KEY = 'sops';

/** A value SOPS wrote: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<t>]` (sops anchors the start only). */
export const ENC_VALUE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export interface AgeStanza {
  /** The recipient's public key, `age1...`; not covered by the MAC, a hint only. */
  readonly recipient: string;
  /** An ASCII-armored age file holding the 32-byte data key. */
  readonly enc: string;
}

export interface SopsMetadata {
  readonly version: string;
  /** As written; the MAC's additional data is its RFC 3339 form (seconds precision). */
  readonly lastModified: string;
  /** The encrypted MAC, an ENC[...] value. */
  readonly mac: string;
  readonly age: readonly AgeStanza[];
  /** Key types present besides age (kms, pgp, ...), which gitfed cannot use. */
  readonly otherKeys: readonly string[];
  readonly macOnlyEncrypted: boolean;
  readonly unencryptedSuffix?: string;
  readonly encryptedSuffix?: string;
  readonly unencryptedRegex?: string;
  readonly encryptedRegex?: string;
}

const OTHER_KEY_TYPES = ['kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'hckms', 'pgp'];
const COMMENT_RULES = ['unencrypted_comment_regex', 'encrypted_comment_regex'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a parsed document carries SOPS metadata (as Flux decides: a top-level `sops` mapping). */
export function isSopsDocument(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc[SOPS_KEY]);
}

function ageList(raw: unknown, where: string): AgeStanza[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return `${where} must be a list`;
  const out: AgeStanza[] = [];
  for (const [i, s] of raw.entries()) {
    if (!isRecord(s) || typeof s.recipient !== 'string' || typeof s.enc !== 'string') return `${where}[${i}] needs recipient and enc strings`;
    out.push({ recipient: s.recipient, enc: s.enc });
  }
  return out;
}

function optionalString(m: Record<string, unknown>, key: string): string | undefined {
  const v = m[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The document's metadata, or why it cannot be used. Several key groups (a Shamir-split data
 * key) and the comment rules are refused: gitfed decrypts what a single group of age recipients
 * and the path rules produce, which is what Kubernetes Secrets use.
 */
export function readSopsMetadata(doc: Record<string, unknown>): SopsMetadata | { problem: string } {
  const m = doc[SOPS_KEY];
  if (!isRecord(m)) return { problem: 'the sops field must be a mapping' };
  for (const k of ['mac', 'lastmodified', 'version'] as const) {
    if (typeof m[k] !== 'string' || m[k] === '') return { problem: `sops.${k} is missing` };
  }
  let age = ageList(m.age, 'sops.age');
  if (typeof age === 'string') return { problem: age };
  const groups = m.key_groups;
  if (groups !== undefined && groups !== null) {
    if (!Array.isArray(groups)) return { problem: 'sops.key_groups must be a list' };
    if (groups.length > 1) return { problem: `the data key is split over ${groups.length} key groups (Shamir); gitfed decrypts with one group of age recipients` };
    const g = groups[0];
    if (isRecord(g)) {
      const more = ageList(g.age, 'sops.key_groups[0].age');
      if (typeof more === 'string') return { problem: more };
      age = [...age, ...more];
    }
  }
  for (const k of COMMENT_RULES) if (m[k] !== undefined) return { problem: `sops.${k} is not supported; choose what to encrypt with encrypted_regex` };
  const otherKeys = OTHER_KEY_TYPES.filter((k) => Array.isArray(m[k]) && (m[k] as unknown[]).length > 0);
  const meta: SopsMetadata = {
    version: m.version as string,
    lastModified: m.lastmodified as string,
    mac: m.mac as string,
    age,
    otherKeys,
    macOnlyEncrypted: m.mac_only_encrypted === true,
    ...rule(m, 'unencrypted_suffix', 'unencryptedSuffix'),
    ...rule(m, 'encrypted_suffix', 'encryptedSuffix'),
    ...rule(m, 'unencrypted_regex', 'unencryptedRegex'),
    ...rule(m, 'encrypted_regex', 'encryptedRegex'),
  };
  for (const r of [meta.unencryptedRegex, meta.encryptedRegex]) {
    if (r !== undefined && compile(r) === undefined) return { problem: `the regular expression ${JSON.stringify(r)} of the sops metadata cannot be read` };
  }
  return meta;
}

function rule(m: Record<string, unknown>, key: string, as: keyof SopsMetadata): Partial<SopsMetadata> {
  const v = optionalString(m, key);
  return v === undefined ? {} : { [as]: v };
}

const compiled = new Map<string, RegExp | undefined>();

/** Go's RE2 syntax read as a JavaScript RegExp; the common forms (anchors, classes, groups) mean the same. */
function compile(source: string): RegExp | undefined {
  if (!compiled.has(source)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(source);
    } catch {
      re = undefined;
    }
    compiled.set(source, re);
  }
  return compiled.get(source);
}

/**
 * Whether SOPS encrypts the leaf at this path of map keys (list indices are not part of it), by
 * the rules in the order sops.go applies them: each later rule that is set decides again.
 */
export function shouldBeEncrypted(meta: SopsMetadata, path: readonly string[]): boolean {
  let encrypted = true;
  if (meta.unencryptedSuffix !== undefined && path.some((k) => k.endsWith(meta.unencryptedSuffix!))) encrypted = false;
  if (meta.encryptedSuffix !== undefined) encrypted = path.some((k) => k.endsWith(meta.encryptedSuffix!));
  if (meta.unencryptedRegex !== undefined && path.some((k) => compile(meta.unencryptedRegex!)!.test(k))) encrypted = false;
  if (meta.encryptedRegex !== undefined) encrypted = path.some((k) => compile(meta.encryptedRegex!)!.test(k));
  return encrypted;
}

/** Fields whose values a Secret holds. */
export const SECRET_VALUE_FIELDS = ['data', 'stringData'] as const;

/**
 * The paths of the leaves under `data` and `stringData` a reader of the file sees in clear:
 * neither an ENC[...] value nor empty. Empty on a properly encrypted Secret.
 */
export function readableSecretValues(obj: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  const visit = (v: unknown, path: string[]): void => {
    if (v === null || v === undefined || v === '') return;
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, String(i)]));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
    else if (!(typeof v === 'string' && ENC_VALUE.test(v))) out.push(path);
  };
  for (const f of SECRET_VALUE_FIELDS) visit(obj[f], [f]);
  return out;
}

/** Identity fields that must stay readable for anything to place or apply the document. */
export function encryptedIdentityField(obj: Record<string, unknown>): string | undefined {
  const md = isRecord(obj.metadata) ? obj.metadata : {};
  const fields: [string, unknown][] = [['apiVersion', obj.apiVersion], ['kind', obj.kind], ['metadata.name', md.name], ['metadata.namespace', md.namespace]];
  for (const [name, v] of fields) if (typeof v === 'string' && ENC_VALUE.test(v)) return name;
  for (const [k, v] of Object.entries(md)) if (k !== 'name' && k !== 'namespace' && containsEncrypted(v)) return `metadata.${k}`;
  return undefined;
}

function containsEncrypted(v: unknown): boolean {
  if (typeof v === 'string') return ENC_VALUE.test(v);
  if (Array.isArray(v)) return v.some(containsEncrypted);
  if (isRecord(v)) return Object.values(v).some(containsEncrypted);
  return false;
}
