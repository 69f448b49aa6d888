/**
 * Writes a synthetic fleet for the render benchmark, deterministically (same flags, same bytes):
 *
 *   node dist/bench/render/generate.js --clusters 100 --objects 500 --out /tmp/fleet-100x500 [--shape distinct] [--seed 1]
 *
 * OUT/fleet is a gitfed fleet repo (`gitfed render --repo OUT/fleet --out ...`); OUT/kustomize has
 * the same fleet as kustomize overlays (`kubectl kustomize --load-restrictor LoadRestrictionsNone
 * OUT/kustomize/overlays/<cluster>`).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FleetShape } from './distinct.js';
import { generateInto } from './write.js';

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const program = new Command('generate')
  .description('write a synthetic fleet (gitfed fleet repo and kustomize overlays) for the render benchmark')
  .requiredOption('--clusters <n>', 'member clusters', positive)
  .requiredOption('--objects <n>', 'federated objects', positive)
  .requiredOption('--out <dir>', 'new or empty directory to write into')
  .option('--seed <n>', 'seed of the generator', positive, 1)
  .addOption(new Option('--shape <shape>', 'shared: most clusters get identical copies; distinct: every copy differs per cluster').choices(['shared', 'distinct']).default('shared'))
  .action(async (o: { clusters: number; objects: number; out: string; seed: number; shape: FleetShape }) => {
    const g = await generateInto(o.out, { clusters: o.clusters, objects: o.objects, seed: o.seed, shape: o.shape });
    const placed = [...g.expected.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(
      `fleet repo: ${g.fleetDir} (${g.fleetFiles} files, ${(g.fleetBytes / 1024).toFixed(0)} KiB)\n` +
        `kustomize:  ${g.kustomizeDir} (base + ${g.clusters.length} overlays)\n` +
        `objects placed over all clusters: ${placed}\n`,
    );
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
