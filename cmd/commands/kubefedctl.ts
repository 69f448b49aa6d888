/**
 * What the kubefedctl verbs (join, unjoin, enable, disable, federate, orphaning-deletion) share
 * on the command line: the output format flag and how a result is printed. Not a verb itself.
 */
import { FleetError } from '../../src/fleet/errors.js';

export type Format = 'text' | 'json';

export function checkFormat(format: string): Format {
  if (format === 'text' || format === 'json') return format;
  throw new FleetError('InvalidFlag', `--format ${JSON.stringify(format)}: text or json`);
}

/** One JSON document for machines, or the lines for people. */
export function print(format: Format, data: unknown, text: () => string): void {
  process.stdout.write(format === 'json' ? JSON.stringify(data, null, 2) + '\n' : text() + '\n');
}

export const FORMAT_OPTION = ['--format <format>', 'text | json', 'text'] as const;
