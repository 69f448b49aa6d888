/**
 * @module fleet/disable
 * `gitfed disable`: sets a type config's `propagation: Disabled` (upstream's first step: objects
 * of the type are still read and go nowhere), or with `delete` removes the type config.
 * Upstream waited for its controller to stop and then deleted the FTC; in a fleet repo the next
 * render is that controller. A built-in kind has no type config to edit, so disabling one writes
 * a type config for it with propagation Disabled, as upstream's pre-installed FTCs allowed.
 * Deleting the type config of a custom type while federated objects of it remain would make
 * every render fail (UnknownFederatedType), so that needs `force`.
 */
import { readFile } from 'node:fs/promises';
import { displayName, groupOf } from '../object.js';
import { writeFileAtomic, removeFile } from './atomic-write.js';
import { editDocument, removeDocument } from './documents.js';
import { FleetError } from './errors.js';
import { loadRepo, repoPath, where } from './repo.js';
import { builtinType, namesTypeConfig, typeConfigDocument, typeConfigName, typeConfigs } from './type-configs.js';
import { appendDocument, dumpDocument } from './yaml-text.js';

export interface DisableOptions {
  readonly repo: string;
  /** The type config's name, its target Kind or its federated Kind. */
  readonly name: string;
  /** Remove the type config instead of disabling it. @default false */
  readonly delete?: boolean;
  /** Delete even while federated objects of the type remain. @default false */
  readonly force?: boolean;
}

export interface DisableResult {
  readonly name: string;
  readonly file: string;
  readonly action: 'disabled' | 'unchanged' | 'deleted' | 'created';
  /** Federated objects of the type, `Kind/ns/name` at `file:line`. */
  readonly instances: readonly { object: string; file: string; line: number }[];
}

export async function disable(opts: DisableOptions): Promise<DisableResult> {
  const repo = await loadRepo(opts.repo);
  const found = typeConfigs(repo.objects).filter((f) => namesTypeConfig(f, opts.name));
  if (found.length > 1) {
    throw new FleetError('AmbiguousType', `${opts.name} names several type configs: ${found.map((f) => `${f.src.obj.metadata.name} (${where(f.src)})`).join(', ')}; use the type config's name`);
  }
  const ftc = found[0];
  const builtin = builtinType(opts.name);
  const fedType = ftc?.spec ?? builtin;
  const instances = fedType
    ? repo.objects
      .filter((o) => o.obj.kind === fedType.federatedKind && groupOf(o.obj.apiVersion) === fedType.federatedGroup)
      .map((o) => ({ object: displayName(o.obj), file: o.pos.file, line: o.pos.line }))
    : [];

  if (!ftc) {
    if (!builtin || opts.delete) {
      throw new FleetError('TypeConfigNotFound', `no FederatedTypeConfig in ${opts.repo} is named ${opts.name} or configures that kind${builtin ? ` (${builtin.kind} is built in: there is nothing to delete)` : ''}`);
    }
    const file = `type-configs/${typeConfigName(builtin)}.yaml`;
    const text = dumpDocument(typeConfigDocument({ ...builtin, propagation: 'Disabled' }));
    const present = repo.files.get(file);
    await writeFileAtomic(repoPath(repo, file), present === undefined ? text : appendDocument(present, text));
    return { name: typeConfigName(builtin), file, action: 'created', instances };
  }

  const { file, line } = ftc.src.pos;
  const name = ftc.src.obj.metadata.name;
  const path = repoPath(repo, file);
  const current = await readFile(path, 'utf8');
  if (opts.delete) {
    // Without its type config a built-in kind falls back to the built-in; a custom one is lost.
    if (!builtin && instances.length > 0 && !opts.force) {
      throw new FleetError('TypeInUse', `${instances.length} federated object(s) of ${ftc.spec?.federatedKind ?? name} remain (${instances.map((i) => `${i.object} at ${i.file}:${i.line}`).join(', ')}); render would fail on each. Delete them first, or use --force`, { file, line, object: `FederatedTypeConfig/${name}` });
    }
    const rest = removeDocument(current, line, file);
    if (rest === undefined) await removeFile(path);
    else await writeFileAtomic(path, rest);
    return { name, file, action: 'deleted', instances };
  }
  const edited = editDocument(current, line, file, (doc) => {
    if (doc.getIn(['spec', 'propagation']) === 'Disabled') return false;
    doc.setIn(['spec', 'propagation'], 'Disabled');
    return true;
  });
  if (edited.changed) await writeFileAtomic(path, edited.text);
  return { name, file, action: edited.changed ? 'disabled' : 'unchanged', instances };
}
