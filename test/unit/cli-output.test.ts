/** How errors that are not GitfedErrors reach the user: a file system refusal without a stack, a bug with one. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messageFormat, printError } from '../../cmd/output.js';

let written: string;
beforeEach(() => {
  written = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((written += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

function fsError(): Error {
  try {
    readFileSync('/nonexistent/gitfed-fleet.yaml');
  } catch (e) {
    return e as Error;
  }
  throw new Error('read a file that does not exist');
}

describe('printError', () => {
  it('a file system refusal: its message and SystemError, no stack trace', () => {
    printError(fsError(), 'text');
    expect(written).toBe("error: ENOENT: no such file or directory, open '/nonexistent/gitfed-fleet.yaml' [SystemError]\n");
    written = '';
    printError(fsError(), 'json');
    expect(JSON.parse(written)).toEqual({ error: { code: 'SystemError', message: "ENOENT: no such file or directory, open '/nonexistent/gitfed-fleet.yaml'" } });
  });

  it('a bug: InternalError, a hint to report it, and the stack to report', () => {
    printError(new TypeError('x is undefined'), 'text');
    const [first, hint, stack] = written.split('\n');
    expect(first).toBe('error: TypeError: x is undefined [InternalError]');
    expect(hint).toMatch(/^ {2}hint: this is a bug in gitfed/);
    expect(stack).toBe('TypeError: x is undefined');
    expect(written).toContain('cli-output.test.ts');
  });
});

describe('messageFormat', () => {
  it('finds --format json in any spelling, and stops at --', () => {
    expect(messageFormat(['render', '--format', 'json'])).toBe('json');
    expect(messageFormat(['render', '--format=json'])).toBe('json');
    expect(messageFormat(['version', '-o', 'json'])).toBe('json');
    expect(messageFormat(['version', '-ojson'])).toBe('json');
    expect(messageFormat(['diff', '--format', 'markdown'])).toBe('text');
    expect(messageFormat(['federate', '--', '--format', 'json'])).toBe('text');
    expect(messageFormat([])).toBe('text');
  });
});
