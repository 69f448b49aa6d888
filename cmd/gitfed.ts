#!/usr/bin/env node
/**
 * The gitfed command line. Each verb lives in cmd/commands/<verb>.ts and registers itself;
 * this file only loads the one asked for and maps errors to exit codes (0 ok, 1 differences, 2 error).
 */
import { Command } from 'commander';
import { commandsFor } from './commands/index.js';
import { VERSION } from '../src/version.js';
import { exitWithError, quietOnClosedPipe } from './output.js';
import { conventionalUsageErrors } from './usage.js';

quietOnClosedPipe();

const program = new Command('gitfed')
  .description('Kubernetes cluster federation, done as GitOps')
  .version(VERSION)
  // Options before the verb belong to gitfed, after it to the verb: `gitfed enable --version v1`
  // is the type's version, not a request for gitfed's own.
  .enablePositionalOptions();

try {
  for (const register of await commandsFor(process.argv.slice(2))) register(program);
  conventionalUsageErrors(program);
  await program.parseAsync(process.argv);
} catch (err) {
  exitWithError(err);
}
