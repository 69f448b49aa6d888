/** `gitfed rollout status | resume | abort | promote`: the daemon's rollout, read and steered through its state file. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import { DEFAULT_ROLLOUT_FILE } from '../../src/rollout/gate.js';
import type { RolloutState } from '../../src/rollout/planner.js';

interface Flags {
  state: string;
  format?: string;
}

export function register(program: Command): void {
  const rollout = program.command('rollout').description('show or steer the wave-by-wave rollout of the daemon (gitfed.yaml rollout:, docs/rollout.md)');
  const withState = (c: Command) => c.option('--state <file>', 'the rollout state file the daemon keeps', DEFAULT_ROLLOUT_FILE);
  withState(rollout.command('status'))
    .description('per wave and member: revision, health, time left in soak, why halted')
    .option('--format <format>', 'table | json', 'table')
    .action(async (flags: Flags) => {
      const { formatRolloutStatus } = await import('../../src/rollout/status-table.js');
      const record = await load(flags.state);
      process.stdout.write(flags.format === 'json' ? JSON.stringify(record, null, 2) + '\n' : formatRolloutStatus(record));
    });
  withState(rollout.command('resume'))
    .description('clear a halt (or an abort): failures seen before now no longer count, timeouts start afresh')
    .action(async (flags: Flags) => edit(flags.state, async (s) => (await import('../../src/rollout/planner.js')).resume(s, Date.now()), 'resumed'));
  withState(rollout.command('abort'))
    .description('put every member back on the last good revision; nothing advances until resume or a new revision')
    .action(async (flags: Flags) => edit(flags.state, async (s) => (await import('../../src/rollout/planner.js')).abort(s), 'aborted'));
  withState(rollout.command('promote [wave]'))
    .description('open the manual gate of a wave (every waiting wave when none is named)')
    .action(async (wave: string | undefined, flags: Flags) => {
      const record = await load(flags.state);
      const names = (record.waves ?? []).map((w) => w.name);
      if (wave !== undefined && !names.includes(wave)) throw new GitfedError('InvalidArgument', `no wave ${wave} in the rollout (waves: ${names.join(', ')})`, { file: flags.state });
      const open = wave !== undefined ? [wave] : (record.waves ?? []).filter((w) => w.phase === 'AwaitingPromotion').map((w) => w.name);
      await edit(flags.state, async (s) => ({ ...s, promoted: [...new Set([...s.promoted, ...open])] }), `promoted ${open.join(', ') || 'nothing (no wave awaits promotion)'}`);
    });
}

async function load(file: string) {
  const { readRolloutFile } = await import('../../src/rollout/gate.js');
  const record = readRolloutFile(file);
  if (!record?.rollout) throw new GitfedError('NoReport', `no rollout at ${file}`, { file, hint: 'run gitfed daemon --rollout <fleet dir> first (or point --state at its rollout file)' });
  return record;
}

async function edit(file: string, change: (s: RolloutState) => Promise<RolloutState> | RolloutState, what: string): Promise<void> {
  const { writeRolloutFile } = await import('../../src/rollout/gate.js');
  const record = await load(file);
  writeRolloutFile(file, { ...record, rollout: await change(record.rollout!) });
  process.stdout.write(`rollout of ${record.rollout!.target.slice(0, 7)}: ${what}\n`);
}
