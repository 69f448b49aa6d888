/**
 * The verbs of gitfed. Each module exports `register(program)`; they are loaded lazily so that a
 * verb pays only for its own dependencies (@kubernetes/client-node alone takes a second to load).
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export const verbs: Record<string, () => Promise<{ register: Register }>> = {
  render: () => import('./render.js'),
  explain: () => import('./explain.js'),
  diff: () => import('./diff.js'),
  get: () => import('./get.js'),
  import: () => import('./import.js'),
  watch: () => import('./watch.js'),
  apply: () => import('./apply.js'),
  daemon: () => import('./daemon.js'),
  status: () => import('./status.js'),
  observe: () => import('./observe.js'),
  rollout: () => import('./rollout.js'),
  dev: () => import('./dev.js'),
  join: () => import('./join.js'),
  unjoin: () => import('./unjoin.js'),
  enable: () => import('./enable.js'),
  disable: () => import('./disable.js'),
  federate: () => import('./federate.js'),
  'orphaning-deletion': () => import('./orphaning-deletion.js'),
  version: () => import('./version.js'),
  completion: () => import('./completion.js'),
};

/** The modules needed for this command line: just the verb's, or all of them for help and errors. */
export async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const verb = argv.find((a) => !a.startsWith('-'));
  const wanted = verb !== undefined && verb in verbs ? [verbs[verb]!] : Object.values(verbs);
  return (await Promise.all(wanted.map((load) => load()))).map((m) => m.register);
}
