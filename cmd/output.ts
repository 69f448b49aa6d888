/** Shared CLI plumbing: how errors and warnings are printed (tables: src/format/table.ts). */
import { GitfedError, RenderErrors, type ErrorCode, type WarningCode } from '../src/errors.js';
import { displayObject } from '../src/object.js';
import { paintFor } from './colour.js';

/** How errors and warnings reach stderr: lines for people, or one JSON object a line for machines. */
export type MessageFormat = 'text' | 'json';

/**
 * `--format json` (or `-o json`) anywhere on the command line makes errors and warnings JSON as
 * well; read from argv because a usage error comes before commander has parsed anything.
 */
export function messageFormat(argv: readonly string[] = process.argv.slice(2)): MessageFormat {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const value = a === '--format' || a === '-o' ? argv[i + 1] : /^(?:--format=|-o=?)(.+)$/.exec(a)?.[1];
    if (value !== undefined) return value === 'json' ? 'json' : 'text';
  }
  return 'text';
}

/** One error as printed: the JSON form, the line for people, and a stack only for a bug. */
interface Printed {
  readonly json: Record<string, unknown>;
  readonly line: string;
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly stack?: string;
}

const printed = (e: GitfedError): Printed => ({ json: e.toJSON(), line: e.format(), code: e.code, hint: e.hint });

/** Not a GitfedError: a file system refusal (no stack: it is the user's path) or a bug in gitfed (the stack, to report it). */
function unexpected(err: unknown): Printed {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string') {
    return { json: { code: 'SystemError', message }, line: message, code: 'SystemError' };
  }
  const hint = 'this is a bug in gitfed; please report it with the stack trace below';
  const line = err instanceof Error ? `${err.name}: ${message}` : message;
  return { json: { code: 'InternalError', message: line, hint }, line, code: 'InternalError', hint, ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
}

/** Prints an error to stderr without exiting (watch keeps running after one). */
export function printError(err: unknown, format: MessageFormat = messageFormat()): void {
  if (format === 'json') {
    process.stderr.write(JSON.stringify({ error: err instanceof GitfedError ? err.toJSON() : unexpected(err).json }) + '\n');
    return;
  }
  const p = paintFor(process.stderr);
  const all = err instanceof RenderErrors ? err.errors.map(printed) : err instanceof GitfedError ? [printed(err)] : [unexpected(err)];
  for (const e of all) {
    process.stderr.write(`${p.bold(p.red('error:'))} ${e.line} ${p.dim(`[${e.code}]`)}\n`);
    if (e.hint) process.stderr.write(`  ${p.cyan('hint:')} ${e.hint}\n`);
    if (e.stack) process.stderr.write(p.dim(e.stack) + '\n');
  }
}

export function exitWithError(err: unknown): never {
  printError(err);
  process.exit(2);
}

/**
 * A reader that stops early (`gitfed diff | head`) closes the pipe: end quietly, with the exit
 * code the command already chose, as Unix tools do, instead of an EPIPE stack trace.
 */
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
}

export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly object?: string;
  readonly cluster?: string;
}

/**
 * Warnings go to stderr, one line each, in the same `file:line: object (cluster): message` form as
 * errors; with --format json, one `{"warning": {...}}` object a line.
 */
export function printWarnings(warnings: readonly Warning[], format: MessageFormat = messageFormat()): void {
  const p = paintFor(process.stderr);
  for (const w of warnings) {
    if (format === 'json') {
      const object = w.object ? displayObject(w.object) : undefined;
      process.stderr.write(JSON.stringify({ warning: { code: w.code, message: w.message, file: w.file, line: w.line, object, cluster: w.cluster } }) + '\n');
      continue;
    }
    const where = w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : '';
    const what = w.object ? `${displayObject(w.object)}${w.cluster ? ` (cluster ${w.cluster})` : ''}: ` : w.cluster ? `(cluster ${w.cluster}): ` : '';
    process.stderr.write(`${p.bold(p.yellow('warning:'))} ${where}${what}${w.message} ${p.dim(`[${w.code}]`)}\n`);
  }
}
