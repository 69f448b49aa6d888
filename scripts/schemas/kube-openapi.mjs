#!/usr/bin/env node
/**
 * Regenerates src/render/schema/kubernetes.json: the OpenAPI v3 schemas of every kind the pinned
 * Kubernetes serves, as its own kube-apiserver publishes them (/openapi/v3), reduced to what
 * validation reads (descriptions, defaults and merge hints go).
 *
 *   npm run build && node scripts/schemas/kube-openapi.mjs [--kubeconfig FILE --context NAME]
 *
 * Without --kubeconfig it starts a member of its own with `gitfed dev up` (the control-plane
 * binaries of test/controlplane, the Kubernetes version gitfed pins), reads it, and stops it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reduce } from './reduce.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cmd/gitfed.js');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));

const binDir = execFileSync('bash', [join(ROOT, 'test/controlplane/build.sh'), '--print-bin-dir'], { encoding: 'utf8' }).trim();
const kubectl = join(binDir, 'kubectl');

let scratch;
let kubeconfig = args.kubeconfig;
let context = args.context;
if (!kubeconfig) {
  scratch = mkdtempSync(join(tmpdir(), 'gitfed-openapi-'));
  kubeconfig = join(scratch, 'kubeconfig');
  context = 'openapi-source';
  execFileSync('node', [CLI, 'dev', 'up', '--names', context, '--workloads', 'none', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const get = (path) => JSON.parse(execFileSync(kubectl, ['--kubeconfig', kubeconfig, ...(context ? ['--context', context] : []), 'get', '--raw', path], { encoding: 'utf8', maxBuffer: 1 << 28 }));

try {
  const version = get('/version').gitVersion;
  const schemas = {};
  const kinds = {};
  for (const path of Object.keys(get('/openapi/v3').paths).sort()) {
    if (!/^(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path)) continue;
    const doc = get(`/openapi/v3/${path}`);
    for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) {
      schemas[name] = reduce(s);
      for (const gvk of s['x-kubernetes-group-version-kind'] ?? []) {
        if (gvk.kind.endsWith('List') || ['WatchEvent', 'DeleteOptions', 'Status', 'APIResourceList', 'APIGroup', 'APIGroupList', 'APIVersions'].includes(gvk.kind)) continue;
        // Only the group-version of this document: meta types carry every group's GVKs.
        if (`${gvk.group ? `apis/${gvk.group}` : 'api'}/${gvk.version}` !== path) continue;
        kinds[`${gvk.group}/${gvk.version}/${gvk.kind}`] = name;
      }
    }
  }
  // Keep what the kinds reach, nothing else.
  const keep = new Set();
  const visit = (s) => {
    if (Array.isArray(s)) return s.forEach(visit);
    if (s === null || typeof s !== 'object') return;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/components/schemas/', '');
      if (!keep.has(name)) {
        keep.add(name);
        visit(schemas[name]);
      }
    }
    for (const v of Object.values(s)) visit(v);
  };
  for (const name of Object.values(kinds)) {
    keep.add(name);
    visit(schemas[name]);
  }
  const out = {
    kubernetes: version,
    source: 'kube-apiserver /openapi/v3 (scripts/schemas/kube-openapi.mjs)',
    kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1))),
    schemas: Object.fromEntries([...keep].sort().map((n) => [n, schemas[n]])),
  };
  const target = join(ROOT, 'src/render/schema/kubernetes.json');
  writeFileSync(target, JSON.stringify(out) + '\n');
  console.log(`wrote ${target}: Kubernetes ${version}, ${Object.keys(out.kinds).length} kinds, ${keep.size} schemas`);
} finally {
  if (scratch) {
    execFileSync('node', [CLI, 'dev', 'down', '--kubeconfig', kubeconfig], { stdio: 'ignore' });
    rmSync(scratch, { recursive: true, force: true });
  }
}
