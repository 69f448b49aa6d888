/**
 * @module yaml/resolve
 * What an untagged plain scalar means to kubectl. kubectl reads YAML with sigs.k8s.io/yaml, which
 * decodes with go-yaml v2 into interface{} and then converts the result to JSON; this module gives
 * the same answer for one scalar's text, so gitfed reads a manifest as the author's kubectl would.
 *
 * The rules (go-yaml v2 resolve.go, v2.4): YAML 1.1 booleans in their listed spellings; nulls;
 * `.inf`/`.nan` spellings; integers as Go's strconv.ParseInt with base prefix 0 (so `0755` is
 * octal, `0o`, `0x`, `0b` prefixes) after removing every underscore, then as an unsigned 64-bit
 * integer, then as a float when the text looks like one. No sexagesimal (`1:30` is a string).
 * A timestamp decodes into interface{} as its own text, so it is a string here too.
 */

/** The meaning of one plain scalar. Integers outside the exact range of a double are bigints. */
export type Resolved =
  | { readonly kind: 'str' }
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: number | bigint; readonly unsigned: boolean }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'merge' }
  | { readonly kind: 'timestamp' };

const STR: Resolved = { kind: 'str' };
const NULL: Resolved = { kind: 'null' };
const TRUE: Resolved = { kind: 'bool', value: true };
const FALSE: Resolved = { kind: 'bool', value: false };
const MERGE: Resolved = { kind: 'merge' };
const TIMESTAMP: Resolved = { kind: 'timestamp' };

const WORDS = new Map<string, Resolved>();
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) WORDS.set(w, TRUE);
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) WORDS.set(w, FALSE);
for (const w of ['', '~', 'null', 'Null', 'NULL']) WORDS.set(w, NULL);
for (const w of ['.nan', '.NaN', '.NAN']) WORDS.set(w, { kind: 'float', value: NaN });
for (const w of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) WORDS.set(w, { kind: 'float', value: Infinity });
for (const w of ['-.inf', '-.Inf', '-.INF']) WORDS.set(w, { kind: 'float', value: -Infinity });
WORDS.set('<<', MERGE);

/** go-yaml's first-character table: which scalars it even tries to resolve. */
const enum Hint {
  None,
  Word,
  Dot,
  Number,
}

function hintOf(c: number): Hint {
  if (c >= 0x30 && c <= 0x39) return Hint.Number; // 0-9
  if (c === 0x2b || c === 0x2d) return Hint.Number; // + -
  if (c === 0x2e) return Hint.Dot;
  // y Y n N t T f F o O ~
  if (c === 0x79 || c === 0x59 || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46 || c === 0x6f || c === 0x4f || c === 0x7e) return Hint.Word;
  return Hint.None;
}

const INT64_MIN_MAGNITUDE = 1n << 63n;
const UINT64_LIMIT = 1n << 64n;
/** strconv.ParseInt(s, 0, 64)'s syntax: a sign, then a base prefix (a bare leading 0 is octal) and digits of that base. */
const GO_INT = /^([+-]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/** A signed magnitude as the most exact JS value: a number when it is one exactly, else a bigint. */
function exact(negative: boolean, digits: string, radix: number): number | bigint {
  if (radix === 10 ? digits.length <= 15 : digits.length <= (radix === 16 ? 13 : radix === 8 ? 17 : 52)) {
    const n = parseInt(digits === '' ? '0' : digits, radix);
    return negative && n !== 0 ? -n : n;
  }
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const big = BigInt(prefix + (digits === '' ? '0' : digits));
  const signed = negative ? -big : big;
  return Number.isSafeInteger(Number(signed)) ? Number(signed) : signed;
}

function magnitudeOf(v: number | bigint): bigint {
  return typeof v === 'bigint' ? (v < 0n ? -v : v) : BigInt(Math.abs(v));
}

/** Go's ParseInt then ParseUint with base 0, on text without underscores. */
function goInteger(plain: string): Resolved | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const sign = m[1]!;
  const [digits, radix] = m[2] !== undefined ? [m[2], 2] : m[3] !== undefined ? [m[3], 8] : m[4] !== undefined ? [m[4], 16] : m[5] !== undefined ? [m[5], 8] : [m[6]!, 10];
  const value = exact(sign === '-', digits, radix);
  if (typeof value === 'number') return { kind: 'int', value, unsigned: false };
  const mag = magnitudeOf(value);
  if (sign === '-' ? mag <= INT64_MIN_MAGNITUDE : mag < INT64_MIN_MAGNITUDE) return { kind: 'int', value, unsigned: false };
  // ParseUint takes no sign at all, not even '+'.
  if (sign === '' && mag < UINT64_LIMIT) return { kind: 'int', value, unsigned: true };
  return undefined;
}

