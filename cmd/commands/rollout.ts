/** `gitfed rollout status | resume | abort | promote`: the daemon's rollout, read and steered through its state file. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import type { RolloutState } from '../../src/rollout/planner.js';

interface Flags {
  repo: string;
  state?: string;
  format?: string;
}

/** The file the daemon keeps the rollout in: --state, else gitfed/rollout.json in --repo's git directory. */
async function fileOf(flags: Flags): Promise<string> {
  if (flags.state !== undefined) return flags.state;
  return (await import('../../src/rollout/gate.js')).rolloutFileFor(flags.repo);
}

export function register(program: Command): void {
  const rollout = program.command('rollout').description('show or steer the wave-by-wave rollout of the daemon (gitfed.yaml rollout:, docs/rollout.md)');
  const withState = (c: Command) =>
    c
      .option('--repo <dir|url>', 'the repository the daemon reads (its rollout is kept in its git directory)', '.')
      .option('--state <file>', "the rollout file (default: gitfed/rollout.json in the repository's git directory)");
  withState(rollout.command('status'))
    .description('per wave and member: revision, health, time left in soak, why halted')
    .option('--format <format>', 'table | json', 'table')
    .action(async (flags: Flags) => {
      const { formatRolloutStatus } = await import('../../src/rollout/status-table.js');
      const record = await load(await fileOf(flags));
      process.stdout.write(flags.format === 'json' ? JSON.stringify(record, null, 2) + '\n' : formatRolloutStatus(record));
    });
  withState(rollout.command('resume'))
    .description('clear a halt (or an abort): failures seen before now no longer count, timeouts start afresh')
    .action(async (flags: Flags) => edit(await fileOf(flags), async (s) => (await import('../../src/rollout/planner.js')).resume(s, Date.now()), 'resumed'));
  withState(rollout.command('abort'))
    .description('put every member back on the last good revision; nothing advances until resume or a new revision')
    .action(async (flags: Flags) => edit(await fileOf(flags), async (s) => (await import('../../src/rollout/planner.js')).abort(s), 'aborted'));
  withState(rollout.command('promote [wave]'))
    .description('open the manual gate of a wave (every waiting wave when none is named)')
    .action(async (wave: string | undefined, flags: Flags) => {
      const file = await fileOf(flags);
      const record = await load(file);
      const names = (record.waves ?? []).map((w) => w.name);
      if (wave !== undefined && !names.includes(wave)) throw new GitfedError('InvalidArgument', `no wave ${wave} in the rollout (waves: ${names.join(', ')})`, { file });
      const open = wave !== undefined ? [wave] : (record.waves ?? []).filter((w) => w.phase === 'AwaitingPromotion').map((w) => w.name);
      await edit(file, async (s) => ({ ...s, promoted: [...new Set([...s.promoted, ...open])] }), `promoted ${open.join(', ') || 'nothing (no wave awaits promotion)'}`);
    });
}

async function load(file: string) {
  const { readRolloutFile } = await import('../../src/rollout/gate.js');
  const record = readRolloutFile(file);
  if (!record?.rollout) throw new GitfedError('NoReport', `no rollout at ${file}`, { file, hint: 'run gitfed daemon --rollout <fleet dir> first, and give the same --repo (or point --state at its rollout file)' });
  return record;
}

async function edit(file: string, change: (s: RolloutState) => Promise<RolloutState> | RolloutState, what: string): Promise<void> {
  const { readRolloutFile, withRolloutLock, writeRolloutFile } = await import('../../src/rollout/gate.js');
  const record = await load(file);
  const next = await change(record.rollout!);
  // Under the daemon's lock, on the file as it is then: only the operator's fields change.
  const done = withRolloutLock(file, () => {
    const now = readRolloutFile(file);
    if (now?.rollout?.target !== record.rollout!.target) return false;
    // A halt the change cleared (resume) goes; one the daemon decided meanwhile stays.
    const { halted, ...rest } = now.rollout!;
    const keepHalt = halted && !(record.rollout!.halted && !next.halted);
    writeRolloutFile(file, { ...now, rollout: { ...rest, promoted: next.promoted, aborted: next.aborted ?? false, ...(next.resumedAt !== undefined ? { resumedAt: next.resumedAt } : {}), ...(keepHalt ? { halted } : {}) } });
    return true;
  });
  if (!done) throw new GitfedError('BranchMoved', `a new revision replaced the rollout of ${record.rollout!.target.slice(0, 7)} meanwhile; nothing was changed`, { file, hint: 'look at gitfed rollout status and decide again' });
  process.stdout.write(`rollout of ${record.rollout!.target.slice(0, 7)}: ${what}\n`);
}
