import { describe, expect, it } from 'vitest';
import { colourWanted, paint, paintLiveDiff, paintStates, paintUnifiedDiff } from '../../cmd/colour.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colourWanted', () => {
  it('on a terminal, unless NO_COLOR is set to anything or TERM is dumb', () => {
    expect(colourWanted(tty, {})).toBe(true);
    expect(colourWanted(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(tty, { NO_COLOR: 'false' })).toBe(false);
    expect(colourWanted(tty, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('never on a pipe, unless FORCE_COLOR forces it; FORCE_COLOR=0 turns it off', () => {
    expect(colourWanted(pipe, {})).toBe(false);
    expect(colourWanted(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colourWanted(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted(pipe, { FORCE_COLOR: '' })).toBe(false);
  });
});

describe('painting', () => {
  const on = paint(true);
  const off = paint(false);

  it('leaves text untouched when off', () => {
    const text = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n';
    expect(paintUnifiedDiff(text, off)).toBe(text);
    expect(paintStates('a  Synced  Failed', off)).toBe('a  Synced  Failed');
  });

  it('colours a unified diff by its first column, context lines not at all', () => {
    expect(paintUnifiedDiff('--- a/x\n@@ -1,2 +1,2 @@\n   - item\n-a: 1\n+a: 2', on).split('\n')).toEqual([
      '\x1b[1m--- a/x\x1b[22m', '\x1b[36m@@ -1,2 +1,2 @@\x1b[39m', '   - item', '\x1b[31m-a: 1\x1b[39m', '\x1b[32m+a: 2\x1b[39m',
    ]);
  });

  it('colours the field lines of a live diff after their indentation', () => {
    expect(paintLiveDiff('    + /data/a: "1"\n      - "2"', on)).toBe('    \x1b[32m+ /data/a: "1"\x1b[39m\n      \x1b[31m- "2"\x1b[39m');
  });

  it('colours states as whole words, never inside an object name', () => {
    const row = 'cloud-eu-1  Failed  Ready  ConfigMap/shop/failed  onprem=ApplyFailed  False/CheckClusters';
    expect(paintStates(row, on)).toBe('cloud-eu-1  \x1b[31mFailed\x1b[39m  \x1b[32mReady\x1b[39m  ConfigMap/shop/failed  onprem=\x1b[31mApplyFailed\x1b[39m  \x1b[31mFalse\x1b[39m/CheckClusters');
  });
});
