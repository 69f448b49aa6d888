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

/**
 * The member object's type that the KIND of `object` (`KIND/...`) spells in this fleet: Kind,
 * plural, short name or plural.group of a built-in or a type config. Undefined for a federated
 * Kind (which names only the federated object) or a kind the fleet does not federate.
 */
export async function targetKind(repo: string, object: string): Promise<{ group: string; kind: string } | undefined> {
  const spelling = object.split('/')[0]!;
  const [{ loadRepo }, { typeLookup }, { typeNamed }] = await Promise.all([import('../../src/fleet/repo.js'), import('../../src/fleet/type-configs.js'), import('../../src/fleet/kind-spelling.js')]);
  const t = typeNamed(typeLookup(await loadRepo(repo)).values(), spelling);
  if (!t || t.federatedKind.toLowerCase() === spelling.toLowerCase()) return undefined;
  return { group: t.group, kind: t.kind };
}