/** go-yaml's last resort for `0b` text: ParseInt(rest, 2, 64), which takes a sign after the prefix (`0b-101` is -5). */
function goBinaryFallback(plain: string): Resolved | undefined {
  let rest: string;
  if (plain.startsWith('0b')) rest = plain.slice(2);
  else if (plain.startsWith('-0b')) rest = '-' + plain.slice(3);
  else return undefined;
  const m = /^([+-]?)([01]+)$/.exec(rest);
  if (!m) return undefined;
  const value = exact(m[1] === '-', m[2]!, 2);
  const mag = magnitudeOf(value);
  if (m[1] === '-' ? mag <= INT64_MIN_MAGNITUDE : mag < INT64_MIN_MAGNITUDE) return { kind: 'int', value, unsigned: false };
  if (plain.startsWith('0b') && m[1] === '' && mag < UINT64_LIMIT) return { kind: 'int', value, unsigned: true };
  return undefined;
}

/** A float as strconv.ParseFloat gives it, or undefined when Go reports a range error. */
function goFloat(text: string): Resolved | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? { kind: 'float', value } : undefined;
}

/** Go's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const TIMESTAMP_SHAPE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?$/;

/**
 * go-yaml's parseTimestamp: time.Parse with `2006-1-2T15:4:5.999999999Z07:00` (also with `t`),
 * `2006-1-2 15:4:5.999999999` and `2006-1-2`, so fields must also be in range.
 */
export function isGoTimestamp(s: string): boolean {
  const m = TIMESTAMP_SHAPE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return false;
  const h = m[4] ?? m[7];
  if (h === undefined) return true;
  const [hh, mm, ss] = [Number(h), Number(m[5] ?? m[8]), Number(m[6] ?? m[9])];
  if (hh > 23 || mm > 59 || ss > 59) return false;
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(s);
  return !zone || (Number(zone[2]) <= 23 && Number(zone[3]) <= 59);
}

/** What an untagged plain scalar means to kubectl. */
export function resolvePlain(s: string): Resolved {
  const hint = s === '' ? Hint.Word : hintOf(s.charCodeAt(0));
  if (hint === Hint.None) return s === '<<' ? MERGE : STR;
  const word = WORDS.get(s);
  if (word) return word;
  if (hint === Hint.Word) return STR;
  if (hint === Hint.Dot) {
    if (s.includes('_') && !underscoreOK(s)) return STR;
    const plain = s.replaceAll('_', '');
    return (DOT_FLOAT.test(plain) && goFloat(plain)) || STR;
  }
  if (isGoTimestamp(s)) return TIMESTAMP;
  const plain = s.replaceAll('_', '');
  return goInteger(plain) ?? (YAML_STYLE_FLOAT.test(plain) ? goFloat(plain) : undefined) ?? goBinaryFallback(plain) ?? STR;
}

/** The YAML 1.1 base-60 forms (`1:30`, `-1:30:00.5`): go-yaml reads them as strings, PyYAML and other 1.1 readers as numbers. */
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * True when a string written plain might be read back as something else, by kubectl or by another
 * YAML reader of the branch: the emitter quotes such strings. Wider than resolvePlain on purpose.
 */
export function needsQuotes(s: string, r: Resolved = resolvePlain(s)): boolean {
  if (r.kind !== 'str') return true;
  const c = s.charCodeAt(0);
  return (c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) && (SEXAGESIMAL.test(s) || /^\d{4}-\d{1,2}-\d{1,2}/.test(s));
}

/**
 * A float map key as sigs.k8s.io/yaml writes it into JSON: strconv.FormatFloat(f, 'g', -1, 32),
 * that is the shortest digits of the float32 nearest to f, exponent form from 1e6 and below 1e-4.
 */
export function goFloatKey(f: number): string {
  const f32 = Math.fround(f);
  if (Number.isNaN(f32)) return '.nan';
  if (f32 === Infinity) return '.inf';
  if (f32 === -Infinity) return '-.inf';
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const e = Math.abs(f32).toExponential(p - 1);
    if (Math.fround(Number(e)) === Math.abs(f32)) {
      const [mant, ex] = e.split('e') as [string, string];
      digits = mant.replace('.', '');
      exp = Number(ex);
      break;
    }
  }
  const sign = f32 < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ex = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ex}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits + '0'.repeat(exp + 1 - digits.length);
  const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '';
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

/** Base64 as Go's base64.StdEncoding.DecodeString takes it: padded, line breaks ignored. */
export function decodeGoBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}
