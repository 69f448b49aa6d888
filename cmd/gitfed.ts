#!/usr/bin/env node
/**
 * The gitfed command line. Each verb lives in cmd/commands/<verb>.ts and registers itself;
 * this file only wires them up and maps errors to exit codes (0 ok, 1 differences, 2 error).
 */
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { VERSION } from '../src/version.js';
import { exitWithError } from './output.js';

const program = new Command('gitfed')
  .description('Kubernetes cluster federation, done as GitOps')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander's own usage errors are bad input: exit 2 like every other error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    process.exit(2);
  });

for (const register of commands) register(program);

program.parseAsync(process.argv).catch(exitWithError);
