/** A real kube-apiserver as the KubeFed host or karmada-apiserver: upstream's CRDs installed, objects created with kubectl. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import { controlPlaneBinary, memberKubeconfig } from '../support/members.js';

export const CRDS = new URL('../../fixtures/upstream-crds/', import.meta.url).pathname;

export function kubectl(context: string, args: readonly string[], input?: string): string {
  return execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', memberKubeconfig(), '--context', context, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Installs CRD files and waits until every one of them is Established. */
export function installCrds(context: string, files: readonly string[]): void {
  for (const f of files) kubectl(context, ['apply', '--server-side', '--force-conflicts', '-f', join(CRDS, f)]);
  kubectl(context, ['wait', '--for', 'condition=Established', '--timeout', '60s', 'crd', '--all']);
}

export const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `gitfed-import-${prefix}-`));

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [relative(dir, join(d, e.name))]));
  return walk(dir).sort();
}

export const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

const GOLDEN = new URL('../../golden/import/', import.meta.url).pathname;

/**
 * Golden files of an import: the files written under `dir` (those `keep` lets through), with the
 * run's own names (a random namespace, the members' contexts) replaced by placeholders, compared
 * one by one with test/golden/import/NAME/. Run with UPDATE_GOLDEN=1 to rewrite them from this
 * run instead, then review the change in git like any other.
 */
export function expectGolden(dir: string, name: string, placeholders: Readonly<Record<string, string>>, keep: (file: string) => boolean = () => true): void {
  const real = Object.keys(placeholders).sort((a, b) => b.length - a.length);
  const generic = (text: string) => real.reduce((t, r) => t.split(r).join(placeholders[r]!), text);
  const got = new Map(filesUnder(dir).filter(keep).map((f) => [generic(f), generic(read(dir, f))]));
  const golden = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    rmSync(golden, { recursive: true, force: true });
    for (const [f, text] of got) {
      mkdirSync(dirname(join(golden, f)), { recursive: true });
      writeFileSync(join(golden, f), text);
    }
    return;
  }
  expect([...got.keys()].sort(), `files of test/golden/import/${name} (UPDATE_GOLDEN=1 rewrites them)`).toEqual(filesUnder(golden));
  for (const [f, text] of got) expect(text, `test/golden/import/${name}/${f} (UPDATE_GOLDEN=1 rewrites it)`).toBe(read(golden, f));
}

interface LiveDiffJson {
  members: { cluster: string; error?: string; objects: { object: string; change: string; fields: FieldChange[] }[] }[];
}

interface FieldChange {
  path: string;
  op: string;
  to?: unknown;
}

/** gitfed's own ownership labels, which an apply adds when it takes an object over. */
const OWNERSHIP = /^\/metadata\/labels\/(gitfed\.io~1|applyset\.kubernetes\.io~1part-of$)/;
const OWNERSHIP_KEY = /^(gitfed\.io\/|applyset\.kubernetes\.io\/part-of$)/;

/** gitfed adding its labels: one by one, or as the whole map on an object that had none. */
function ownership(f: FieldChange): boolean {
  if (f.op !== 'add') return false;
  if (OWNERSHIP.test(f.path)) return true;
  return f.path === '/metadata/labels' && typeof f.to === 'object' && f.to !== null && Object.keys(f.to).every((k) => OWNERSHIP_KEY.test(k));
}

/**
 * `gitfed diff --live --format json` on the objects of namespace `ns`: per member the changes,
 * and every changed field that is not gitfed adding its ownership labels.
 */
export function liveChanges(json: string, ns: string): { members: unknown[]; beyondOwnership: unknown[] } {
  const result = JSON.parse(json) as LiveDiffJson;
  const ours = result.members.map((m) => ({ ...m, objects: m.objects.filter((o) => o.object.includes(ns)) }));
  return {
    members: ours.map((m) => [m.cluster, m.error, m.objects.map((o) => `${o.change} ${o.object}`).sort()]),
    beyondOwnership: ours.flatMap((m) => m.objects.flatMap((o) => o.fields.filter((f) => !ownership(f)).map((f) => `${m.cluster} ${o.object} ${f.op} ${f.path}`))),
  };
}
