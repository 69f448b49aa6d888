import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assetVariable, cacheBinDir, controlplaneDir, findBinaries, requireBinaries } from '../../../src/dev/binaries.js';
import { DevError } from '../../../src/errors.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gitfed-bin-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function fakeBinaries(dir: string, names: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const n of names) {
    writeFileSync(join(dir, n), '#!/bin/sh\n');
    chmodSync(join(dir, n), 0o755);
  }
}

describe('cache directory', () => {
  it('is the one build.sh builds into', () => {
    const env = { ...process.env, GITFED_CONTROLPLANE_CACHE: tmp };
    const fromScript = execFileSync('bash', [join(controlplaneDir(), 'build.sh'), '--print-bin-dir'], { env, encoding: 'utf8' }).trim();
    expect(cacheBinDir(env)).toBe(fromScript);
  });

  it('changes when a module changes', () => {
    const copy = join(tmp, 'cp');
    for (const m of ['apiserver', 'etcd', 'kwok']) {
      mkdirSync(join(copy, m), { recursive: true });
      for (const f of ['go.mod', 'go.sum']) writeFileSync(join(copy, m, f), `${m}/${f}\n`);
    }
    const before = cacheBinDir({ GITFED_CONTROLPLANE_CACHE: tmp }, copy);
    writeFileSync(join(copy, 'etcd', 'go.sum'), 'changed\n');
    expect(cacheBinDir({ GITFED_CONTROLPLANE_CACHE: tmp }, copy)).not.toBe(before);
  });

  it('is unknown without the Go modules (an installed package)', () => {
    expect(cacheBinDir({ GITFED_CONTROLPLANE_CACHE: tmp }, join(tmp, 'nothing-here'))).toBeUndefined();
  });
});

describe('findBinaries', () => {
  it('follows envtest order: TEST_ASSET_<NAME>, then KUBEBUILDER_ASSETS, then the cache', () => {
    const assets = join(tmp, 'assets');
    const single = join(tmp, 'single');
    fakeBinaries(assets, ['etcd', 'kube-apiserver', 'kubectl']);
    fakeBinaries(single, ['kube-apiserver']);
    const b = findBinaries(
      { KUBEBUILDER_ASSETS: assets, [assetVariable('kube-apiserver')]: join(single, 'kube-apiserver'), GITFED_CONTROLPLANE_CACHE: join(tmp, 'cache') },
      join(tmp, 'no-modules'),
    );
    expect(b.paths['kube-apiserver']).toBe(join(single, 'kube-apiserver'));
    expect(b.paths.etcd).toBe(join(assets, 'etcd'));
    expect(b.paths['kube-controller-manager']).toBeUndefined();
  });

  it('names the variable the envtest way', () => {
    expect(assetVariable('kube-apiserver')).toBe('TEST_ASSET_KUBE_APISERVER');
    expect(assetVariable('etcd')).toBe('TEST_ASSET_ETCD');
  });

  it('ignores files that are not executable', () => {
    const assets = join(tmp, 'assets');
    mkdirSync(assets);
    writeFileSync(join(assets, 'etcd'), 'not a program');
    expect(findBinaries({ KUBEBUILDER_ASSETS: assets }, join(tmp, 'none')).paths.etcd).toBeUndefined();
  });

  it('says how to get missing binaries', () => {
    const b = findBinaries({ KUBEBUILDER_ASSETS: join(tmp, 'empty') }, join(tmp, 'none'));
    expect(() => requireBinaries(b)).toThrow(DevError);
    expect(() => requireBinaries(b)).toThrow(/etcd, kube-apiserver not found.*build\.sh.*KUBEBUILDER_ASSETS/);
  });
});
