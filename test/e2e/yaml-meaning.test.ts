/**
 * gitfed reads YAML as kubectl does, proven against the real kubectl: every document of
 * test/corpus/yaml-meaning is read by gitfed's exported loader (decodeFleetFile, loadFile) and by
 * `kubectl create --dry-run=client -o json -f` against a member that serves the Probe CRD (its
 * schema keeps any value), and the two are compared value for value, as JSON.
 *
 * - same/: both read the document; every value, key and type must agree.
 * - refused/: kubectl refuses the document; so must gitfed, naming file and line.
 * - stricter/: kubectl reads it, gitfed refuses it on purpose (each file says why); kubectl's
 *   acceptance is asserted too, so a change on either side shows here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinaries } from '../../src/dev/binaries.js';
import { GitfedError } from '../../src/errors.js';
import { decodeFleetFile, loadFile } from '../../src/index.js';
import { memberKubeconfig, memberNames } from './support/members.js';

const run = promisify(execFile);
const CORPUS = new URL('../corpus/yaml-meaning/', import.meta.url).pathname;
const CRD = 'probes.yaml-meaning.gitfed.io';

let kubectl: string;
let kc: string[];
let scratch: string;

beforeAll(async () => {
  const found = findBinaries().paths.kubectl;
  if (!found) throw new Error('kubectl not found: run .ci/controlplane.sh or set KUBEBUILDER_ASSETS');
  kubectl = found;
  scratch = await mkdtemp(join(tmpdir(), 'gitfed-yaml-meaning-'));
  // A cache of our own: discovery must see the CRD, and a user's cache must not be touched.
  kc = ['--kubeconfig', memberKubeconfig(), '--context', memberNames()[0]!, '--cache-dir', join(scratch, 'cache')];
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD },
    spec: {
      group: 'yaml-meaning.gitfed.io',
      scope: 'Cluster',
      names: { kind: 'Probe', plural: 'probes', singular: 'probe', listKind: 'ProbeList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
  await writeFile(join(scratch, 'crd.json'), JSON.stringify(crd));
  await run(kubectl, [...kc, 'apply', '-f', join(scratch, 'crd.json')]);
  await run(kubectl, [...kc, 'wait', '--for=condition=Established', `crd/${CRD}`, '--timeout=60s']);
});

afterAll(async () => {
  if (kc) await run(kubectl, [...kc, 'delete', 'crd', CRD, '--ignore-not-found', '--wait=false']).catch(() => undefined);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

type Read = { ok: true; value: Record<string, unknown> } | { ok: false; error: string; line?: number };

async function byKubectl(path: string): Promise<Read> {
  try {
    const { stdout } = await run(kubectl, [...kc, 'create', '--dry-run=client', '-o', 'json', '-f', path], { maxBuffer: 1 << 28 });
    return { ok: true, value: JSON.parse(stdout) as Record<string, unknown> };
  } catch (e) {
    return { ok: false, error: String((e as { stderr?: string }).stderr ?? e).trim() };
  }
}

/** What gitfed reads, as the JSON it would send: bytes through the same reader render uses. */
async function byGitfed(path: string, file: string): Promise<Read> {
  let text: string;
  try {
    text = decodeFleetFile(file, await readFile(path));
  } catch (e) {
    if (e instanceof GitfedError) return { ok: false, error: e.format(), line: e.line };
    throw e;
  }
  const r = loadFile(file, text);
  const first = r.errors[0];
  if (first) return { ok: false, error: first.format(), line: first.line };
  if (r.objects.length !== 1) return { ok: false, error: `${r.objects.length} objects` };
  return { ok: true, value: JSON.parse(JSON.stringify(r.objects[0]!.obj)) as Record<string, unknown> };
}

/** Every scalar value and every key under `v`. */
function scalars(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + scalars(x), 0);
  if (typeof v === 'object' && v !== null) return Object.values(v).reduce((n: number, x) => n + 1 + scalars(x), 0);
  return 1;
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(join(CORPUS, dir))).filter((f) => f.endsWith('.yaml')).sort();
}

const compared = new Map<string, number>();
const [same, refused, stricter] = await Promise.all([files('same'), files('refused'), files('stricter')]);

describe('same/: gitfed reads each value as kubectl does', () => {
  for (const f of same) {
    it(f, async () => {
      const path = join(CORPUS, 'same', f);
      const [kube, ours] = await Promise.all([byKubectl(path), byGitfed(path, f)]);
      if (!kube.ok) throw new Error(`kubectl refused ${f}: ${kube.error}`);
      if (!ours.ok) throw new Error(`gitfed refused ${f}: ${ours.error}`);
      expect(ours.value.spec).toEqual(kube.value.spec);
      expect(ours.value.metadata).toEqual(kube.value.metadata);
      compared.set(f, scalars(kube.value.spec));
    });
  }

  it('compared at least 60 scalars, in every file', () => {
    expect([...compared.values()].every((n) => n > 0)).toBe(true);
    expect([...compared.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60);
  });
});

describe('refused/: what kubectl refuses, gitfed refuses, naming file and line', () => {
  for (const f of refused) {
    it(f, async () => {
      const path = join(CORPUS, 'refused', f);
      const [kube, ours] = await Promise.all([byKubectl(path), byGitfed(path, f)]);
      expect(kube.ok, `kubectl read ${f}`).toBe(false);
      expect(ours.ok, `gitfed read ${f}`).toBe(false);
      if (!ours.ok) {
        expect(ours.error).toContain(`${f}:`);
        expect(ours.line).toBeGreaterThan(0);
      }
    });
  }
});

describe('stricter/: what gitfed refuses on purpose, though kubectl reads it', () => {
  for (const f of stricter) {
    it(f, async () => {
      const path = join(CORPUS, 'stricter', f);
      const [kube, ours] = await Promise.all([byKubectl(path), byGitfed(path, f)]);
      expect(kube.ok, kube.ok ? '' : kube.error).toBe(true);
      expect(ours.ok, `gitfed read ${f}`).toBe(false);
      if (!ours.ok) expect(ours.line).toBeGreaterThan(0);
    });
  }
});
