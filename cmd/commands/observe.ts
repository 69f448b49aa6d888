/** `gitfed observe`: read the members once and commit what changed to the state branch. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import { textTable } from '../../src/format/table.js';

interface ObserveFlags {
  repo: string;
  ref: string;
  branch: string;
  kubeconfig?: string;
  dwell: string;
  band: string;
  format: 'table' | 'json';
}

/** A whole-number flag (`--dwell`, `--band`): also the daemon's. */
export function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new GitfedError('InvalidArgument', `${flag} must be a whole number of at least 0, not ${JSON.stringify(value)}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('observe')
    .description('read each member once (readiness, free capacity, each federated workload\'s replicas and how many more fit) and commit what changed to the state branch')
    .option('--repo <dir>', 'fleet repo (its inventory names the members; the state branch is committed here)', '.')
    .option('--ref <rev>', 'source revision whose inventory and workloads are observed', 'HEAD')
    .option('--branch <name>', 'state branch', 'fleet-state')
    .option('--kubeconfig <file>', 'kubeconfig with one context per member (default: $KUBECONFIG, ~/.kube/config)')
    .option('--dwell <seconds>', 'a change for the better (more room, ready again) is committed only once the member\'s document has stood this long', '60')
    .option('--band <replicas>', 'how many more replicas must fit before more room counts', '1')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', '\nExample:\n  gitfed observe --kubeconfig members.kubeconfig && gitfed render --commit --state fleet-state\n')
    .action(async (flags: ObserveFlags) => {
      const dwellSeconds = count('--dwell', flags.dwell);
      const band = count('--band', flags.band);
      const { observe } = await import('../../src/observe/observe.js');
      const r = await observe({ repo: flags.repo, ref: flags.ref, branch: flags.branch, dwellSeconds, band, ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}) });
      if (flags.format === 'json') {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return;
      }
      process.stdout.write(textTable(['MEMBER', 'READY', 'CHANGED', 'REQUESTS', 'ERROR'], r.members.map((m) => [m.cluster, m.ready ? 'yes' : 'no', m.committed ? 'yes' : 'no', m.requests, m.error ?? ''])) + '\n\n');
      process.stdout.write(r.committed ? `${r.branch} ${r.head!.slice(0, 12)}:\n${r.changes.map((c) => `  ${c}`).join('\n')}\n` : `${r.branch}: nothing changed that a decision uses\n`);
      if (r.held.length > 0) process.stdout.write(`waiting for the dwell time:\n${r.held.map((c) => `  ${c}`).join('\n')}\n`);
    });
}
