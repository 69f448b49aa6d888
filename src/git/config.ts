/**
 * @module git/config
 * The repository's own `config` file, read as git's config.c reads it: `[section]` and
 * `[section "subsection"]` headers, case-insensitive section and variable names, a case-sensitive
 * subsection, values with quotes, the escapes \t \b \n \\ \", `#` and `;` comments, a backslash
 * before a line break joining lines, and a bare name meaning true. The last value of a key wins.
 * `[include]` is not followed (isomorphic-git, which read this before, did not either). A render
 * reads two keys from it; loading isomorphic-git for them cost every `render --commit` about
 * 90 ms of start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../errors.js';

/** A value as written, or true for a bare name (`[core]\n\tbare`). */
export type ConfigValue = string | true;

const NAME_START = /[A-Za-z]/;
const NAME_CHAR = /[A-Za-z0-9-]/;
const SECTION_CHAR = /[A-Za-z0-9.-]/;
const SPACE = /[ \t\r\v\f]/;

class Reader {
  i = 0;
  line = 1;
  constructor(readonly text: string, readonly file: string) {}

  peek(): string | undefined {
    return this.text[this.i];
  }

  /** The next character, `\r\n` read as `\n`; undefined at the end. */
  next(): string | undefined {
    let c = this.text[this.i++];
    if (c === '\r' && this.text[this.i] === '\n') c = this.text[this.i++];
    if (c === '\n') this.line++;
    return c;
  }

  fail(what: string): never {
    throw new GitError('GitConfigInvalid', `${this.file}:${this.line}: ${what}`, { file: this.file, line: this.line, hint: 'check the line with `git config --list --file <that file>`, which refuses it too' });
  }

  skipLine(): void {
    for (let c = this.next(); c !== undefined && c !== '\n'; c = this.next());
  }
}

/** `[name]`, `[name "sub"]`, or the old `[name.sub]`: the key prefix, section lowercased. */
function header(r: Reader): string {
  let name = '';
  for (let c = r.next(); ; c = r.next()) {
    if (c === ']') return name.toLowerCase();
    if (c === ' ' || c === '\t') break;
    if (c === undefined || !SECTION_CHAR.test(c)) r.fail('bad section header');
    name += c;
  }
  while (r.peek() === ' ' || r.peek() === '\t') r.next();
  if (r.next() !== '"') r.fail('bad section header: a subsection is written in double quotes');
  let sub = '';
  for (let c = r.next(); c !== '"'; c = r.next()) {
    if (c === undefined || c === '\n') r.fail('bad section header: the subsection has no closing quote');
    if (c === '\\') {
      c = r.next();
      if (c === undefined || c === '\n') r.fail('bad section header');
    }
    sub += c;
  }
  if (r.next() !== ']') r.fail('bad section header: ] expected after the subsection');
  return `${name.toLowerCase()}.${sub}`;
}

/** A value after `=`, up to its line's end (git's parse_value). */
function value(r: Reader): string {
  let out = '';
  let spaces = 0;
  let quoted = false;
  let comment = false;
  for (;;) {
    let c = r.next();
    if (c === undefined || c === '\n') {
      if (quoted) r.fail('a quoted value has no closing quote');
      return out;
    }
    if (comment) continue;
    if (!quoted && SPACE.test(c)) {
      if (out.length > 0) spaces++;
      continue;
    }
    if (!quoted && (c === ';' || c === '#')) {
      comment = true;
      continue;
    }
    for (; spaces > 0; spaces--) out += ' ';
    if (c === '\\') {
      c = r.next();
      if (c === '\n') continue;
      if (c === 't') out += '\t';
      else if (c === 'b') out += '\b';
      else if (c === 'n') out += '\n';
      else if (c === '\\' || c === '"') out += c;
      else r.fail(`bad escape \\${c ?? ''} in a value`);
      continue;
    }
    if (c === '"') {
      quoted = !quoted;
      continue;
    }
    out += c;
  }
}

/** Every key (`section.name` or `section.subsection.name`, section and name lowercased) to its values in order. */
export function parseGitConfig(text: string, file = 'config'): Map<string, ConfigValue[]> {
  const r = new Reader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const out = new Map<string, ConfigValue[]>();
  let section: string | undefined;
  for (;;) {
    const c = r.next();
    if (c === undefined) return out;
    if (c === '\n' || SPACE.test(c)) continue;
    if (c === '#' || c === ';') {
      r.skipLine();
      continue;
    }
    if (c === '[') {
      section = header(r);
      continue;
    }
    if (!NAME_START.test(c)) r.fail('bad config line');
    let name = c;
    while (r.peek() !== undefined && NAME_CHAR.test(r.peek()!)) name += r.next();
    while (r.peek() === ' ' || r.peek() === '\t') r.next();
    let v: ConfigValue = true;
    const after = r.peek();
    if (after === '=') {
      r.next();
      v = value(r);
    } else if (after === '#' || after === ';') r.skipLine();
    else if (after !== undefined && r.next() !== '\n') r.fail('bad config line');
    // git takes a variable before any section too, keyed by its name alone.
    const key = section === undefined ? name.toLowerCase() : `${section}.${name.toLowerCase()}`;
    const list = out.get(key);
    if (list) list.push(v);
    else out.set(key, [v]);
  }
}

/** The value git would give `key` (`core.logAllRefUpdates`, `remote.origin.url`) in the repository's config; undefined when unset. */
export function readGitConfig(commondir: string, key: string): ConfigValue | undefined {
  const file = join(commondir, 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const dot = key.indexOf('.');
  const last = key.lastIndexOf('.');
  // The section and the name are case-insensitive; a subsection between them is not.
  const normal = dot === last ? key.toLowerCase() : `${key.slice(0, dot).toLowerCase()}${key.slice(dot, last)}.${key.slice(last + 1).toLowerCase()}`;
  return parseGitConfig(text, file).get(normal)?.at(-1);
}
