/**
 * The fleet name a render records in gitfed.metadata: distinct per fleet repo with no set-up, the
 * same for every spelling and clone of one repository, never carrying a credential, and
 * overridden by gitfed.yaml's `fleet`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenderError, RenderErrors, GitError } from '../../../src/errors.js';
import { fleetNameFromRepo, fleetNameProblem, normaliseRepoUrl } from '../../../src/fleet-name.js';
import { defaultFleetName } from '../../../src/git/fleet-name.js';
import { publish } from '../../../src/publish.js';
import { parseConfig } from '../../../src/render/config.js';
import { renderFleet } from '../../../src/render/render.js';
import { runGitfed } from '../../support/cli.js';
import { commitFiles, git, initRepo, tmpDir } from './fixtures.js';

const cluster = 'apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: east\n';

describe('normaliseRepoUrl', () => {
  it('gives one name for every spelling of one repository', () => {
    const spellings = [
      'https://github.com/Acme/Fleet.git',
      'https://x-access-token:ghs_secret@github.com/acme/fleet',
      'http://github.com:80/acme/fleet/',
      'git@github.com:acme/fleet.git',
      'ssh://git@github.com:22/acme/fleet.git',
      'https://github.com/acme/fleet.git?ref=main#frag',
    ];
    expect(new Set(spellings.map(normaliseRepoUrl))).toEqual(new Set(['github.com/acme/fleet']));
    expect(new Set(spellings.map(fleetNameFromRepo)).size).toBe(1);
  });
  it('keeps local paths as paths and names nothing for "."', () => {
    expect(normaliseRepoUrl('/srv/git/Fleet.git/')).toBe('/srv/git/fleet');
    expect(normaliseRepoUrl('file:///srv/git/fleet.git')).toBe('/srv/git/fleet');
    expect(normaliseRepoUrl('.')).toBeUndefined();
    expect(fleetNameFromRepo('')).toBeUndefined();
  });
  it('makes valid, readable, distinct names without the credential', () => {
    const a = fleetNameFromRepo('https://tok3n@git.example.com/platform/shop-fleet.git')!;
    const b = fleetNameFromRepo('https://git.example.com/team/shop-fleet.git')!;
    expect(a).toMatch(/^shop-fleet-[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('tok3n');
    const long = fleetNameFromRepo(`https://h/${'Über_Long.Name'.repeat(10)}.git`)!;
    expect(fleetNameProblem(long)).toBeUndefined();
    expect(fleetNameProblem(fleetNameFromRepo('https://h/___.git'))).toBeUndefined();
  });
});

describe('fleet names', () => {
  it.each(['shop', 'shop-prod-2', 'a'.repeat(63)])('accepts %s', (n) => expect(fleetNameProblem(n)).toBeUndefined());
  it.each(['Shop', 'shop_prod', '-shop', 'shop-', 'a'.repeat(64), '', 'a.b'])('rejects %j', (n) => expect(fleetNameProblem(n)).toMatch(/not a valid fleet name/));
  it('rejects a non-string', () => expect(fleetNameProblem(42)).toMatch(/must be a string/));
});

describe('gitfed.yaml fleet', () => {
  it('is read and validated with the file and line', () => {
    expect(parseConfig('exclude: []\nfleet: shop\n').fleet).toBe('shop');
    expect(parseConfig('exclude: []\n').fleet).toBeUndefined();
    try {
      renderFleet(new Map([['gitfed.yaml', 'exclude: []\nfleet: Shop_Prod\n']]));
      expect.unreachable();
    } catch (err) {
      const e = err instanceof RenderErrors ? err.errors[0] : err;
      expect(e).toBeInstanceOf(RenderError);
      expect((e as RenderError).format()).toMatch(/^gitfed\.yaml:2: field fleet: "Shop_Prod" is not a valid fleet name/);
    }
  });
});

describe('the fleet name a render commits', () => {
  async function metadataFleet(dir: string): Promise<string | undefined> {
    return (JSON.parse(git(dir, ['show', 'rendered:gitfed.metadata'])) as { fleet?: string }).fleet;
  }

  it('comes from the first commit of a repository with no remote: two new fleets differ', async () => {
    const a = initRepo();
    const b = initRepo();
    const rootA = commitFiles(a, 'fleet a', { 'clusters/east.yaml': cluster });
    commitFiles(b, 'fleet b', { 'clusters/east.yaml': cluster });
    commitFiles(a, 'more', { 'x.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n' });
    const ra = await publish({ repo: a });
    const rb = await publish({ repo: b });
    expect(ra.fleet).toBe(`fleet-${rootA.slice(0, 12)}`);
    expect(await metadataFleet(a)).toBe(ra.fleet);
    expect(rb.fleet).not.toBe(ra.fleet);
  });

  it('comes from remote origin, https or ssh alike, else from the URL the metadata names', async () => {
    const a = initRepo();
    commitFiles(a, 'fleet', { 'clusters/east.yaml': cluster });
    git(a, ['remote', 'add', 'origin', 'git@git.example.com:platform/fleet.git']);
    const viaSsh = await defaultFleetName(a);
    git(a, ['remote', 'set-url', 'origin', 'https://bot:secret@git.example.com/platform/fleet.git']);
    expect(await defaultFleetName(a)).toBe(viaSsh);
    expect(viaSsh).toBe(fleetNameFromRepo('https://git.example.com/platform/fleet'));
    expect(await defaultFleetName(a, { sourceRepo: 'https://git.example.com/other/fleet.git' })).not.toBe(viaSsh);
  });

  it('is the one gitfed.yaml names, whatever the repository', async () => {
    const a = initRepo();
    commitFiles(a, 'fleet', { 'clusters/east.yaml': cluster, 'gitfed.yaml': 'fleet: shop\n' });
    expect((await publish({ repo: a, sourceRepo: 'https://git.example.com/x.git' })).fleet).toBe('shop');
    expect(await metadataFleet(a)).toBe('shop');
  });

  it('is a change to commit on its own, as it decides what the members apply owns', async () => {
    const a = initRepo();
    commitFiles(a, 'fleet', { 'clusters/east.yaml': cluster });
    const first = await publish({ repo: a });
    commitFiles(a, 'name it', { 'gitfed.yaml': 'fleet: shop\n' });
    const named = await publish({ repo: a });
    expect(named.commit.branches[0]).toMatchObject({ committed: true, changed: [], added: [], removed: [] });
    expect(await metadataFleet(a)).toBe('shop');
    expect(first.fleet).not.toBe('shop');
    commitFiles(a, 'nothing for the members', { 'README.md': 'hi\n' });
    expect((await publish({ repo: a })).commit.branches[0]!.committed).toBe(false);
  });

  it('is the one a preview records too, so the preview applies as the branch would', async () => {
    const a = initRepo();
    commitFiles(a, 'fleet', { 'clusters/east.yaml': cluster });
    const out = join(tmpDir(), 'preview');
    const r = await runGitfed(['render', '--repo', a, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const preview = JSON.parse(readFileSync(join(out, 'gitfed.metadata'), 'utf8')) as { fleet?: string };
    expect(preview.fleet).toBe((await publish({ repo: a })).fleet);
  });

  it('refuses to guess in a shallow clone without a remote', async () => {
    const src = initRepo();
    commitFiles(src, 'one', { 'clusters/east.yaml': cluster });
    commitFiles(src, 'two', { 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n' });
    const clone = tmpDir();
    git(clone, ['clone', '-q', '--depth', '1', `file://${src}`, '.']);
    git(clone, ['remote', 'remove', 'origin']);
    await expect(defaultFleetName(clone)).rejects.toThrow(GitError);
    await expect(defaultFleetName(clone)).rejects.toThrow(/shallow.*fleet: <name>/);
  });
});
