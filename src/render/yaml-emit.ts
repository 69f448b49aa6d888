/**
 * YAML text for the JSON-typed objects render emits, written piece by piece and joined. Emitting is
 * most of a render, and a general dumper spends it on what JSON data never needs (type
 * detection per node, anchors, flow levels, folding). The output is byte for byte what
 * js-yaml's dump(value, { lineWidth: -1, noRefs: true, quotingType: '"', schema: KUBE_YAML_SCHEMA })
 * writes, which is what gitfed wrote before: the same source must keep giving the same tree id.
 * Anything that is not JSON data (a Date, a Map, a class instance) goes to js-yaml itself.
 *
 * The rules js-yaml 4.1 follows for that configuration:
 * - non-empty mappings and sequences in block style, two spaces per level, a sequence under a key
 *   indented one level further; `{}` and `[]` when empty; undefined members of a mapping left
 *   out, undefined items of a sequence written as null;
 * - null, true, false; numbers as JavaScript prints them, with `.nan`, `.inf` and `-.inf` (the
 *   schema's plain type represents them so);
 * - a string plain when every character may stand there unquoted and kubectl would not read it as
 *   another type (yaml/resolve.ts needsQuotes: null, bool, number, timestamp, merge key, base-60);
 *   YAML 1.1's words and base-60 numbers in double quotes as they are; a value with line breaks
 *   and otherwise printable characters as a literal block (`|`, `|-`, `|+`, an indentation
 *   indicator when it starts with a space); anything else in double quotes with escapes.
 */
import jsyaml from 'js-yaml';
import { remember } from '../memo.js';
import { needsQuotes } from '../yaml/resolve.js';
import { KUBE_YAML_SCHEMA } from '../yaml-schema.js';

const DUMP_OPTIONS: jsyaml.DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"', schema: KUBE_YAML_SCHEMA };

/** js-yaml's output for values outside JSON data: they make the emitter give up on the whole value. */
class NotJson extends Error {}

/**
 * `value` as YAML, exactly as js-yaml's dump with gitfed's options writes it. `base` is what
 * `value` was copied from, sharing the subtrees nothing wrote to (a template and one cluster's
 * copy of it): the text of a shared subtree is kept, so that the next copy of the same template
 * writes it by reference. On a fleet whose every copy differs in an image or a label, most of
 * each object's text is in such subtrees. Values are read-only once emitted.
 */
export function dumpYaml(value: unknown, base?: unknown): string {
  parts.length = 0;
  try {
    if (!write(value, 0, true, base)) return '';
    parts.push('\n');
    return parts.join('');
  } catch (err) {
    if (err instanceof NotJson) return jsyaml.dump(value, DUMP_OPTIONS);
    throw err;
  } finally {
    parts.length = 0;
  }
}

/**
 * The pieces of the text being written, joined once it is whole. Concatenating them instead made
 * a tree of string pieces per file (most of what a render allocated), which lived until the text
 * was first read (hashed, at the end of a render) and was copied by every collection on the way.
 */
const parts: string[] = [];

const INDENTS: string[] = [];
function newline(level: number): string {
  let s = INDENTS[level];
  if (s === undefined) {
    s = '\n' + ' '.repeat(2 * level);
    INDENTS[level] = s;
  }
  return s;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Writes one node at `level`. `compact` is false where the node starts on a line of its own (a
 * mapping or sequence under a key), true where it continues the current line (`- ` or the
 * document start). False when the node is not written at all.
 */
function write(v: unknown, level: number, compact: boolean, base?: unknown): boolean {
  if (base !== undefined && v === base && typeof v === 'object' && v !== null) {
    parts.push(sharedText(v, level, compact));
    return true;
  }
  switch (typeof v) {
    case 'string':
      parts.push(scalar(v, level, false));
      return true;
    case 'number':
      parts.push(number(v));
      return true;
    case 'boolean':
      parts.push(v ? 'true' : 'false');
      return true;
    case 'undefined':
      return false;
    case 'object':
      if (v === null) parts.push('null');
      else if (Array.isArray(v)) {
        if (v.length === 0) parts.push('[]');
        else sequence(v, level, compact, Array.isArray(base) ? base : undefined);
      } else if (!isPlainObject(v)) throw new NotJson();
      else mapping(v as Record<string, unknown>, level, compact, base !== null && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : undefined);
      return true;
    default:
      throw new NotJson();
  }
}

/** Text of a subtree shared with a template, by node, level and whether it continues a line. */
const shared = new WeakMap<object, string[]>();

function sharedText(v: object, level: number, compact: boolean): string {
  let texts = shared.get(v);
  if (texts === undefined) shared.set(v, (texts = []));
  const at = level * 2 + (compact ? 1 : 0);
  let text = texts[at];
  if (text === undefined) {
    const start = parts.length;
    write(v, level, compact);
    texts[at] = text = parts.slice(start).join('');
    parts.length = start;
  }
  return text;
}

function mapping(o: Record<string, unknown>, level: number, compact: boolean, base?: Record<string, unknown>): void {
  let first = true;
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    const value = o[key];
    if (value === undefined) continue;
    // The key goes before the value, but how depends on it: under a key only a non-empty mapping
    // or list starts on a line of its own. Its first piece tells, once written; the pieces are
    // flat strings (a joined text, a prefix), so reading one character copies nothing.
    const at = parts.length;
    parts.push('');
    write(value, level + 1, false, base !== undefined && Object.hasOwn(base, key) ? base[key] : undefined);
    const block = typeof value === 'object' && value !== null && parts[at + 1]!.charCodeAt(0) === LF;
    parts[at] = keyPrefix(key, level, !first || !compact, !block);
    first = false;
  }
  if (first) parts.push('{}');
}

