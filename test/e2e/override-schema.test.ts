/**
 * Override checks proven against a real API server: for each case, the object one cluster gets
 * once a Karmada override rule has written to it goes to `kubectl apply --dry-run=server
 * --validate=strict`, and the fleet with that rule goes through gitfed's render. The server
 * refuses exactly the objects whose rule gitfed refuses, and gitfed names the rule's line.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderErrors } from '../../src/errors.js';
import { renderFleet } from '../../src/render/render.js';
import { kubectlWithNamespace } from './support/kubectl.js';

const run = promisify(execFile);
const NS = 'override-schema';
let kubectl: string;
let kc: string[];
let scratch: string;

const CONTAINER = '      - name: web\n        image: web:1\n';
const deployment = (spec = '', container = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${NS}}\nspec:\n  replicas: 2\n${spec}  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n${CONTAINER}${container}`;

/** [case, the rule's plaintext overrider, the object it makes, whether the server takes it]. */
const CASES: readonly (readonly [string, string, string, boolean])[] = [
  ['unknown field', '{path: /spec/minReadySecond, operator: add, value: 10}', deployment('  minReadySecond: 10\n'), false],
  ['known field', '{path: /spec/minReadySeconds, operator: add, value: 10}', deployment('  minReadySeconds: 10\n'), true],
  ['list for a string', '{path: /spec/template/spec/containers/0/imagePullPolicy, operator: add, value: [Always]}', deployment('', '        imagePullPolicy: [Always]\n'), false],
  ['string for a string', '{path: /spec/template/spec/containers/0/imagePullPolicy, operator: add, value: Always}', deployment('', '        imagePullPolicy: Always\n'), true],
  ['string for an integer', '{path: /spec/revisionHistoryLimit, operator: add, value: "3"}', deployment('  revisionHistoryLimit: "3"\n'), false],
  ['a mapping for a quantity', '{path: /spec/template/spec/containers/0/resources, operator: add, value: {limits: {cpu: {m: 5}}}}', deployment('', '        resources: {limits: {cpu: {m: 5}}}\n'), false],
  ['a quantity', '{path: /spec/template/spec/containers/0/resources, operator: add, value: {limits: {cpu: 500m}}}', deployment('', '        resources: {limits: {cpu: 500m}}\n'), true],
];

function fleet(overrider: string): Map<string, string> {
  return new Map([
    ['clusters.yaml', 'apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: a}\n'],
    ['ns.yaml', `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS}}\n`],
    ['web.yaml', deployment()],
    ['p.yaml', 'apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: all}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}, {apiVersion: v1, kind: Namespace}]\n  placement: {clusterAffinity: {clusterNames: [a]}}\n'],
    ['o.yaml', `apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: tune, namespace: ${NS}}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n  overrideRules:\n  - targetCluster: {clusterNames: [a]}\n    overriders:\n      plaintext: [${overrider}]\n`],
  ]);
}

function gitfedErrors(overrider: string): string[] {
  try {
    renderFleet(fleet(overrider));
    return [];
  } catch (err) {
    if (!(err instanceof RenderErrors)) throw err;
    return err.errors.map((e) => `${e.file}:${e.line} ${e.cluster} [${e.code}] ${e.message}`);
  }
}

beforeAll(async () => {
  ({ kubectl, kc, scratch } = await kubectlWithNamespace('gitfed-override-schema-', NS));
});

afterAll(async () => {
  if (kc) await run(kubectl, [...kc, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=false']).catch(() => undefined);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('overridden objects against a real API server (kubectl apply --dry-run=server --validate=strict)', () => {
  it.each(CASES.map((c) => [c[0], c] as const))('%s', async (name, [, overrider, member, accepted]) => {
    const file = join(scratch, `${name.replaceAll(' ', '-')}.yaml`);
    await writeFile(file, member);
    const server = await run(kubectl, [...kc, 'apply', '--dry-run=server', '--validate=strict', '-f', file]).then(
      (r) => ({ accepted: true, said: r.stdout.trim() }),
      (e: { stderr?: string }) => ({ accepted: false, said: String(e.stderr).trim() }),
    );
    const gitfed = gitfedErrors(overrider);
    const shown = `server: ${server.said}\ngitfed: ${gitfed.join('\n') || 'accepted'}`;
    expect(server.accepted, shown).toBe(accepted);
    expect(gitfed.length === 0, shown).toBe(accepted);
    if (!accepted) expect(gitfed[0], shown).toMatch(/^o\.yaml:7 a \[(UnknownField|Schema)\] apps\/Deployment\/override-schema\/web on cluster a: OverridePolicy\/override-schema\/tune rule 0: /);
  });
});
