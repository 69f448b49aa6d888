#!/usr/bin/env node
/**
 * Regenerates src/render/schema/upstream-crds.json: the OpenAPI schemas of the upstream API kinds
 * gitfed interprets (Karmada's policies, KubeFed's type config, RSP and federated types), taken
 * from upstream's own CRDs, reduced to what a field check needs (descriptions and defaults go).
 *
 *   node scripts/schemas/upstream-crds.mjs --karmada <repo> --kubefed <repo> [--karmada-ref R] [--kubefed-ref R]
 *
 * <repo> is a clone or a bare mirror of karmada-io/karmada and kubernetes-retired/kubefed; files
 * are read with `git show <ref>:<path>`, so no checkout is needed. Run it when the pinned upstream
 * versions move, and commit the result with the refs it names.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reduce } from './reduce.mjs';
import jsyaml from 'js-yaml';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
if (!args.karmada || !args.kubefed) {
  console.error('usage: upstream-crds.mjs --karmada <repo> --kubefed <repo> [--karmada-ref R] [--kubefed-ref R]');
  process.exit(2);
}
const show = (repo, ref, path) => execFileSync('git', ['-C', repo, 'show', `${ref}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
const commitOf = (repo, ref) => execFileSync('git', ['-C', repo, 'rev-parse', ref], { encoding: 'utf8' }).trim();

const schemas = {};
function addCrds(text, only) {
  for (const crd of jsyaml.loadAll(text)) {
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const { group, names } = crd.spec;
    if (only && !only.includes(names.kind)) continue;
    for (const v of crd.spec.versions) {
      if (!v.schema?.openAPIV3Schema) continue;
      schemas[`${group}/${v.name}/${names.kind}`] = reduce(v.schema.openAPIV3Schema);
    }
  }
}

const karmadaRef = args['karmada-ref'] ?? 'HEAD';
const kubefedRef = args['kubefed-ref'] ?? 'HEAD';
for (const plural of ['propagationpolicies', 'clusterpropagationpolicies', 'overridepolicies', 'clusteroverridepolicies']) {
  addCrds(show(args.karmada, karmadaRef, `charts/karmada/_crds/bases/policy/policy.karmada.io_${plural}.yaml`));
}
addCrds(show(args.kubefed, kubefedRef, 'charts/kubefed/charts/controllermanager/crds/crds.yaml'), ['FederatedTypeConfig', 'ReplicaSchedulingPreference']);
// Every federated type shares one generated schema (kubefedctl enable, validation.go); retainReplicas
// is added to it only for targets with an int32 spec.replicas. FederatedConfigMap has none, FederatedDeployment has it.
addCrds(show(args.kubefed, kubefedRef, 'charts/kubefed/crds/crds.yaml'), ['FederatedConfigMap', 'FederatedDeployment']);

const out = {
  source: {
    karmada: { repo: 'https://github.com/karmada-io/karmada', commit: commitOf(args.karmada, karmadaRef), path: 'charts/karmada/_crds/bases/policy' },
    kubefed: { repo: 'https://github.com/kubernetes-retired/kubefed', commit: commitOf(args.kubefed, kubefedRef), path: 'charts/kubefed' },
  },
  schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))),
};
const target = join(dirname(fileURLToPath(import.meta.url)), '../../src/render/schema/upstream-crds.json');
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`wrote ${target}: ${Object.keys(schemas).join(', ')}`);
