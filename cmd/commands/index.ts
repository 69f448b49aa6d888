/** The verbs of gitfed. Each module exports a function that adds its command to the program. */
import type { Command } from 'commander';
import { register as render } from './render.js';
import { register as explain } from './explain.js';
import { register as watch } from './watch.js';
import { register as diff } from './diff.js';
import { register as dev } from './dev.js';
import { register as apply } from './apply.js';
import { register as daemon } from './daemon.js';
import { register as status } from './status.js';

export type Register = (program: Command) => void;

export const commands: Register[] = [render, explain, diff, watch, dev, apply, daemon, status];
