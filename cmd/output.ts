/** Shared CLI plumbing: how errors and tables are printed. */
import Table from 'cli-table3';
import { GitfedError, RenderErrors } from '../src/errors.js';
import { displayObject } from '../src/object.js';

export function exitWithError(err: unknown): never {
  if (err instanceof RenderErrors) {
    for (const e of err.errors) process.stderr.write(`error: ${e.format()} [${e.code}]\n`);
  } else if (err instanceof GitfedError) {
    process.stderr.write(`error: ${err.format()} [${err.code}]\n`);
  } else if (err instanceof Error) {
    process.stderr.write(`error: ${err.stack ?? err.message}\n`);
  } else {
    process.stderr.write(`error: ${String(err)}\n`);
  }
  process.exit(2);
}

/** A borderless table for terminals: aligned columns, a header, nothing else. */
export function table(head: string[], rows: (string | number)[][], align?: ('left' | 'right')[]): string {
  const t = new Table({
    head,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
    ...(align ? { colAligns: align } : {}),
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

/** Warnings go to stderr, one line each, in the same `file:line: object (cluster): message` form as errors. */
export function printWarnings(warnings: readonly { code: string; message: string; file?: string; line?: number; object?: string; cluster?: string }[]): void {
  for (const w of warnings) {
    const where = w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : '';
    const what = w.object ? `${displayObject(w.object)}${w.cluster ? ` (cluster ${w.cluster})` : ''}: ` : w.cluster ? `(cluster ${w.cluster}): ` : '';
    process.stderr.write(`warning: ${where}${what}${w.message} [${w.code}]\n`);
  }
}
