/**
 * Colour for people, never for machines: only when the stream is a terminal, never with NO_COLOR
 * set (https://no-color.org), always with FORCE_COLOR set (as Node itself reads it: "0" or
 * "false" turn it off). Plain ANSI SGR codes, so no dependency; a pipe, a file or CI logs get
 * the bytes they always got.
 */

export interface Paint {
  readonly enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const sgr = (on: number, off: number) => (s: string) => (s === '' ? s : `\x1b[${on}m${s}\x1b[${off}m`);
const plain = (s: string) => s;

export function paint(enabled: boolean): Paint {
  if (!enabled) return { enabled, red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
  return { enabled, red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

/** The painter for what goes to this stream. */
export const paintFor = (stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint => paint(colourWanted(stream, env));

/** A unified diff (and gitfed diff's object lines): additions green, removals red, hunks cyan. */
export function paintUnifiedDiff(text: string, p: Paint): string {
  if (!p.enabled) return text;
  return text
    .split('\n')
    .map((l) => {
      if (l.startsWith('+++ ') || l.startsWith('--- ') || l.startsWith('== ')) return p.bold(l);
      if (l.startsWith('@@')) return p.cyan(l);
      if (l.startsWith('+')) return p.green(l);
      if (l.startsWith('-')) return p.red(l);
      if (l.startsWith('~ ')) return p.yellow(l);
      return l;
    })
    .join('\n');
}

/** `diff --live`: field lines are indented `+ path`, `- path`, `± path`; members start with ►. */
export function paintLiveDiff(text: string, p: Paint): string {
  if (!p.enabled) return text;
  return text
    .split('\n')
    .map((l) => {
      const m = /^(\s+)([+\-±]) /.exec(l);
      if (m) return m[1] + (m[2] === '+' ? p.green : m[2] === '-' ? p.red : p.yellow)(l.slice(m[1]!.length));
      if (l.startsWith('► ')) return / error: /.test(l) ? p.red(l) : p.bold(l);
      return l;
    })
    .join('\n');
}

// The words of src/apply/report.ts (member state, health, action, propagation) and of dev status.
const GOOD = new Set(['Synced', 'Ready', 'True', 'running']);
const WAIT = new Set(['Progressing', 'Drifted', 'Pending', 'degraded']);
const BAD = new Set(['Failed', 'Unreachable', 'False', 'ApplyFailed', 'ClusterNotReady', 'failed', 'stopped']);

/**
 * States in a report table, by whole word (a cell, `cluster=State` or `False/Reason`): green
 * good, yellow on its way, red failed; an object name (after a slash) is never one. Escape codes take no columns, so the table stays aligned.
 */
export function paintStates(text: string, p: Paint): string {
  if (!p.enabled) return text;
  return text.replace(/(?<=^|[\s=])([A-Za-z]+)(?=$|[\s/])/gm, (w) => (GOOD.has(w) ? p.green(w) : WAIT.has(w) ? p.yellow(w) : BAD.has(w) ? p.red(w) : w));
}