function sequence(a: readonly unknown[], level: number, compact: boolean, base?: readonly unknown[]): void {
  for (let i = 0; i < a.length; i++) {
    // An item continues the dash's line (compact), whatever it is: a block never starts it.
    parts.push(itemPrefix(level, i > 0 || !compact, true));
    if (!write(a[i], level + 1, true, base?.[i])) parts.push('null');
  }
}

// What goes before a value: the line break and indentation, the key or the dash, and the space
// after them. Built once per key and level, so that a mapping entry is two pieces, not four.
const keyPrefixes = new Map<string, (string | undefined)[]>();
const itemPrefixes: (string | undefined)[] = [];

function keyPrefix(key: string, level: number, onNewLine: boolean, space: boolean): string {
  let byLevel = keyPrefixes.get(key);
  if (byLevel === undefined) {
    const k = keyText(key);
    // js-yaml makes such a key an explicit `? ` pair; no rendered object has one.
    if (k.length > 1024) throw new NotJson();
    byLevel = remember(keyPrefixes, key, [], 10_000);
  }
  const at = level * 4 + (onNewLine ? 2 : 0) + (space ? 1 : 0);
  return (byLevel[at] ??= (onNewLine ? newline(level) : '') + keyText(key) + (space ? ': ' : ':'));
}

function itemPrefix(level: number, onNewLine: boolean, space: boolean): string {
  const at = level * 4 + (onNewLine ? 2 : 0) + (space ? 1 : 0);
  return (itemPrefixes[at] ??= (onNewLine ? newline(level) : '') + (space ? '- ' : '-'));
}

/** As the schema's plain type represents a number: JavaScript's own digits, which go-yaml reads back as the same number. */
function number(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}

// --- strings -------------------------------------------------------------------------------

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const LF = 0x0a;

/** YAML 1.1 booleans js-yaml still quotes for old readers. */
const OLD_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const OLD_BASE60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;
/** Per first character: what a string starting with it may read as, so most strings skip every test. */
const OLD_FIRST = 1;
const IMPLICIT_FIRST = 2;
const FIRST = new Uint8Array(128);
for (const c of 'yYnNoO') FIRST[c.charCodeAt(0)]! |= OLD_FIRST;
for (const c of '+-_0123456789') FIRST[c.charCodeAt(0)]! |= OLD_FIRST;
// go-yaml resolves only plain scalars starting with these (resolve.ts hintOf), and `<<`.
for (const c of '0123456789+-.yYnNtTfFoO~<') FIRST[c.charCodeAt(0)]! |= IMPLICIT_FIRST;

/** Quantities such as 100m or 128Mi recur on every object: each is resolved once. */
const resolvedCache = new Map<string, boolean>();

/** Whether kubectl (or another reader of the branch) would read the plain text as something other than this string. */
function readsAsOtherType(s: string): boolean {
  return resolvedCache.get(s) ?? remember(resolvedCache, s, needsQuotes(s), 10_000);
}

