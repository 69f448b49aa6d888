/** `gitfed dev up|down|status`: real member control planes on this machine, for tests and demos. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { DevError } from '../../src/errors.js';
import type { FleetKind } from '../../src/dev/index.js';
import { table } from '../output.js';

const dev = () => import('../../src/dev/index.js');

const DEFAULT_KUBECONFIG = '.gitfed-dev/kubeconfig';

interface UpFlags {
  members: string;
  names?: string;
  kubeconfig: string;
  fleet?: string;
  fleetKind: string;
  workloads?: string;
  timeout?: string;
  force?: boolean;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new DevError('BadFlag', `${flag} wants a positive whole number, not "${text}"`);
  return n;
}

function fleetKind(text: string): FleetKind {
  if (text !== 'karmada' && text !== 'kubefed') throw new DevError('BadFlag', `--fleet-kind is karmada or kubefed, not "${text}"`);
  return text;
}

const mib = (kib: number | undefined) => (kib === undefined ? '-' : `${Math.round(kib / 1024)} MiB`);

export function register(program: Command): void {
  const group = program
    .command('dev')
    .description('local member clusters: real etcd, kube-apiserver and controllers on loopback (see docs/controlplane.md)');

  group
    .command('up')
    .description('start one etcd and N members, wait until all are ready, write a kubeconfig with a context per member')
    .option('--members <n>', 'number of members', '3')
    .option('--names <a,b,c>', 'member names (default member1 … memberN); overrides --members')
    .option('--kubeconfig <file>', 'kubeconfig to write; it also names this set of members', DEFAULT_KUBECONFIG)
    .option('--workloads <a,b>', 'members that run kube-scheduler and kwok (default: the first)')
    .option('--fleet <dir>', 'register the members as clusters of this fleet repo (clusters/<name>.yaml)')
    .option('--fleet-kind <kind>', 'karmada (Cluster) or kubefed (KubeFedCluster)', 'karmada')
    .option('--timeout <seconds>', 'how long to wait for readiness (default 120)')
    .option('--force', 'replace a kubeconfig file that gitfed did not write')
    .addHelpText('after', '\nExamples:\n  gitfed dev up\n  gitfed dev up --names east,west --kubeconfig /tmp/two.yaml --fleet examples/fleet-repo\n')
    .action(async (f: UpFlags) => {
      const { parseNames, up } = await dev();
      const names = f.names ? parseNames(f.names) : undefined;
      const state = await up({
        kubeconfig: f.kubeconfig,
        names,
        members: positiveInt(f.members, '--members'),
        workloads: f.workloads ? parseNames(f.workloads) : undefined,
        fleet: f.fleet ? { dir: f.fleet, kind: fleetKind(f.fleetKind) } : undefined,
        startTimeoutMs: f.timeout ? positiveInt(f.timeout, '--timeout') * 1000 : undefined,
        force: f.force,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const rows = state.members.map((m) => [m.name, m.server, m.workloads ? 'yes' : 'no']);
      process.stdout.write(table(['CONTEXT', 'SERVER', 'WORKLOADS'], rows) + '\n');
      process.stdout.write(`\nexport KUBECONFIG=${state.kubeconfig}\n`);
    });

  group
    .command('down')
    .description('stop the members a kubeconfig belongs to and remove their state')
    .option('--kubeconfig <file>', 'the kubeconfig `dev up` wrote', DEFAULT_KUBECONFIG)
    .option('--all', 'stop every set of members of this user on this machine')
    .action(async (f: { kubeconfig: string; all?: boolean }) => {
      const { down, listStates, stopSet } = await dev();
      const results = f.all ? await Promise.all(listStates().map(stopSet)) : [await down(f.kubeconfig)];
      if (results.length === 0 || results[0] === undefined) {
        if (!f.all) throw new DevError('NotRunning', `no members belong to ${resolve(f.kubeconfig)}`);
        process.stderr.write('no members running\n');
        return;
      }
      for (const r of results) {
        if (!r) continue;
        const kc = r.removedKubeconfig ? 'removed' : 'kept (changed since up)';
        process.stderr.write(`stopped ${r.members.join(', ')}; kubeconfig ${r.kubeconfig} ${kc}\n`);
      }
    });

  group
    .command('status')
    .description('list the members on this machine and whether their processes run')
    .option('--format <format>', 'text | json', 'text')
    .action(async (f: { format: string }) => {
      const all = (await dev()).status();
      if (f.format === 'json') {
        process.stdout.write(JSON.stringify(all, null, 2) + '\n');
        return;
      }
      if (all.length === 0) {
        process.stdout.write('no members; start some with: gitfed dev up\n');
        return;
      }
      const rows = all.map((m) => [
        m.kubeconfig,
        m.name,
        m.server,
        m.state,
        m.components.map((c) => `${c.role}${c.running ? '' : ' (down)'}`).join(', '),
        mib(m.components.reduce<number | undefined>((sum, c) => (c.rssKiB === undefined ? sum : (sum ?? 0) + c.rssKiB), undefined)),
      ]);
      process.stdout.write(table(['KUBECONFIG', 'MEMBER', 'SERVER', 'STATE', 'PROCESSES', 'MEMORY'], rows) + '\n');
    });
}
