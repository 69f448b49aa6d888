/** A fleet repo in git beside members of our own: the gitfed verbs the state tests run, and what they read back. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { controlPlaneBinary } from '../support/members.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };

export interface Harness {
  git(...args: string[]): Promise<string>;
  kubectl(member: string, args: string[], input?: string): Promise<string>;
  gitfed(...args: string[]): Promise<string>;
  observe(): Promise<string>;
  renderCommit(): Promise<string>;
  apply(): ReturnType<typeof runGitfed>;
  stateSubjects(): Promise<string[]>;
  /** The replicas of shop/web on the rendered branch for `cluster`, undefined when it gets none. */
  rendered(cluster: string): Promise<number | undefined>;
  deployment(member: string): Promise<{ replicas: number; ready: number }>;
}

export function harness(o: { dir: () => string; repo: () => string; kubeconfig: () => string; dwell: number }): Harness {
  const h: Harness = {
    git: async (...args) => (await run('git', args, { cwd: o.repo(), env })).stdout.trim(),
    kubectl: async (member, args, input) => {
      const p = run(controlPlaneBinary('kubectl'), ['--kubeconfig', o.kubeconfig(), '--context', member, ...args]);
      if (input !== undefined) p.child.stdin!.end(input);
      return (await p).stdout;
    },
    gitfed: async (...args) => {
      const r = await runGitfed(args);
      expect(r.code, `gitfed ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r.stdout;
    },
    observe: () => h.gitfed('observe', '--repo', o.repo(), '--kubeconfig', o.kubeconfig(), '--dwell', String(o.dwell)),
    renderCommit: () => h.gitfed('render', '--commit', '--repo', o.repo(), '--state', 'fleet-state'),
    // From the test's own directory: apply keeps its status file under the working directory.
    apply: () => runGitfed(['apply', '--repo', o.repo(), '--branch', 'rendered', '--kubeconfig', o.kubeconfig()], { cwd: o.dir() }),
    stateSubjects: async () => (await h.git('log', '--format=%s', 'fleet-state')).split('\n'),
    rendered: async (cluster) => {
      const files = (await h.git('ls-tree', '-r', '--name-only', 'rendered')).split('\n');
      const web = files.find((f) => f.startsWith(`clusters/${cluster}/`) && /deployments?.*web/.test(f));
      return web === undefined ? undefined : Number(/replicas: (\d+)/.exec(await h.git('show', `rendered:${web}`))![1]);
    },
    deployment: async (member) => {
      const d = JSON.parse(await h.kubectl(member, ['get', 'deployment', 'web', '-n', 'shop', '-o', 'json']));
      return { replicas: d.spec.replicas ?? 0, ready: d.status.readyReplicas ?? 0 };
    },
  };
  return h;
}