/** Characters that cannot start a plain scalar: YAML's indicators and white space. */
const NOT_FIRST = new Set([...'-?:,[]{}#&*!|=>\'"%@`'].map((c) => c.charCodeAt(0)).concat([SPACE, 0x09]));

function isPrintable(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa1 && c <= 0xd7ff && c !== 0x2028 && c !== 0x2029) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

const SIMPLE = /^[A-Za-z0-9/._][A-Za-z0-9/._-]*$/;

const enum Style {
  Plain,
  Double,
  Literal,
}

/**
 * How js-yaml writes the string, from one pass over its code points. Only block context occurs
 * here, where flow indicators inside a plain scalar are fine; a key never gets a block scalar.
 */
function styleOf(s: string, isKey: boolean): Style {
  // Names, images, paths and versions: no indicator first, nothing that ends or breaks a plain
  // scalar inside, so only what kubectl would read them as is left to decide.
  if (SIMPLE.test(s)) {
    const c0 = s.charCodeAt(0);
    return c0 < 128 && FIRST[c0]! & IMPLICIT_FIRST && readsAsOtherType(s) ? Style.Double : Style.Plain;
  }
  let plain = !NOT_FIRST.has(s.codePointAt(0)!) && isPrintable(s.codePointAt(0)!);
  const last = s.charCodeAt(s.length - 1);
  plain = plain && last !== SPACE && last !== 0x09 && last !== COLON;
  let lineBreak = false;
  let prev = -1;
  for (let i = 0; i < s.length; ) {
    const c = s.codePointAt(i)!;
    i += c >= 0x10000 ? 2 : 1;
    if (c === LF && !isKey) lineBreak = true;
    else if (!isPrintable(c)) return Style.Double;
    // Inside a plain scalar `#` must follow a non-space and a space must not follow `:`.
    if (plain && ((c === HASH && (prev === -1 || prev === SPACE)) || (c === SPACE && prev === COLON))) plain = false;
    prev = c;
  }
  if (lineBreak) return Style.Literal;
  if (!plain) return Style.Double;
  const c0 = s.charCodeAt(0);
  return c0 < 128 && FIRST[c0]! & IMPLICIT_FIRST && readsAsOtherType(s) ? Style.Double : Style.Plain;
}

const ESCAPES: Record<number, string> = {
  0x00: '\\0', 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r',
  0x1b: '\\e', 0x22: '\\"', 0x5c: '\\\\', 0x85: '\\N', 0xa0: '\\_', 0x2028: '\\L', 0x2029: '\\P',
};

function hexEscape(c: number): string {
  const [mark, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${mark}${c.toString(16).toUpperCase().padStart(width, '0')}`;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const c = s.codePointAt(i)!;
    const n = c >= 0x10000 ? 2 : 1;
    const esc = ESCAPES[c];
    out += esc ?? (isPrintable(c) ? s.slice(i, i + n) : hexEscape(c));
    i += n;
  }
  return out + '"';
}

/** `|` with its indentation indicator and chomping, then every non-empty line indented. */
function literal(s: string, level: number): string {
  const indent = ' '.repeat(2 * Math.max(1, level));
  const clip = s.endsWith('\n');
  const keep = clip && (s.length === 1 || s[s.length - 2] === '\n');
  let out = '|' + (/^\n* /.test(s) ? '2' : '') + (keep ? '+' : clip ? '' : '-') + '\n';
  const body = clip ? s.slice(0, -1) : s;
  let start = 0;
  while (start <= body.length) {
    const end = body.indexOf('\n', start);
    const line = end < 0 ? body.slice(start) : body.slice(start, end);
    if (line.length > 0) out += indent + line;
    if (end < 0) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}

// Keys recur on every object (apiVersion, metadata, name ...): each is styled once. A key is never
// a block scalar, so its text does not depend on the level.
const keyTexts = new Map<string, string>();

function keyText(key: string): string {
  return keyTexts.get(key) ?? remember(keyTexts, key, scalar(key, 0, true), 10_000);
}

function scalar(s: string, level: number, isKey: boolean): string {
  if (s.length === 0) return '""';
  const c0 = s.charCodeAt(0);
  if (c0 < 128 && FIRST[c0]! & OLD_FIRST && (OLD_BOOLEANS.has(s) || OLD_BASE60.test(s))) return '"' + s + '"';
  switch (styleOf(s, isKey)) {
    case Style.Plain:
      return s;
    case Style.Double:
      return doubleQuoted(s);
    case Style.Literal:
      return literal(s, level);
  }
}
