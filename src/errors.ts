/**
 * Error classes shared by every layer. Each carries what a user needs to find the problem:
 * the file and line, the object and the cluster. The CLI maps GitfedError to exit code 2.
 */

import { formatRef, type ObjectIdentity } from './object.js';

export interface ErrorContext {
  file?: string;
  line?: number;
  /** The object concerned: its identity, or (from older callers) a key or `Kind/namespace/name`. */
  object?: ObjectIdentity | string;
  cluster?: string;
}

export class GitfedError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  /** The object in the form people read, `Kind/namespace/name`. */
  readonly object?: string;
  /** The object's identity, when the thrower had one. */
  readonly ref?: ObjectIdentity;
  readonly cluster?: string;

  constructor(code: string, message: string, ctx: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.file = ctx.file;
    this.line = ctx.line;
    if (typeof ctx.object === 'object') {
      this.ref = ctx.object;
      this.object = formatRef(ctx.object);
    } else {
      // A string is kept as written: guessing its form would misread a name that holds '/'.
      this.object = ctx.object;
    }
    this.cluster = ctx.cluster;
  }

  /** `file:line: object (cluster X): message`, the one-line form the CLI prints. */
  format(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    const what = this.object ? `${this.object}` : '';
    const cl = this.cluster ? ` (cluster ${this.cluster})` : '';
    const head = what || cl ? `${(what + cl).trimStart()}: ` : '';
    return `${where}${head}${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, file: this.file, line: this.line, object: this.object, cluster: this.cluster };
  }
}

/** Invalid fleet repo content: YAML syntax, schema, impossible policy. */
export class RenderError extends GitfedError {}

/** Several render errors at once: render reports all it found, not just the first. */
export class RenderErrors extends GitfedError {
  readonly errors: readonly GitfedError[];
  constructor(errors: readonly GitfedError[]) {
    super('RenderFailed', `${errors.length} error(s):\n` + errors.map((e) => '  ' + e.format()).join('\n'));
    this.errors = errors;
  }
  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

/** Git-level problems: missing ref, corrupt object, a branch moved under us. */
export class GitError extends GitfedError {}

/** Apply-side problems with one member; never fatal for the others. */
export class ApplyError extends GitfedError {}

/** Local control planes (gitfed dev): build, start, stop. */
export class DevError extends GitfedError {}
