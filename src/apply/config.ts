/**
 * @module config
 * The apply side's policies, read from `gitfed-apply.yaml` (or the file `--config` names).
 * They belong to whoever runs the daemon, not to the fleet repo: the branch says what each
 * member gets, this file says how hard gitfed pushes and what it leaves to others.
 */
import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import { ApplyError } from '../errors.js';
import { NO_DECRYPTION, type DecryptionSettings } from '../secrets/keyring.js';
import type { IgnoreRule } from './plan/ignore.js';
import { parsePointer } from '../json-pointer.js';

export const DEFAULT_CONFIG_FILE = 'gitfed-apply.yaml';

/** What to do when another field manager owns a field the branch sets. */
export type ConflictPolicy = 'force' | 'stop';
/** What to do when a live object no longer holds what gitfed applied. */
export type DriftPolicy = 'correct' | 'report';

/**
 * Objects another fleet owns that this fleet may take over; every field given must match.
 * `fleet` is the owner's name (`*` any fleet, the unnamed fleet of an earlier gitfed included).
 */
export interface TakeOverRule {
  readonly fleet?: string;
  /** API group; "" is the core group. */
  readonly group?: string;
  readonly kind?: string;
  /** Glob. */
  readonly namespace?: string;
  /** Glob. */
  readonly name?: string;
}

export interface ApplyConfig {
  /** @default 'force': take the fields over and report what was taken. */
  readonly conflicts: ConflictPolicy;
  /** @default 'correct'; an object may override it with the annotation gitfed.io/drift. */
  readonly drift: DriftPolicy;
  readonly ignore: readonly IgnoreRule[];
  /** @default []: an object owned by another fleet is never applied over. */
  readonly takeOver: readonly TakeOverRule[];
  /** Cluster name -> kubeconfig context; default: the context of the cluster's name. */
  readonly contexts: Readonly<Record<string, string>>;
  /** @default 4 members reconciled at once. */
  readonly memberConcurrency: number;
  /** @default 32 requests in flight per member (SSA creates gain from concurrency: etcd commits them in groups). */
  readonly requestConcurrency: number;
  /** @default 300: full re-check of every member, the backstop behind the watches. */
  readonly resyncSeconds: number;
  /** @default 15: how often a remote repository is fetched. */
  readonly fetchSeconds: number;
  /** @default 60: how long to wait for CRDs to be established. */
  readonly waitSeconds: number;
  /** @default 10: per-request timeout. */
  readonly requestTimeoutSeconds: number;
  /** Where the age identities for SOPS-encrypted objects are, besides SOPS_AGE_KEY(_FILE). */
  readonly decryption: DecryptionSettings;
}

export const DEFAULT_CONFIG: ApplyConfig = {
  conflicts: 'force',
  drift: 'correct',
  ignore: [],
  takeOver: [],
  contexts: {},
  memberConcurrency: 4,
  requestConcurrency: 32,
  resyncSeconds: 300,
  fetchSeconds: 15,
  waitSeconds: 60,
  requestTimeoutSeconds: 10,
  decryption: NO_DECRYPTION,
};

function fail(file: string, message: string): never {
  throw new ApplyError('ConfigInvalid', message, { file });
}

/** Line of a top-level key, for errors about its value. */
function lineOfTopKey(text: string, key: string): number | undefined {
  const i = text.split('\n').findIndex((l) => l.startsWith(`${key}:`));
  return i >= 0 ? i + 1 : undefined;
}

function positive(file: string, raw: Record<string, unknown>, key: string, dflt: number): number {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0)) fail(file, `${key} must be a positive number`);
  return v;
}

