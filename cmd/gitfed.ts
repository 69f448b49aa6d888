#!/usr/bin/env node
/**
 * The gitfed command line. Each verb lives in cmd/commands/<verb>.ts and registers itself;
 * this file only loads the one asked for and maps errors to exit codes (0 ok, 1 differences, 2 error).
 */
import { Command } from 'commander';
import { commandsFor } from './commands/index.js';
import { VERSION } from '../src/version.js';
import { exitWithError } from './output.js';

const program = new Command('gitfed')
  .description('Kubernetes cluster federation, done as GitOps')
  .version(VERSION)
  .showHelpAfterError()
  // Options before the verb belong to gitfed, after it to the verb: `gitfed enable --version v1`
  // is the type's version, not a request for gitfed's own.
  .enablePositionalOptions()
  .exitOverride((err) => {
    // commander's own usage errors are bad input: exit 2 like every other error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    process.exit(2);
  });

try {
  for (const register of await commandsFor(process.argv.slice(2))) register(program);
  await program.parseAsync(process.argv);
} catch (err) {
  exitWithError(err);
}
