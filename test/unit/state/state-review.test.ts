/**
 * Renders caused by a state change alone: with gitfed.yaml's `stateChanges.review` they go to a
 * review branch on top of the output branch (whose commit names the state change), a new source
 * still goes straight to the output branch; and `gitfed diff` between two rendered commits names
 * the state change behind them (members and state commits), in text, markdown and JSON.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commitState, renderedProvenance, stateChangeBetween } from '../../../src/git/state-branch.js';
import { publish } from '../../../src/publish.js';
import { parseConfig } from '../../../src/render/config.js';
import { runGitfed } from '../../support/cli.js';
import { git, member } from './support.js';


describe('gitfed.yaml stateChanges', () => {
  it('reads review and prefix, with the default prefix', () => {
    expect(parseConfig('stateChanges: {review: true}\n').stateChanges).toEqual({ review: true, prefix: 'state-review/' });
    expect(parseConfig('stateChanges: {review: false, prefix: "pr/"}\n').stateChanges).toEqual({ review: false, prefix: 'pr/' });
    expect(parseConfig('fleet: x\n').stateChanges).toBeUndefined();
  });

  it('refuses a review that is no boolean, a misspelt field, and a prefix that makes no branch, naming the line', () => {
    let err: unknown;
    try {
      parseConfig('fleet: x\nstateChanges:\n  review: yes please\n');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ConfigInvalid', file: 'gitfed.yaml', line: 3, message: expect.stringContaining('stateChanges.review: must be true or false') });
    expect(() => parseConfig('stateChanges: {reviw: true}\n')).toThrow(/unknown field "stateChanges.reviw"; did you mean "review"/);
    expect(() => parseConfig('stateChanges: {review: true, prefix: "a..b/"}\n')).toThrow(/stateChanges.prefix: makes "a..b\/rendered", which is not a valid branch name/);
    // `rendered/` would put the review branch under the output branch: git cannot hold both.
    expect(() => parseConfig('stateChanges: {review: true, prefix: "rendered/"}\n')).toThrow(/stateChanges.prefix/);
  });
});

describe('a render caused by the state alone goes to a review branch', () => {
  let repo: string;
  let state1: string;
  let state2: string;
  let state3: string;
  let state4: string;
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'gitfed-state-review-'));
    await cp(new URL('../../../examples/overflow/', import.meta.url).pathname, repo, { recursive: true });
    await writeFile(join(repo, 'gitfed.yaml'), 'fleet: shop\nstateChanges:\n  review: true\n');
    const rsp = join(repo, 'shop.yaml');
    await writeFile(rsp, (await readFile(rsp, 'utf8')).replace('totalReplicas: 4', 'totalReplicas: 10'));
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'Scale the shop to 10');
    state1 = (await commitState({ dir: repo, branch: 'fleet-state', expected: null, members: [member('onprem', { desired: 4, ready: 4, current: 4, fit: 0 }), member('burst', { fit: 60 })], message: 'onprem: first observation\n', time: 1767225600 })).head;
    state2 = (await commitState({ dir: repo, branch: 'fleet-state', expected: state1, members: [member('burst', { fit: 59 })], message: 'burst: room for 59 more shop/web, was 60\n', time: 1767225650 })).head;
    state3 = (await commitState({ dir: repo, branch: 'fleet-state', expected: state2, members: [member('onprem', { desired: 4, ready: 4, current: 4, fit: 6 })], message: 'onprem: room for 6 more shop/web, was 0\n\n- onprem: room for 6 more shop/web, was 0\n', time: 1767225700 })).head;
  }, 60_000);

  it('the first render, and a new source, go straight to the output branch; a new state alone to state-review/rendered', async () => {
    const first = await publish({ repo, state: state1 });
    expect(first.commit.branches.map((b) => [b.branch, b.committed])).toEqual([['rendered', true]]);
    const rendered = await git(repo, 'rev-parse', 'rendered');

    const r = await publish({ repo, state: state3 });
    expect(r.commit.branches.map((b) => [b.branch, b.committed])).toEqual([['state-review/rendered', true]]);
    expect(await git(repo, 'rev-parse', 'rendered')).toBe(rendered);
    // On top of the output branch, so a PR from it shows exactly what the state change does.
    expect(await git(repo, 'rev-parse', 'state-review/rendered^')).toBe(rendered);
    const message = await git(repo, 'log', '-1', '--format=%B', 'state-review/rendered');
    expect(message.split('\n')[0]).toBe(`${(await git(repo, 'rev-parse', 'main')).slice(0, 7)}: state ${state3.slice(0, 7)}: onprem: room for 6 more shop/web, was 0`);
    expect(message).toContain(`state ${state1.slice(0, 7)} -> ${state3.slice(0, 7)}; member document(s) changed: burst, onprem`);
    expect(message).toContain(`  ${state2.slice(0, 7)} burst: room for 59 more shop/web, was 60`);
    expect(message).toMatch(new RegExp(`Gitfed-State-Commit: ${state3}\n?$`));
    // What it changes: on-prem has room again, so burst gives its 6 back.
    const diff = await git(repo, 'diff', '--stat', 'rendered', 'state-review/rendered');
    expect(diff).toContain('clusters/burst/');

    // The same pair again: nothing new anywhere.
    const again = await publish({ repo, state: state3 });
    expect(again.commit.branches.every((b) => !b.committed)).toBe(true);

    // A new source commit: straight to the output branch, with the newest state.
    await writeFile(join(repo, 'shop.yaml'), (await readFile(join(repo, 'shop.yaml'), 'utf8')).replace('totalReplicas: 10', 'totalReplicas: 8'));
    await git(repo, 'commit', '-qam', 'Scale the shop to 8');
    const next = await publish({ repo, state: state3 });
    expect(next.commit.branches.map((b) => [b.branch, b.committed])).toEqual([['rendered', true]]);

    // A source commit that renders nothing new moves only the note; a state change after it is still told apart.
    await writeFile(join(repo, 'README.md'), 'the shop\n');
    await git(repo, 'add', 'README.md');
    await git(repo, 'commit', '-qm', 'Docs');
    const head = await git(repo, 'rev-parse', 'rendered');
    const docs = await publish({ repo, state: state3 });
    expect(docs.commit.branches.map((b) => [b.branch, b.committed])).toEqual([['rendered', false]]);
    state4 = (await commitState({ dir: repo, branch: 'fleet-state', expected: state3, members: [member('onprem', { desired: 4, ready: 4, current: 4, fit: 0 })], message: 'onprem: room for 0 more shop/web, was 6\n', time: 1767225800 })).head;
    const squeezed = await publish({ repo, state: state4 });
    expect(squeezed.commit.branches.map((b) => [b.branch, b.committed])).toEqual([['state-review/rendered', true]]);
    expect(await git(repo, 'rev-parse', 'rendered')).toBe(head);
    expect(await git(repo, 'rev-parse', 'state-review/rendered^')).toBe(head);
    expect(await git(repo, 'log', '-1', '--format=%B', 'state-review/rendered')).toContain(`state ${state3.slice(0, 7)} -> ${state4.slice(0, 7)}; member document(s) changed: onprem`);
  });

  it('the state change between two states: forward, backwards, and from no state', async () => {
    const forward = await stateChangeBetween(repo, state1, state3);
    expect(forward).toMatchObject({ direction: 'forward', truncated: false, members: ['burst', 'onprem'] });
    expect(forward.commits.map((c) => c.commit)).toEqual([state3, state2]);
    const back = await stateChangeBetween(repo, state3, state2);
    expect(back).toMatchObject({ direction: 'back', members: ['onprem'] });
    expect(back.commits.map((c) => c.commit)).toEqual([state3]);
    const fromNone = await stateChangeBetween(repo, null, state2, 1);
    expect(fromNone).toMatchObject({ direction: 'forward', truncated: true, members: ['burst', 'onprem'] });
    expect(fromNone.commits.map((c) => c.commit)).toEqual([state2]);
  });

  it('diff between two rendered commits names the state change behind them', async () => {
    // The first rendered commit (state1) against the review commit (state4): on-prem's document
    // came back to what it was, so only burst's differs; the three state commits in between are named.
    const base = 'rendered~1';
    const head = 'state-review/rendered';
    expect(await renderedProvenance(repo, head)).toMatchObject({ state: state4 });
    expect(await renderedProvenance(repo, base)).toMatchObject({ state: state1 });
    expect(await renderedProvenance(repo, 'main')).toBeUndefined();

    const text = await runGitfed(['diff', '--repo', repo, base, head]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout.split('\n').slice(0, 4)).toEqual([
      `state ${state1.slice(0, 7)} -> ${state4.slice(0, 7)}; member document(s) changed: burst`,
      `  ${state4.slice(0, 7)} onprem: room for 0 more shop/web, was 6`,
      `  ${state3.slice(0, 7)} onprem: room for 6 more shop/web, was 0`,
      `  ${state2.slice(0, 7)} burst: room for 59 more shop/web, was 60`,
    ]);
    expect(text.stdout).toContain(`, state ${state4.slice(0, 7)})`);

    const md = await runGitfed(['diff', '--repo', repo, base, head, '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(1);
    expect(md.stdout).toContain(`State \`${state1.slice(0, 7)}\` → \`${state4.slice(0, 7)}\`; member documents changed: \`burst\`.`);
    expect(md.stdout).toContain(`- \`${state2.slice(0, 7)}\` burst: room for 59 more shop/web, was 60`);

    const json = JSON.parse((await runGitfed(['diff', '--repo', repo, base, head, '--format', 'json'])).stdout);
    expect(json.changed).toBe(true);
    expect(json.stateChange).toMatchObject({ from: state1, to: state4, direction: 'forward', members: ['burst'] });
    expect(json.stateChange.commits.map((c: { commit: string }) => c.commit)).toEqual([state4, state3, state2]);

    // Backwards: the newer state is the base's.
    const back = JSON.parse((await runGitfed(['diff', '--repo', repo, head, base, '--format', 'json'])).stdout);
    expect(back.stateChange).toMatchObject({ from: state4, to: state1, direction: 'back' });

    // Two source revisions: no state, no state section.
    const plain = JSON.parse((await runGitfed(['diff', '--repo', repo, 'main~1', 'main', '--format', 'json'])).stdout);
    expect(plain.stateChange).toBeUndefined();
  }, 240_000);
});