function oneOf<T extends string>(file: string, raw: Record<string, unknown>, key: string, allowed: readonly T[], dflt: T): T {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (!allowed.includes(v as T)) fail(file, `${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return v as T;
}

function parseIgnore(file: string, raw: unknown): IgnoreRule[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(file, 'ignore must be a list of rules');
  return raw.map((r: Record<string, unknown>, i) => {
    if (!r || typeof r !== 'object' || typeof r.kind !== 'string') fail(file, `ignore[${i}].kind is required`);
    const pointers = r.jsonPointers;
    if (!Array.isArray(pointers) || pointers.length === 0) fail(file, `ignore[${i}].jsonPointers must be a non-empty list`);
    for (const p of pointers) {
      try {
        parsePointer(String(p));
      } catch (err) {
        fail(file, `ignore[${i}]: ${(err as Error).message}`);
      }
    }
    for (const k of ['group', 'name', 'namespace']) if (r[k] !== undefined && typeof r[k] !== 'string') fail(file, `ignore[${i}].${k} must be a string`);
    return {
      kind: r.kind,
      group: r.group as string | undefined,
      name: r.name as string | undefined,
      namespace: r.namespace as string | undefined,
      jsonPointers: pointers.map(String),
    };
  });
}

const TAKE_OVER_KEYS = ['fleet', 'group', 'kind', 'namespace', 'name'] as const;

/** @param line of the takeOver key: js-yaml keeps no positions, so errors point at the list. */
function parseTakeOver(file: string, raw: unknown, line?: number): TakeOverRule[] {
  function fail(message: string): never {
    throw new ApplyError('ConfigInvalid', message, { file, ...(line ? { line } : {}) });
  }
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('takeOver must be a list of rules');
  return raw.map((r: unknown, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) fail(`takeOver[${i}] must be a mapping of ${TAKE_OVER_KEYS.join(', ')}`);
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule)) if (!(TAKE_OVER_KEYS as readonly string[]).includes(k)) fail(`takeOver[${i}]: unknown key ${k}`);
    for (const k of TAKE_OVER_KEYS) if (rule[k] !== undefined && typeof rule[k] !== 'string') fail(`takeOver[${i}].${k} must be a string`);
    // An empty rule would hand this fleet every object of every other fleet by accident; "*" says so on purpose.
    if (Object.keys(rule).length === 0) fail(`takeOver[${i}] is empty; name a fleet ("*" for any) or an object`);
    return Object.fromEntries(TAKE_OVER_KEYS.filter((k) => rule[k] !== undefined).map((k) => [k, rule[k]])) as TakeOverRule;
  });
}

/**
 * `decryption: {ageKeyFile, secretRef: {name, namespace, context}}`; a relative key file is read
 * from the config file's directory.
 */
function parseDecryption(file: string, raw: unknown): DecryptionSettings {
  if (raw === undefined || raw === null) return NO_DECRYPTION;
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(file, 'decryption must be a mapping of ageKeyFile and secretRef');
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'ageKeyFile' && k !== 'secretRef') fail(file, `decryption: unknown key ${k} (known: ageKeyFile, secretRef)`);
  const files = r.ageKeyFile === undefined ? [] : Array.isArray(r.ageKeyFile) ? r.ageKeyFile : [r.ageKeyFile];
  if (files.some((f) => typeof f !== 'string' || f === '')) fail(file, 'decryption.ageKeyFile must be a path or a list of paths');
  const ref = r.secretRef as Record<string, unknown> | undefined;
  if (ref !== undefined) {
    if (typeof ref !== 'object' || ref === null || typeof ref.name !== 'string' || ref.name === '') fail(file, 'decryption.secretRef.name is required');
    for (const k of Object.keys(ref)) if (!['name', 'namespace', 'context'].includes(k)) fail(file, `decryption.secretRef: unknown key ${k} (known: name, namespace, context)`);
    for (const k of ['namespace', 'context']) if (ref[k] !== undefined && typeof ref[k] !== 'string') fail(file, `decryption.secretRef.${k} must be a string`);
  }
  return {
    ageKeyFiles: (files as string[]).map((f) => resolve(dirname(file), f)),
    ...(ref ? { secretRef: { name: ref.name as string, ...(ref.namespace ? { namespace: ref.namespace as string } : {}), ...(ref.context ? { context: ref.context as string } : {}) } } : {}),
  };
}

export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): ApplyConfig {
  let raw: unknown;
  try {
    raw = yaml.load(text) ?? {};
  } catch (err) {
    fail(file, `cannot parse: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, 'must be a YAML mapping');
  const r = raw as Record<string, unknown>;
  const known = new Set(['conflicts', 'drift', 'ignore', 'takeOver', 'contexts', 'concurrency', 'resyncSeconds', 'fetchSeconds', 'waitSeconds', 'requestTimeoutSeconds', 'decryption']);
  for (const k of Object.keys(r)) if (!known.has(k)) fail(file, `unknown key ${k}`);
  const contexts = (r.contexts ?? {}) as Record<string, unknown>;
  if (typeof contexts !== 'object' || Object.values(contexts).some((v) => typeof v !== 'string')) fail(file, 'contexts must map cluster names to context names');
  const conc = (r.concurrency ?? {}) as Record<string, unknown>;
  return {
    conflicts: oneOf(file, r, 'conflicts', ['force', 'stop'], DEFAULT_CONFIG.conflicts),
    drift: oneOf(file, r, 'drift', ['correct', 'report'], DEFAULT_CONFIG.drift),
    ignore: parseIgnore(file, r.ignore),
    takeOver: parseTakeOver(file, r.takeOver, lineOfTopKey(text, 'takeOver')),
    contexts: contexts as Record<string, string>,
    memberConcurrency: positive(file, conc, 'members', DEFAULT_CONFIG.memberConcurrency),
    requestConcurrency: positive(file, conc, 'requestsPerMember', DEFAULT_CONFIG.requestConcurrency),
    resyncSeconds: positive(file, r, 'resyncSeconds', DEFAULT_CONFIG.resyncSeconds),
    fetchSeconds: positive(file, r, 'fetchSeconds', DEFAULT_CONFIG.fetchSeconds),
    waitSeconds: positive(file, r, 'waitSeconds', DEFAULT_CONFIG.waitSeconds),
    requestTimeoutSeconds: positive(file, r, 'requestTimeoutSeconds', DEFAULT_CONFIG.requestTimeoutSeconds),
    decryption: parseDecryption(file, r.decryption),
  };
}

/** The named file, or `gitfed-apply.yaml` in the working directory if there is one, or the defaults. */
export function loadConfig(file?: string): ApplyConfig {
  const target = file ?? DEFAULT_CONFIG_FILE;
  if (!fs.existsSync(target)) {
    if (file) fail(file, 'file not found');
    return DEFAULT_CONFIG;
  }
  return parseConfig(fs.readFileSync(target, 'utf8'), target);
}

/** The config with the identity files of `--age-key-file` added to its own. */
export function withAgeKeyFiles(config: ApplyConfig, files: readonly string[] | undefined): ApplyConfig {
  if (!files?.length) return config;
  return { ...config, decryption: { ...config.decryption, ageKeyFiles: [...config.decryption.ageKeyFiles, ...files.map((f) => resolve(f))] } };
}
