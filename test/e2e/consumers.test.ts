/**
 * The consumers are real: every rendered cluster directory of examples/fleet-repo is accepted by
 * kubectl, client-side as Argo CD and Flux would read it, and server-side by a real member. The
 * SOPS-encrypted Secret is first decrypted by the real sops with the demo key, as Flux's
 * Kustomization `decryption` does.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinaries } from '../../src/dev/binaries.js';
import { branchFiles } from '../../src/git/metadata.js';
import { previewFiles, writePreview } from '../../src/workspace/preview.js';
import { renderFleet } from '../../src/render/render.js';
import { readWorkingTree } from '../../src/workspace/source.js';
import { memberKubeconfig, memberNames } from './support/members.js';
import { sopsDecrypt } from '../support/sops.js';

const run = promisify(execFile);
const example = new URL('../../examples/fleet-repo/', import.meta.url).pathname;
let out: string;
let clusters: string[];
let kubectl: string;
/** The files that were encrypted on the branch. */
const decrypted: string[] = [];
const createdNamespaces = new Set<string>();

beforeAll(async () => {
  const found = findBinaries().paths.kubectl;
  if (!found) throw new Error('kubectl not found: run .ci/controlplane.sh or set KUBEBUILDER_ASSETS');
  kubectl = found;
  const result = renderFleet(await readWorkingTree(example));
  out = join(await mkdtemp(join(tmpdir(), 'gitfed-consumers-')), 'rendered');
  await writePreview(out, previewFiles(result.branches, (b) => branchFiles(b, { repo: '.', commit: 'test' }, 'test')));
  clusters = (await readdir(join(out, 'clusters'))).sort();
  const demoKey = (await readFile(new URL('../../examples/demo-age-key.txt', import.meta.url), 'utf8')).split('\n').filter((l) => l.startsWith('AGE-SECRET-KEY-'));
  for (const e of await readdir(out, { withFileTypes: true, recursive: true })) {
    const file = join(e.parentPath, e.name);
    if (!e.isFile() || !/^sops:/m.test(await readFile(file, 'utf8'))) continue;
    decrypted.push(file);
    await writeFile(file, sopsDecrypt(await readFile(file, 'utf8'), demoKey));
  }
});

// The members are shared by the whole run, and other files apply the same example: leave the
// member as found, waiting until the namespaces are really gone.
afterAll(async () => {
  const member = memberNames()[0]!;
  for (const ns of createdNamespaces) {
    await run(kubectl, ['--kubeconfig', memberKubeconfig(), '--context', member, 'delete', 'namespace', ns, '--ignore-not-found', '--timeout=120s']).catch(() => undefined);
  }
});

/** A namespace another test deleted may still be Terminating: wait until it is gone. */
async function settleNamespace(kc: string[], ns: string): Promise<void> {
  const phase = await run(kubectl, [...kc, 'get', 'namespace', ns, '-o', 'jsonpath={.status.phase}', '--ignore-not-found']).then((r) => r.stdout.trim());
  if (phase === 'Terminating') await run(kubectl, [...kc, 'wait', '--for=delete', `namespace/${ns}`, '--timeout=120s']);
}

describe('rendered directories of examples/fleet-repo', () => {
  it('has the four clusters, and its one Secret encrypted', () => {
    expect(clusters).toEqual(['burst-1', 'cloud-eu-1', 'cloud-us-1', 'onprem-dc1']);
    expect(decrypted.map((f) => f.slice(out.length + 1))).toEqual(['clusters/onprem-dc1/patients/secret-records-db.yaml']);
  });

  it('each passes kubectl apply --dry-run=client -R -f, object for object', async () => {
    // Client-side still asks the server which resources exist (discovery), as Argo CD does.
    const kc = ['--kubeconfig', memberKubeconfig(), '--context', memberNames()[0]!];
    for (const c of clusters) {
      const dir = join(out, 'clusters', c);
      const { stdout } = await run(kubectl, [...kc, 'apply', '--dry-run=client', '-R', '-f', dir, '-o', 'name']);
      const files = await countYaml(dir);
      expect(stdout.trim().split('\n'), c).toHaveLength(files);
    }
  });

  it('each passes kubectl apply --dry-run=server on a real member', async () => {
    const member = memberNames()[0]!;
    const kc = ['--kubeconfig', memberKubeconfig(), '--context', member];
    for (const c of clusters) {
      const dir = join(out, 'clusters', c);
      // A dry-run creates nothing, so objects in a namespace the same dry-run "creates" would be
      // refused: create the directory's Namespaces for real first, exactly as an apply would.
      const nsFiles = (await readdir(join(dir, '_cluster'))).filter((f) => f.startsWith('namespace-'));
      for (const f of nsFiles) {
        const ns = f.replace(/^namespace-/, '').replace(/\.yaml$/, '');
        await settleNamespace(kc, ns);
        await run(kubectl, [...kc, 'apply', '--server-side', '--field-manager', 'gitfed-e2e', '-f', join(dir, '_cluster', f)]);
        createdNamespaces.add(ns);
      }
      const { stdout } = await run(kubectl, [...kc, 'apply', '--dry-run=server', '--server-side', '--field-manager', 'gitfed-e2e', '-R', '-f', dir, '-o', 'name']);
      expect(stdout.trim().split('\n'), c).toHaveLength(await countYaml(dir));
    }
  });
});

async function countYaml(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.yaml')) n++;
  return n;
}
