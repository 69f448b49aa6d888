/** The one table printer every command prints through: aligned text, and Markdown. */
import { describe, expect, it } from 'vitest';
import { markdownTable, textTable } from '../../src/format/table.js';

describe('textTable', () => {
  it('sizes each column to its widest cell, two spaces apart, with no trailing space', () => {
    expect(textTable(['CLUSTER', 'OBJECTS', 'MESSAGE'], [['cloud-eu-1', 12, ''], ['m', 3, 'two words']], ['left', 'right'])).toBe(
      ['CLUSTER     OBJECTS  MESSAGE', 'cloud-eu-1       12', 'm                 3  two words'].join('\n'),
    );
  });

  it('prints only the header for no rows, and only the rows without a header', () => {
    expect(textTable(['A', 'B'], [])).toBe('A  B');
    expect(textTable(undefined, [['eu', 3], ['cloud-us-1', 6]])).toBe('eu          3\ncloud-us-1  6');
  });
});

describe('markdownTable', () => {
  it('right-aligns the columns it is told to, and escapes what would break a row', () => {
    expect(markdownTable(['Cluster', 'Added'], [['a|b', 1], ['multi\nline', 20]], ['left', 'right'])).toBe(
      ['| Cluster | Added |', '|---|---:|', '| a\\|b | 1 |', '| multi<br>line | 20 |'].join('\n'),
    );
  });
});
