/**
 * `gitfed diff --format markdown`: a PR comment that fits one comment whatever the fleet's size.
 * The summary comes first, then each object with its clusters grouped by identical change, then
 * the clusters. Within the byte budget (GitHub refuses comments over 65,536 characters) parts are
 * given room by priority: every object's one-line account, then its groups, then sample diffs,
 * then the table of clusters; what does not fit is named, and the comment points to the full diff.
 */
import type { FleetDiff } from '../render/diff.js';
import type { DiffReview, ObjectReview } from '../render/diff-review.js';
import { count, objectActions, objectLines, plural, status, summaryRows } from './diff-words.js';
import { markdownTable } from './table.js';

/** GitHub's limit for an issue or pull request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Most bytes the markdown may have; 0: no limit. @default GITHUB_COMMENT_LIMIT */
  readonly maxBytes?: number;
  /** Where the whole diff is (a file CI attaches), named in the comment. */
  readonly fullDiff?: { readonly name: string; readonly bytes: number; readonly link?: string };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** `code` as a markdown code span, whatever backticks it holds. */
export function code(s: string): string {
  const run = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(run + 1);
  return run > 0 ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}

/** A diff in a fenced block that no line of it can close. */
function fenced(diff: string): string {
  const run = Math.max(2, ...[...diff.matchAll(/^`+/gm)].map((m) => m[0].length));
  const fence = '`'.repeat(run + 1);
  return `${fence}diff\n${diff.trimEnd()}\n${fence}`;
}

const MAX_DIFF_LINES = 200;
/** Sample diffs per object: the largest groups of clusters that change it the same way. */
const MAX_SAMPLES = 3;

function clipped(diff: string): string {
  const lines = diff.trimEnd().split('\n');
  return lines.length <= MAX_DIFF_LINES ? lines.join('\n') : [...lines.slice(0, MAX_DIFF_LINES), `... ${lines.length - MAX_DIFF_LINES} more lines`].join('\n');
}

/** An object's account at three lengths: one line, with its groups, with a sample diff per group. */
function objectForms(o: ObjectReview, maxSamples: number): [string, string, string] {
  const head = `**${o.object}** ${objectActions(o)}` + (o.groups.length > 1 ? ` (${plural(o.groups.length, 'different change')})` : '');
  const lines = (max: number) => objectLines(o, code, max).map((l) => `- ${l}`).join('\n');
  // A sample diff for each of the largest groups of clusters that change the object the same way.
  const samples = o.groups.slice(0, maxSamples).map((g) => {
    const title = g.clusters.length > 1 ? `diff on ${g.clusters[0]}, the same on ${plural(g.clusters.length - 1, 'other cluster')}` : `diff on ${g.clusters[0]}`;
    return `<details><summary>${title}</summary>\n\n${fenced(clipped(g.sample.diff))}\n\n</details>`;
  });
  const more = o.groups.length > maxSamples ? `\n\n${plural(o.groups.length - maxSamples, 'more version')} of this change in the full diff.` : '';
  const diffs = samples.join('\n') + more;
  return [`- ${head}\n`, `${head}\n\n${lines(10)}\n\n`, `${head}\n\n${lines(20)}\n\n${diffs}\n\n`];
}

/** The table of clusters, split so that its size for any number of rows is a sum. */
function clusterTable(d: FleetDiff): { head: string; rows: string[]; tail: (shown: number) => string } {
  const lines = markdownTable(['Cluster', 'Added', 'Changed', 'Removed'], d.clusters.map((c) => [`${c.cluster}${status(c.status)}`, String(c.added), String(c.changed), String(c.removed)])).split('\n');
  const n = d.clusters.length;
  return {
    head: `<details><summary>${plural(n, 'cluster')} change</summary>\n\n${lines.slice(0, 2).join('\n')}\n`,
    rows: lines.slice(2).map((l) => l + '\n'),
    tail: (shown) => (shown < n ? `\n... and ${plural(n - shown, 'more cluster')}\n` : '') + '\n</details>\n\n',
  };
}

export function markdown(d: FleetDiff, review: DiffReview, opts: MarkdownOptions = {}): string {
  const budget = opts.maxBytes ?? GITHUB_COMMENT_LIMIT;
  const range = `${code(d.base)} → ${code(d.head)}`;
  if (!d.changed) return `### gitfed: no changes to any cluster\n\n${range}\n`;
  const header = `### gitfed: ${plural(d.clusters.length, 'cluster')} change\n\n${range}\n\n${markdownTable(['Summary', ''], summaryRows(review.summary, 5))}\n\n#### By object\n\n`;
  const byCluster = '#### By cluster\n\n';
  const forms = review.objects.map((o) => objectForms(o, budget <= 0 ? Infinity : MAX_SAMPLES));
  const table = clusterTable(d);
  const cut = (shown: number) => (shown < forms.length ? `- ... and ${plural(forms.length - shown, 'more object')}\n\n` : '');
  const assemble = (shown: number, level: readonly number[], rows: number, note: string) =>
    header + forms.slice(0, shown).map((f, i) => f[level[i]!]).join('') + cut(shown) + byCluster + table.head + table.rows.slice(0, rows).join('') + table.tail(rows) + note;
  const fullNote = opts.fullDiff ? fullDiffNote(opts.fullDiff) : '';
  if (budget <= 0) return assemble(forms.length, forms.map(() => 2), table.rows.length, fullNote);

  // Sizes as sums, so that trying a part costs an addition, not a new string. Every object gets its
  // one line first; then each is raised to its groups, then to its diffs, in order of how many
  // clusters it touches, as far as the budget allows; then rows of the cluster table.
  const size = forms.map((f) => f.map(bytes));
  const rowSize = table.rows.map(bytes);
  const room = budget - bytes(shortNote(forms.length, table.rows.length, forms.length, opts)) - 64;
  let shown = forms.length;
  let used = bytes(header) + bytes(byCluster) + bytes(table.head) + bytes(table.tail(0)) + size.reduce((n, s) => n + s[0]!, 0) + bytes(cut(shown));
  while (shown > 0 && used > room) {
    shown--;
    used += -size[shown]![0]! - bytes(cut(shown + 1)) + bytes(cut(shown));
  }
  const level = forms.map(() => 0);
  for (const target of [1, 2]) {
    for (let i = 0; i < shown; i++) {
      const more = size[i]![target]! - size[i]![level[i]!]!;
      if (used + more <= room) {
        used += more;
        level[i] = target;
      }
    }
  }
  let rows = 0;
  while (rows < rowSize.length && used + rowSize[rows]! <= room) used += rowSize[rows++]!;
  const thin = level.slice(0, shown).filter((l) => l < 2).length;
  const complete = shown === forms.length && thin === 0 && rows === table.rows.length;
  const note = complete ? fullNote : shortNote(forms.length - shown, table.rows.length - rows, thin, opts);
  const out = assemble(shown, level, rows, note);
  if (bytes(out) <= budget) return out;
  // The budget is a promise to CI: whatever a pathological input does (a budget smaller than the
  // summary), the comment fits, and still ends by saying where the rest is.
  const body = Buffer.from(out, 'utf8').subarray(0, Math.max(0, budget - bytes(note) - 2)).toString('utf8').replace(/\uFFFD$/, '');
  return Buffer.from(`${body}\n\n${note}`, 'utf8').subarray(0, budget).toString('utf8').replace(/\uFFFD$/, '');
}

function fullDiffNote(f: NonNullable<MarkdownOptions['fullDiff']>): string {
  const where = f.link ? `[${f.name}](${f.link})` : code(f.name);
  return `The full diff (${count(f.bytes)} bytes) is in ${where}.\n`;
}

function shortNote(objects: number, clusters: number, diffs: number, opts: MarkdownOptions): string {
  const left = [objects > 0 ? plural(objects, 'object') : '', diffs > 0 ? `the diffs of ${plural(diffs, 'object')}` : '', clusters > 0 ? plural(clusters, 'cluster row') : ''].filter(Boolean);
  const why = `Shortened to fit ${count(opts.maxBytes ?? GITHUB_COMMENT_LIMIT)} bytes${left.length ? ` (left out: ${left.join(', ')})` : ''}.`;
  return opts.fullDiff ? `${why} ${fullDiffNote(opts.fullDiff)}` : `${why} Run ${code('gitfed diff --format markdown --max-bytes 0')} for all of it.\n`;
}
