/**
 * @module yaml/text
 * A fleet file's bytes into text, or an error naming the file and line: never a silent change.
 * kubectl would replace bytes that are not UTF-8 with U+FFFD and read on; gitfed refuses them,
 * and refuses the characters a YAML 1.1 reader (kubectl's) takes differently from js-yaml.
 */
import { isUtf8 } from 'node:buffer';
import { RenderError } from '../errors.js';

/** Largest fleet file gitfed reads. Generous for CRD bundles; far below what would exhaust a render. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 1-based line of the first byte that does not belong to valid UTF-8 (the bytes are known to be invalid). */
function firstBadLine(bytes: Uint8Array): number {
  // The longest valid prefix ending on a character boundary (not before a continuation byte):
  // validity of such prefixes only goes from true to false, so a binary search finds it.
  const boundary = (i: number) => {
    while (i > 0 && i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i--;
    return i;
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = boundary(Math.ceil((lo + hi) / 2));
    if (mid > lo && isUtf8(bytes.subarray(0, mid))) lo = mid;
    else hi = mid > lo ? mid - 1 : lo;
  }
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < lo; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

const DESCRIBE: Record<number, string> = { 0x85: 'NEL (U+0085)', 0x2028: 'LINE SEPARATOR (U+2028)', 0x2029: 'PARAGRAPH SEPARATOR (U+2029)', 0xfeff: 'BYTE ORDER MARK (U+FEFF)' };

/**
 * Characters YAML does not allow in a stream (C0 and C1 controls but tab and line breaks, U+FFFE,
 * U+FFFF), the three that YAML 1.1 reads as line breaks and js-yaml (YAML 1.2) as text, and a
 * byte order mark at the start of a later line, which kubectl skips along with what follows.
 */
const REFUSED = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF\u2028\u2029]|\n\uFEFF/;

/** The text of a fleet file, as a string that keeps a leading byte order mark (so a rewrite keeps the bytes). */
export function decodeFleetFile(file: string, bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES) throw tooLarge(file, bytes.length);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)) {
    throw new RenderError('InvalidUTF8', 'the file is UTF-16 or UTF-32 (it starts with that byte order mark); gitfed reads UTF-8 only: convert it', { file, line: 1 });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RenderError('InvalidUTF8', 'bytes that are not valid UTF-8; kubectl would silently replace them with U+FFFD, gitfed refuses: fix the encoding', { file, line: firstBadLine(bytes) });
  }
  const bad = REFUSED.exec(text);
  if (bad) {
    const index = bad[0].length > 1 ? bad.index + 1 : bad.index;
    const code = text.charCodeAt(index);
    const name = DESCRIBE[code] ?? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const why = code === 0xfeff ? 'only the first byte of a file may be a byte order mark' : code === 0x85 || code === 0x2028 || code === 0x2029 ? 'kubectl (YAML 1.1) reads it as a line break; write it as an escape in double quotes' : 'YAML does not allow it in a file; write it as an escape in double quotes';
    throw new RenderError('InvalidCharacter', `${name}: ${why}`, { file, line: lineAt(text, index) });
  }
  return text;
}

export function tooLarge(file: string, size: number): RenderError {
  return new RenderError('FileTooLarge', `the file is ${size} bytes, over gitfed's bound of ${MAX_FILE_BYTES} bytes (${MAX_FILE_BYTES / 1024 / 1024} MiB) for one file: split it`, { file });
}
