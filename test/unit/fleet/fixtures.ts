/** Temp fleet repos for the verbs' tests, built from inline files, and a render of one. */
import { mkdtemp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { onTestFinished } from 'vitest';
import { rm } from 'node:fs/promises';
import { renderFleet, type RenderResult } from '../../../src/render/render.js';
import { readWorkingTree } from '../../../src/workspace/source.js';
import type { KubeObject } from '../../../src/object.js';

export async function makeFleet(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gitfed-fleet-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

export async function read(dir: string, path: string): Promise<string> {
  return readFile(join(dir, path), 'utf8');
}

/** Every file below `dir`, repo-relative, sorted: to see that a verb wrote nothing else (no temp files left). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  await walk(dir);
  return out.sort();
}

export async function renderDir(dir: string): Promise<RenderResult> {
  return renderFleet(await readWorkingTree(dir));
}

/** The object a cluster got, by kind and name. */
export function renderedOn(result: RenderResult, cluster: string, kind: string, name: string): KubeObject | undefined {
  return result.rendered.find((r) => r.cluster === cluster && r.obj.kind === kind && r.obj.metadata.name === name)?.obj;
}

export const CLUSTERS = {
  'clusters/eu.yaml': `# Europe
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: eu
  labels:
    region: eu
spec:
  syncMode: Push
`,
  'clusters/us.yaml': `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: us
  namespace: kube-federation-system
  labels:
    region: us
`,
};

/** The error a promise rejects with. */
export async function errorOf(p: Promise<unknown>): Promise<{ code: string; file?: string; line?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; file?: string; line?: number; message: string };
  }
  throw new Error('expected a rejection');
}
