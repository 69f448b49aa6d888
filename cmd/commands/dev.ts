/** `gitfed dev up|down|status`: real member control planes on this machine, for tests and demos. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { DevError } from '../../src/errors.js';
import type { FleetKind, MemberStatus } from '../../src/dev/index.js';
import { paintFor, paintStates } from '../colour.js';
import { textTable } from '../../src/format/table.js';
import { checkFormat } from './kubefedctl.js';

const dev = () => import('../../src/dev/index.js');

const DEFAULT_KUBECONFIG = '.gitfed-dev/kubeconfig';

interface UpFlags {
  members: string;
  names?: string;
  kubeconfig: string;
  fleet?: string;
  fleetKind: string;
  workloads: string;
  timeout?: string;
  force?: boolean;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new DevError('InvalidFlag', `${flag} wants a positive whole number, not "${text}"`);
  return n;
}

function fleetKind(text: string): FleetKind {
  if (text !== 'karmada' && text !== 'kubefed') throw new DevError('InvalidFlag', `--fleet-kind is karmada or kubefed, not "${text}"`);
  return text;
}

/** `--workloads`: all (the default), none, or member names. */
function workloadsFlag(text: string, parseNames: (text: string) => string[]): string[] | undefined {
  if (text === 'all') return undefined;
  if (text === 'none') return [];
  return parseNames(text);
}

const notRunning = (kubeconfig: string) =>
  new DevError('NotRunning', `no members belong to ${resolve(kubeconfig)}`, { hint: `start them with: gitfed dev up --kubeconfig ${kubeconfig}; gitfed dev status lists every set` });

async function setOf(kubeconfig: string): Promise<MemberStatus[]> {
  const { readState, setStatus, stateDirFor } = await dev();
  const state = readState(stateDirFor(kubeconfig));
  if (!state) throw notRunning(kubeconfig);
  return setStatus(state);
}

/** dev up's progress lines, with its warnings in colour on a terminal. */
function log(line: string): void {
  const p = paintFor(process.stderr);
  process.stderr.write(`${line.replace(/^warning:/, (w) => p.bold(p.yellow(w)))}\n`);
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
    .option('--workloads <a,b|all|none>', 'members that also run kube-scheduler and kwok, so pods run and Deployments roll out (about 125 MiB each)', 'all')
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
        workloads: workloadsFlag(f.workloads, parseNames),
        fleet: f.fleet ? { dir: f.fleet, kind: fleetKind(f.fleetKind) } : undefined,
        startTimeoutMs: f.timeout ? positiveInt(f.timeout, '--timeout') * 1000 : undefined,
        force: f.force,
        log,
      });
      const rows = state.members.map((m) => [m.name, m.server, m.workloads ? 'yes' : 'no']);
      process.stdout.write(textTable(['CONTEXT', 'SERVER', 'WORKLOADS'], rows) + '\n');
      const idle = state.members.filter((m) => !m.workloads).map((m) => m.name);
      if (idle.length) log(`warning: ${idle.join(', ')} ${idle.length === 1 ? 'runs' : 'run'} no kube-scheduler or kwok: pods there stay Pending and Deployments Progressing (see --workloads)`);
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
        if (!f.all) throw notRunning(f.kubeconfig);
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
    .description('list the members on this machine (or of one kubeconfig) and whether their processes run')
    .option('--kubeconfig <file>', 'only the members this kubeconfig (written by `dev up`) belongs to')
    .option('--format <format>', 'text | json', 'text')
    .action(async (f: { format: string; kubeconfig?: string }) => {
      const format = checkFormat(f.format);
      const all = f.kubeconfig ? await setOf(f.kubeconfig) : (await dev()).status();
      if (format === 'json') {
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
      process.stdout.write(paintStates(textTable(['KUBECONFIG', 'MEMBER', 'SERVER', 'STATE', 'PROCESSES', 'MEMORY'], rows), paintFor(process.stdout)) + '\n');
    });
}
