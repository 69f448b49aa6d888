/**
 * Shared pieces of the apply e2e tests: branch directories and git branches built from
 * objects, an admin client per member for assertions, and a one-call apply with overrides.
 * Each test file uses its own namespace prefix; the members are shared by the whole run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { applyBranch } from '../../../src/apply/apply-branch.js';
import { publish } from '../../../src/publish.js';
import { DEFAULT_CONFIG, type ApplyConfig } from '../../../src/apply/config.js';
import { fleetOfBranch, type FleetIdentity } from '../../../src/apply/fleet.js';
import { decodeInventory, inventoryRef } from '../../../src/apply/member/inventory.js';
import { KubeClient } from '../../../src/apply/member/kube-client.js';
import type { MemberSession } from '../../../src/apply/member/member-session.js';
import type { ObjectRef } from '../../../src/object.js';
import { DEFAULT_BRANCH, METADATA_SCHEMA } from '../../../src/git/layout.js';
import { refKey } from '../../../src/object.js';
import type { PropagationReport } from '../../../src/apply/status/report.js';
import type { KubeObject } from '../../../src/object.js';
import { memberKubeConfig, memberKubeconfig, memberNames } from '../support/members.js';

export { memberKubeconfig, memberNames };

export const uniq = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export const tmpDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `gitfed-apply-${prefix}-`));

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function configMap(ns: string, name: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) }, data };
}

export function deployment(ns: string, name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1', resources: { limits: { cpu: '0.5' } } }] } },
    },
  };
}

/** Branch-relative file name for an object, one object per file as render writes them. */
export function fileOf(cluster: string, o: KubeObject): string {
  return `clusters/${cluster}/${o.metadata.namespace ?? '_cluster'}/${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
}

export type Fleet = Record<string, readonly KubeObject[]>;

function fleetFiles(fleet: Fleet, source = 'e2e'): Map<string, string> {
  const files = new Map<string, string>();
  const clusters = Object.keys(fleet).sort();
  for (const c of clusters) for (const o of fleet[c] ?? []) files.set(fileOf(c, o), yaml.dump(o, { sortKeys: true }));
  const metadata = { schema: METADATA_SCHEMA, branch: DEFAULT_BRANCH, source: { repo: 'e2e', commit: source }, gitfed: { version: '0' }, clusters: clusters.map((c) => ({ name: c, dir: `clusters/${c}`, objects: fleet[c]?.length ?? 0, digest: 'e2e' })) };
  files.set('gitfed.metadata', JSON.stringify(metadata, null, 2) + '\n');
  return files;
}

/** Writes a directory with the branch layout (replacing what was there). */
export function writeBranchDir(dir: string, fleet: Fleet, extra: Record<string, string> = {}): string {
  for (const e of fs.readdirSync(dir)) if (e !== '.git') fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  const files = fleetFiles(fleet);
  for (const [p, c] of Object.entries(extra)) files.set(p, c);
  for (const [p, c] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), c);
  }
  return dir;
}

/** A git repository whose `rendered` branch gets one commit per call of commit(). */
export function gitBranch(): { dir: string; commit: (fleet: Fleet, message: string) => string } {
  const dir = tmpDir('repo');
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com' } }).trim();
  git('init', '-q', '-b', 'rendered');
  return {
    dir,
    commit: (fleet, message) => {
      writeBranchDir(dir, fleet);
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}

/**
 * A fleet repo as a user makes one: a git repository with one Karmada Cluster per member and
 * the given objects in Karmada style (each namespace's ConfigMaps and Deployments placed on the
 * members by a PropagationPolicy), rendered into its `rendered` branch by gitfed's own publish.
 */
export function fleetRepo(members: readonly string[]): { dir: string; commit: (objects: readonly KubeObject[], message: string, gitfedYaml?: string) => Promise<{ fleet: string; head: string }> } {
  const dir = tmpDir('fleet');
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com' } }).trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    commit: async (objects, message, gitfedYaml) => {
      for (const e of fs.readdirSync(dir)) if (e !== '.git') fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      const docs: KubeObject[] = members.map((m) => ({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: m } }));
      docs.push(...objects);
      for (const ns of new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))) {
        docs.push({
          apiVersion: 'policy.karmada.io/v1alpha1',
          kind: 'PropagationPolicy',
          metadata: { name: 'everything', namespace: ns },
          spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'apps/v1', kind: 'Deployment' }], placement: { clusterAffinity: { clusterNames: [...members] } } },
        });
      }
      fs.writeFileSync(path.join(dir, 'fleet.yaml'), docs.map((d) => yaml.dump(d, { sortKeys: true })).join('---\n'));
      if (gitfedYaml !== undefined) fs.writeFileSync(path.join(dir, 'gitfed.yaml'), gitfedYaml);
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      const r = await publish({ repo: dir });
      return { fleet: r.fleet, head: r.commit.branches[0]!.head };
    },
  };
}

/** The same objects for every member. */
export function everywhere(objects: readonly KubeObject[], members = memberNames()): Fleet {
  return Object.fromEntries(members.map((m) => [m, objects]));
}

const admins = new Map<string, Promise<KubeClient>>();

/** A client with the member's admin credentials, for the tests' own reads and writes. */
export function admin(member: string): Promise<KubeClient> {
  let c = admins.get(member);
  if (!c) admins.set(member, (c = KubeClient.connect(memberKubeConfig(member), member, member, { concurrency: 8 })));
  return c;
}

export function ref(o: KubeObject): ObjectRef {
  const [g, v] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return { group: g ?? '', version: v ?? '', kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name };
}

export async function live(member: string, o: KubeObject): Promise<KubeObject | undefined> {
  return (await admin(member)).get(ref(o));
}

/** The fleet of the branches written here: their metadata names the repository `e2e` and no fleet. */
export const E2E_FLEET = fleetOfBranch({ sourceRepo: 'e2e' });

export async function inventoryKeys(member: string, fleet: FleetIdentity = E2E_FLEET): Promise<string[]> {
  const cm = await (await admin(member)).get(inventoryRef(fleet.inventory));
  return cm ? decodeInventory(cm, member).objects.map(refKey) : [];
}

export function config(over: Partial<ApplyConfig> = {}): ApplyConfig {
  return { ...DEFAULT_CONFIG, requestTimeoutSeconds: 5, ...over };
}

export async function apply(dir: string, over: Partial<ApplyConfig> = {}, extra: { sessions?: Map<string, MemberSession>; stateFile?: string | null; clusters?: string[] } = {}): Promise<PropagationReport> {
  return applyBranch({ repo: dir, kubeconfig: memberKubeconfig(), config: config(over), stateFile: extra.stateFile ?? null, sessions: extra.sessions, clusters: extra.clusters });
}

export function member(report: PropagationReport, name: string) {
  const m = report.members.find((x) => x.cluster === name);
  if (!m) throw new Error(`no member ${name} in the report`);
  return m;
}

export function objectLine(report: PropagationReport, cluster: string, object: string) {
  const o = member(report, cluster).objects.find((x) => x.object === object);
  if (!o) throw new Error(`no ${object} for ${cluster} in the report: ${member(report, cluster).objects.map((x) => x.object).join(', ')}`);
  return o;
}

/** Polls until `probe` returns a value; the test's timeout bounds the whole. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many ConfigMaps of a namespace a member has (one small LIST). */
export async function countConfigMaps(memberName: string, ns: string): Promise<number> {
  const { body } = await (await admin(memberName)).request<{ items: unknown[] }>('GET', `/api/v1/namespaces/${ns}/configmaps`, { query: { labelSelector: 'gitfed.io/managed-by=gitfed' } });
  return body.items.length;
}

export function manyConfigMaps(ns: string, n: number): KubeObject[] {
  return Array.from({ length: n }, (_, i) => configMap(ns, `cm-${String(i).padStart(4, '0')}`, { i: String(i) }));
}

export function dataOf(o: KubeObject | undefined): Record<string, string> {
  return (o?.data ?? {}) as Record<string, string>;
}

/**
 * The built CLI, rebuilt first when src/ or cmd/ has a newer file than it, so a test
 * that runs the CLI never runs yesterday's code.
 */
export function builtCli(): string {
  const cli = path.resolve('dist/cmd/gitfed.js');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const stale = !fs.existsSync(cli) || Math.max(newest(path.resolve('src')), newest(path.resolve('cmd'))) > fs.statSync(cli).mtimeMs;
  if (stale) {
    try {
      execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    } catch {
      // tsc still writes its output when another module has a type error; the file check decides.
    }
  }
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing and npm run build did not produce it`);
  return cli;
}
