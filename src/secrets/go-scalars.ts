/**
 * @module secrets/go-scalars
 * The bytes SOPS hashes for a YAML scalar. SOPS reads YAML with go-yaml v3 (YAML 1.2 rules, plus
 * its timestamps and 0777 octals) into Go values and hashes each as sops.go ToBytes writes it:
 * strings as they are, integers in decimal, floats in shortest 'f' form, booleans as True or
 * False, timestamps in RFC 3339. The MAC is over those bytes, so a reader that resolved `1.0`
 * to "1.0" instead of "1" would reject a good file.
 */

/** A scalar's meaning to go-yaml v3: null is not hashed at all. */
export type GoScalar = { readonly kind: 'null' } | { readonly kind: 'bytes'; readonly text: string } | { readonly kind: 'unsupported'; readonly why: string };

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const NAN = new Set(['.nan', '.NaN', '.NAN']);
const INF = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
const NEG_INF = new Set(['-.inf', '-.Inf', '-.INF']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const bytes = (text: string): GoScalar => ({ kind: 'bytes', text });

/** strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that read back as f, never an exponent. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, exponent] = f.toExponential().split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = Number(exponent) + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** strconv.ParseInt(s, 0, 64): base prefixes 0x, 0o, 0b and a bare leading 0 for octal. */
function goParseInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  let body = m[2]!;
  if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
  const v = BigInt(body.toLowerCase()) * (m[1] === '-' ? -1n : 1n);
  return v;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** go-yaml v3's timestamps (4-digit year first), written back as time.Time's MarshalText does. */
function goTimestamp(s: string): string | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, t, space, h = '0', mi = '0', se = '0', frac = '', zone] = m;
  // With a T the layout requires a zone; with a space it allows none; a date alone is midnight UTC.
  if (t && !zone) return undefined;
  if (space && zone) return undefined;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), min = Number(mi), sec = Number(se);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || min > 59 || sec > 59) return undefined;
  const fraction = frac.replace(/0+$/, '');
  const offset = !zone || zone === 'Z' || /^[+-]00:00$/.test(zone) ? 'Z' : zone;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(min)}:${pad(sec)}${fraction === '.' ? '' : fraction}${offset}`;
}

/** A plain (unquoted, untagged) scalar as go-yaml v3 resolves it (resolve.go), then as ToBytes writes it. */
export function goPlainScalar(s: string): GoScalar {
  if (NULLS.has(s)) return { kind: 'null' };
  if (TRUE.has(s)) return bytes('True');
  if (FALSE.has(s)) return bytes('False');
  if (NAN.has(s)) return bytes('NaN');
  if (INF.has(s)) return bytes('+Inf');
  if (NEG_INF.has(s)) return bytes('-Inf');
  const c = s[0]!;
  if (c === '.') {
    return YAML_STYLE_FLOAT.test(s) && Number.isFinite(Number(s)) ? bytes(goFormatFloat(Number(s))) : bytes(s);
  }
  if (!/[-+0-9]/.test(c)) return bytes(s);
  const stamp = goTimestamp(s);
  if (stamp !== undefined) return bytes(stamp);
  const plain = s.replaceAll('_', '');
  const i = goParseInt(plain);
  if (i !== undefined) {
    if (i >= INT64_MIN && i <= INT64_MAX) return bytes(i.toString());
    if (i > 0n && i < 2n ** 64n) return { kind: 'unsupported', why: `the integer ${s} does not fit an int64, and SOPS cannot hash it` };
  }
  // strconv.ParseFloat fails out of range, and the text stays a string.
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return bytes(goFormatFloat(Number(plain)));
  return bytes(s);
}

/** An encrypted leaf's plaintext, by the type SOPS recorded, as ToBytes writes the decoded value. */
export function goTypedBytes(type: string, text: string): string {
  switch (type) {
    case 'int':
      return /^[+-]?\d+$/.test(text) ? BigInt(text).toString() : text;
    case 'float':
      return goFormatFloat(Number(text));
    case 'bool':
      return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text) ? 'True' : 'False';
    default:
      return text;
  }
}

/** The value an encrypted leaf has in the object applied: what its SOPS type says. */
export function typedValue(type: string, text: string): unknown {
  switch (type) {
    case 'int':
    case 'float':
      return Number(text);
    case 'bool':
      return goTypedBytes('bool', text) === 'True';
    default:
      return text;
  }
}
