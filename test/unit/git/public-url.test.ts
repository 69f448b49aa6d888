import { describe, expect, it } from 'vitest';
import { metadataOf } from '../../../src/git/branch-read.js';
import { buildReport } from '../../../src/apply/status/report.js';
import { publicUrl, scrubSecrets } from '../../../src/git/public-url.js';

describe('publicUrl', () => {
  it.each([
    // https: all user info goes, whether it is user:token, a token as the user, or has an @ in it
    ['https://x-access-token:SECRET@github.com/org/fleet.git', 'https://github.com/org/fleet.git'],
    ['https://ghp_SECRET@github.com/org/fleet.git', 'https://github.com/org/fleet.git'],
    ['https://oauth2:SECRET@gitlab.example.com:8443/g/fleet.git', 'https://gitlab.example.com:8443/g/fleet.git'],
    ['https://user:p@ss@host/x.git', 'https://host/x.git'],
    ['HTTPS://u:SECRET@Host/x', 'HTTPS://Host/x'],
    ['http://u:SECRET@127.0.0.1:8080', 'http://127.0.0.1:8080'],
    // query strings and fragments go, from every URL
    ['https://host/org/fleet.git?private_token=SECRET', 'https://host/org/fleet.git'],
    ['https://u:SECRET@host/x.git?token=SECRET2#frag', 'https://host/x.git'],
    ['https://host?token=SECRET', 'https://host'],
    ['https://u:SECRET@host#SECRET2', 'https://host'],
    // a password with an unescaped slash (no valid URL, but no leak either)
    ['https://user:ab/SECRET@host/x.git', 'https://host/x.git'],
    // ssh keeps the account name, loses the password
    ['ssh://git@github.com/org/fleet.git', 'ssh://git@github.com/org/fleet.git'],
    ['ssh://git:SECRET@host:2222/org/fleet.git', 'ssh://git@host:2222/org/fleet.git'],
    ['git+ssh://deploy:SECRET@host/x', 'git+ssh://deploy@host/x'],
    ['git@github.com:org/fleet.git', 'git@github.com:org/fleet.git'],
    ['deploy:SECRET@host:org/fleet.git', 'deploy@host:org/fleet.git'],
    ['host:org/fleet.git', 'host:org/fleet.git'],
    // other schemes lose user info like https
    ['git://u:SECRET@host/x.git', 'git://host/x.git'],
    ['file://u:SECRET@/srv/fleet.git', 'file:///srv/fleet.git'],
    // plain paths and clean URLs come back byte for byte
    ['.', '.'],
    ['/srv/git/fleet.git', '/srv/git/fleet.git'],
    ['./a:b@c', './a:b@c'],
    ['/home/me/repo@2', '/home/me/repo@2'],
    ['https://github.com/org/fleet.git', 'https://github.com/org/fleet.git'],
    ['https://host/org/pkg@v1', 'https://host/org/pkg@v1'],
  ])('%s -> %s', (url, want) => {
    expect(publicUrl(url)).toBe(want);
    expect(publicUrl(want)).toBe(want);
  });
});

describe('scrubSecrets', () => {
  const url = 'https://x-access-token:SECRET123abc@host/org/fleet.git?token=SECRET456def';

  it('removes the raw URL, its parts wherever they appear, and user info of any URL in the text', () => {
    const text = [
      `request to ${url}/info/refs?service=git-receive-pack failed`,
      'Authorization for SECRET123abc refused; query had SECRET456def',
      'decoded: x-access-token:SECRET123abc',
      'other https://bob:HUNTER2HUNTER2@elsewhere/x.git?k=v, end',
    ].join('\n');
    const out = scrubSecrets(text, url);
    for (const s of ['SECRET123abc', 'SECRET456def', 'HUNTER2HUNTER2', 'k=v']) expect(out).not.toContain(s);
    expect(out).toContain('request to https://host/org/fleet.git');
    expect(out).toContain('other https://elsewhere/x.git, end');
  });

  it('finds a percent-encoded password in its decoded form too', () => {
    const out = scrubSecrets('the password was p@ss/word!', 'https://u:p%40ss%2Fword!@host/x');
    expect(out).not.toContain('p@ss/word!');
  });

  it('leaves short user names and ssh users alone, so unrelated words survive', () => {
    expect(scrubSecrets('cannot reach github.com for git', 'https://git:LONGSECRET99@github.com/x')).toBe('cannot reach github.com for git');
    expect(scrubSecrets('deploy key for deploy@host', 'ssh://deploy:LONGSECRET99@host/x')).toBe('deploy key for deploy@host');
  });
});

describe('the apply side reads and reports URLs through publicUrl', () => {
  it('reports a daemon source given with a token, and a branch whose metadata an older gitfed wrote with one, without it', () => {
    expect(buildReport('https://u:SECRET@host/out.git@rendered', [], { now: 'x' }).source).toBe('https://host/out.git@rendered');
    const meta = metadataOf(JSON.stringify({ schema: 1, gitfed: { version: '0.1.0' }, branch: 'rendered', source: { repo: 'https://x:SECRET@host/fleet.git?t=SECRET2', commit: 'a' }, clusters: [] }));
    expect(meta.sourceRepo).toBe('https://host/fleet.git');
  });
});
