/**
 * What a shell needs to complete gitfed, read from the commander program itself: the verbs, their
 * flags and arguments, and what kind of value each takes. The completion scripts are generated
 * from this, so a new verb or flag completes without anyone editing a script.
 */
import type { Argument, Command, Option } from 'commander';

/** What a flag or argument value is: a file or directory path, one of a few words, or anything. */
export type ValueKind = { readonly kind: 'file' } | { readonly kind: 'dir' } | { readonly kind: 'words'; readonly words: readonly string[] } | { readonly kind: 'any' };

export interface OptionSpec {
  /** `-n`, `--namespace`: short first. */
  readonly flags: readonly string[];
  readonly description: string;
  /** Absent for a flag that takes no value. */
  readonly value?: ValueKind;
}

export interface ArgSpec {
  readonly name: string;
  readonly variadic: boolean;
  readonly value: ValueKind;
}

export interface CommandSpec {
  /** The words that reach it: ['gitfed', 'dev', 'up']. */
  readonly path: readonly string[];
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly args: readonly ArgSpec[];
  readonly commands: readonly CommandSpec[];
}

/** `<file>`, `<dir|url>`, `<files...>` in a flag or argument name say what it wants; `a | b | c` in a description lists the words. */
function valueKind(placeholder: string, description: string, choices: readonly string[] | undefined): ValueKind {
  if (choices?.length) return { kind: 'words', words: choices };
  const listed = /^([a-z-]+(?: \| [a-z-]+)+)$/.exec(description.trim());
  if (listed) return { kind: 'words', words: listed[1]!.split(' | ') };
  if (/\bdir\b/.test(placeholder)) return { kind: 'dir' };
  if (/\bfiles?\b/.test(placeholder)) return { kind: 'file' };
  return { kind: 'any' };
}

function optionSpec(o: Option): OptionSpec {
  const flags = [o.short, o.long].filter((f): f is string => f !== undefined);
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? '';
  return { flags, description: o.description, ...(o.isBoolean() ? {} : { value: valueKind(placeholder, o.description, o.argChoices) }) };
}

function argSpec(a: Argument, siblings: readonly string[], isHelp: boolean): ArgSpec {
  // commander's own `help [command]`: its argument is one of the other verbs.
  const value = isHelp ? { kind: 'words' as const, words: siblings } : valueKind(a.name(), a.description, a.argChoices);
  return { name: a.name(), variadic: a.variadic, value };
}

/** `implicit`: commander's own `help [command]`, which is not among the parent's commands. */
export function commandSpec(cmd: Command, parentPath: readonly string[] = [], siblings: readonly string[] = [], implicit = false): CommandSpec {
  const help = cmd.createHelp();
  const path = [...parentPath, cmd.name()];
  const subs = help.visibleCommands(cmd);
  const subNames = subs.map((c) => c.name()).filter((n) => n !== 'help');
  return {
    path,
    description: cmd.description(),
    options: help.visibleOptions(cmd).map(optionSpec),
    // Not help.visibleArguments: it hides arguments that have no description.
    args: cmd.registeredArguments.map((a) => argSpec(a, siblings, implicit)),
    commands: subs.map((c) => commandSpec(c, path, subNames, !cmd.commands.includes(c))),
  };
}

/** Every command of the tree, the root first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.commands.flatMap(allCommands)];
}
