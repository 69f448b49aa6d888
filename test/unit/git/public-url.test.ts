import { describe, expect, it } from 'vitest';
import { publicUrl } from '../../../src/git/public-url.js';

describe('publicUrl', () => {
  it('drops user info, query string and fragment from URLs', () => {
    expect(publicUrl('https://x-access-token:ghs_abc@github.com/org/fleet.git')).toBe('https://github.com/org/fleet.git');
    expect(publicUrl('https://glpat-xyz@gitlab.example.com/org/fleet.git?private_token=t#main')).toBe('https://gitlab.example.com/org/fleet.git');
    expect(publicUrl('ssh://git@host:2222/org/fleet.git')).toBe('ssh://host:2222/org/fleet.git');
    // An unescaped @ in a password still ends at the last @ before the host.
    expect(publicUrl('https://u:p@ss@host/r.git')).toBe('https://host/r.git');
  });

  it('keeps what carries no credential as it is', () => {
    for (const url of ['https://github.com/org/fleet.git', 'HTTPS://Host:8443/r', 'file:///srv/git/fleet.git', 'git@github.com:org/fleet.git', '/srv/git/fleet.git', '.']) {
      expect(publicUrl(url)).toBe(url);
    }
  });
});
