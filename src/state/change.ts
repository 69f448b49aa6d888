/**
 * @module state/change
 * A state change as readers are told it: the state commits between two states (what `gitfed
 * observe` wrote, newest first) and the members whose documents differ. What `gitfed diff` prints
 * between two rendered commits, and what a review branch's commit says caused it. Pure; read by
 * git/state-branch.ts.
 */

/** One state commit: its id and message. */
export interface StateCommit {
  readonly commit: string;
  readonly subject: string;
  /** The message after the subject (the list of changes), trimmed. */
  readonly body: string;
}

/** What lies between two state commits. */
export interface StateChange {
  /** null: the state began with `to` (the older render read none). */
  readonly from: string | null;
  readonly to: string;
  /** `forward`: `to` descends from `from`; `back`: the reverse (a diff read backwards); `apart`: neither. */
  readonly direction: 'forward' | 'back' | 'apart';
  /** The commits after the older state up to the newer one, newest first. */
  readonly commits: readonly StateCommit[];
  /** Whether `commits` was cut short. */
  readonly truncated: boolean;
  /** Members whose document was added, changed or removed, sorted. */
  readonly members: readonly string[];
}

const short = (oid: string | null): string => (oid === null ? 'none' : oid.slice(0, 7));

/** One line: which states, which way, which members. */
export function stateChangeSummary(c: StateChange): string {
  const way = c.direction === 'back' ? ' (backwards: the base read the newer state)' : c.direction === 'apart' ? ' (neither descends from the other)' : '';
  const members = c.members.length === 0 ? 'no member document differs' : `member document(s) changed: ${c.members.join(', ')}`;
  return `state ${short(c.from)} -> ${short(c.to)}${way}; ${members}`;
}

/** The state commits, one line each: short id and subject. */
export function stateCommitLines(c: StateChange): string[] {
  const lines = c.commits.map((s) => `${s.commit.slice(0, 7)} ${s.subject}`);
  if (c.truncated) lines.push('...');
  return lines;
}

/** For a terminal and a commit message. */
export function stateChangeText(c: StateChange): string {
  return [stateChangeSummary(c), ...stateCommitLines(c).map((l) => `  ${l}`)].join('\n') + '\n';
}

/** For a PR comment: a short section. */
export function stateChangeMarkdown(c: StateChange): string {
  const members = c.members.length === 0 ? 'no member document differs' : `member documents changed: ${c.members.map((m) => `\`${m}\``).join(', ')}`;
  const way = c.direction === 'back' ? ' (backwards)' : c.direction === 'apart' ? ' (neither descends from the other)' : '';
  const commits = [...c.commits.map((s) => `- \`${s.commit.slice(0, 7)}\` ${s.subject}`), ...(c.truncated ? ['- ...'] : [])];
  return [`### State change behind this diff`, '', `State \`${short(c.from)}\` → \`${short(c.to)}\`${way}; ${members}.`, ...(commits.length > 0 ? ['', ...commits] : []), ''].join('\n') + '\n';
}
