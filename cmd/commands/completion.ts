/** `gitfed completion bash|zsh|fish`: a completion script for the shell, generated from the commands themselves. */
import { Argument, type Command } from 'commander';
import { bashCompletion } from '../completion/bash.js';
import { fishCompletion } from '../completion/fish.js';
import { commandSpec } from '../completion/spec.js';
import { zshCompletion } from '../completion/zsh.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

/** Only this verb was loaded to run it; the script needs all of them. */
async function registerAll(program: Command): Promise<void> {
  const { verbs } = await import('./index.js');
  for (const [name, load] of Object.entries(verbs)) {
    if (!program.commands.some((c) => c.name() === name)) (await load()).register(program);
  }
}

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script for gitfed: its commands, flags and their values')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SHELLS)))
    .addHelpText('after', [
      '',
      'Examples:',
      '  source <(gitfed completion bash)                     # in ~/.bashrc',
      '  source <(gitfed completion zsh)                      # in ~/.zshrc, after compinit',
      '  gitfed completion fish > ~/.config/fish/completions/gitfed.fish',
      '',
    ].join('\n'))
    .action(async (shell: keyof typeof SHELLS) => {
      await registerAll(program);
      process.stdout.write(SHELLS[shell](commandSpec(program)));
    });
}
