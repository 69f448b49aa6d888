/** Writes a generated fleet to disk: DIR/fleet (the gitfed repo) and DIR/kustomize (base + overlays). */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildModel, expectedCounts, fleetFiles, type FleetSize } from './fleet.js';
import { kustomizeFiles } from './kustomize.js';

export interface GeneratedFleet {
  readonly fleetDir: string;
  readonly kustomizeDir: string;
  /** Cluster names, sorted: overlays/<name> exists for each. */
  readonly clusters: readonly string[];
  readonly expected: ReadonlyMap<string, number>;
  readonly fleetFiles: number;
  readonly fleetBytes: number;
}

export async function writeTree(root: string, files: ReadonlyMap<string, string>): Promise<void> {
  const dirs = new Set<string>();
  for (const p of files.keys()) dirs.add(dirname(join(root, p)));
  for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
  // Bounded batches: tens of thousands of concurrent writes exhaust file descriptors.
  const entries = [...files];
  for (let i = 0; i < entries.length; i += 256) {
    await Promise.all(entries.slice(i, i + 256).map(([p, c]) => writeFile(join(root, p), c)));
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

export async function generateInto(dir: string, size: FleetSize): Promise<GeneratedFleet> {
  if (!(await isEmptyOrMissing(dir))) throw new Error(`${dir} is not empty; the generator only writes into a new or empty directory`);
  const model = buildModel(size);
  const fleet = fleetFiles(model);
  const fleetDir = join(dir, 'fleet');
  const kustomizeDir = join(dir, 'kustomize');
  await writeTree(fleetDir, fleet);
  await writeTree(kustomizeDir, kustomizeFiles(model));
  let bytes = 0;
  for (const t of fleet.values()) bytes += Buffer.byteLength(t);
  return {
    fleetDir,
    kustomizeDir,
    clusters: model.clusters.map((c) => c.name),
    expected: expectedCounts(model),
    fleetFiles: fleet.size,
    fleetBytes: bytes,
  };
}
