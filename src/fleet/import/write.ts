/**
 * @module fleet/import/write
 * Writes an import into the fleet repo: every path is checked before the first byte is written,
 * so an import never leaves half a fleet, nor overwrites a file the repo already has.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FleetError } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { KubeObject } from '../../object.js';
import { displayName } from '../../object.js';
import { fileText, importPath, type Style } from './layout.js';

export interface PlannedFile {
  readonly path: string;
  readonly object: string;
  readonly text: string;
}

export function planFiles(objects: readonly KubeObject[], style: Style, origin: string): PlannedFile[] {
  const files = objects.map((o) => ({ path: importPath(o, style), object: displayName(o), text: fileText(o, origin) }));
  const seen = new Map<string, string>();
  for (const f of files) {
    const first = seen.get(f.path);
    if (first) throw new FleetError('FileNameCollision', `${first} and ${f.object} would both be written to ${f.path}`);
    seen.set(f.path, f.object);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export async function writeFiles(repo: string, files: readonly PlannedFile[]): Promise<void> {
  const existing = files.filter((f) => existsSync(join(repo, f.path)));
  if (existing.length) {
    throw new FleetError('ImportTargetNotEmpty', `${existing.length} file(s) the import would write are already in ${repo}: ${existing.slice(0, 5).map((f) => f.path).join(', ')}${existing.length > 5 ? ', ...' : ''}`, {
      file: join(repo, existing[0]!.path),
      hint: 'import into a new directory (--repo), or move those files away first',
    });
  }
  for (const f of files) await writeFileAtomic(join(repo, f.path), f.text);
}
