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

/** kubefedctl names an object as `KIND NAME -n NS`; gitfed as `KIND/NS/NAME`. Either gives the latter. */
export function kubefedctlRef(kindOrObject: string, name: string | undefined, namespace: string | undefined): string {
  if (name === undefined) {
    if (namespace !== undefined && kindOrObject.split('/').length === 2) {
      const [kind, n] = kindOrObject.split('/');
      return `${kind}/${namespace}/${n}`;
    }
    return kindOrObject;
  }
  if (kindOrObject.includes('/')) throw new FleetError('InvalidArgument', `${kindOrObject} ${name}: give KIND NAME (with -n NAMESPACE) or KIND/NAMESPACE/NAME, not both`);
  return namespace !== undefined ? `${kindOrObject}/${namespace}/${name}` : `${kindOrObject}/${name}`;
}
