/**
 * Usage errors as the tools gitfed's users know print them: one line saying what was wrong, with
 * a suggestion when one is close (commander's edit distance), and where the help is; never the
 * whole help. Exit 2, as for every other error. With --format json, the same as a JSON error.
 */
import type { Command, CommanderError } from 'commander';
import type { ErrorCode } from '../src/errors.js';
import { paintFor } from './colour.js';
import { messageFormat } from './output.js';

const quote = (s: string) => `"${s}"`;

/** commander's `error: unknown command 'rendr'\n(Did you mean render?)` as one line with double quotes. */
export function usageMessage(raw: string): string {
  const [first = '', ...rest] = raw.replace(/^error: /, '').split('\n');
  const line = first.replace(/'([^']*)'/g, (_, s: string) => quote(s)).replace(/\.$/, '');
  const suggestion = /^\(Did you mean (one of )?(.+)\?\)$/.exec(rest.join(' ').trim());
  if (!suggestion) return line;
  return `${line}. Did you mean ${suggestion[1] ?? ''}${suggestion[2]!.split(', ').map(quote).join(', ')}?`;
}

function codeOf(err: CommanderError, message: string): ErrorCode {
  if (err.code === 'commander.unknownCommand') return 'UnknownCommand';
  if (err.code === 'commander.unknownOption') return 'UnknownFlag';
  return /^(option|required option|environment variable)\b/.test(message) ? 'InvalidFlag' : 'InvalidArgument';
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const QUIET_EXITS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

function onExit(err: CommanderError, cmd: Command): never {
  if (QUIET_EXITS.has(err.code)) process.exit(0);
  const message = usageMessage(err.message);
  const code = codeOf(err, message);
  const hint = `run "${commandPath(cmd)} --help" for ${code === 'UnknownCommand' ? 'the commands' : 'usage'}`;
  if (messageFormat() === 'json') {
    process.stderr.write(JSON.stringify({ error: { code, message, hint } }) + '\n');
  } else {
    const p = paintFor(process.stderr);
    process.stderr.write(`${p.bold(p.red('error:'))} ${message}\n  ${p.cyan('hint:')} ${hint}\n`);
  }
  process.exit(2);
}

/** Applies to `program` and every command registered on it so far: call after registering. */
export function conventionalUsageErrors(program: Command): void {
  const visit = (cmd: Command): void => {
    cmd.showHelpAfterError(false).showSuggestionAfterError(true);
    // commander prints its own message before exiting; onExit prints ours instead.
    cmd.configureOutput({ outputError: () => {} });
    cmd.exitOverride((err) => onExit(err, cmd));
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}
