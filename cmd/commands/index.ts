/** The verbs of gitfed. Each module exports a function that adds its command to the program. */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export const commands: Register[] = [];
