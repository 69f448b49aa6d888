/** `gitfed watch`: live preview of what each cluster would get, re-rendered on every save. */
import type { Command } from 'commander';
import { VERSION } from '../../src/version.js';
import { paintFor } from '../colour.js';
import { printError, printWarnings } from '../output.js';
import { previewSource } from './render.js';

export function register(program: Command): void {
  program
    .command('watch')
    .description('re-render on every save into a preview directory and print which clusters and objects changed')
    .option('--repo <dir>', 'fleet repo', '.')
    .requiredOption('--out <dir>', 'preview directory (the output branch layout)')
    .addHelpText('after', '\nExample:\n  gitfed watch --repo examples/fleet-repo --out /tmp/preview\n')
    .action(async (flags: { repo: string; out: string }) => {
      const [{ branchFiles }, { watchFleet }] = await Promise.all([import('../../src/git/metadata.js'), import('../../src/workspace/watch.js')]);
      // Named once: a fleet renamed in gitfed.yaml during a watch shows in the next one.
      const source = await previewSource(flags.repo);
      const w = watchFleet({
        repo: flags.repo,
        out: flags.out,
        filesOf: (b) => branchFiles(b, source, VERSION),
        onUpdate: ({ result, diff, elapsedMs, initial, filesWritten }) => {
          printWarnings(result.warnings);
          const ms = elapsedMs.toFixed(0);
          const time = new Date().toISOString().slice(11, 19);
          if (initial) {
            const clusters = result.branches.reduce((n, b) => n + b.clusters.length, 0);
            process.stdout.write(`${time} rendered ${clusters} cluster(s), ${filesWritten} file(s) in ${ms} ms\n`);
            return;
          }
          if (!diff.changed) {
            process.stdout.write(`${time} rendered in ${ms} ms: no cluster changed\n`);
            return;
          }
          const total = result.branches.reduce((n, b) => n + b.clusters.length, 0);
          process.stdout.write(`${time} rendered in ${ms} ms: ${diff.clusters.length} of ${total} cluster(s) changed\n`);
          for (const c of diff.clusters) {
            const p = paintFor(process.stdout);
            const objs = c.changes.slice(0, 8).map((ch) => (ch.action === 'added' ? p.green(`+${ch.object}`) : ch.action === 'removed' ? p.red(`-${ch.object}`) : p.yellow(`~${ch.object}`)));
            const more = c.changes.length > 8 ? ` … ${c.changes.length - 8} more` : '';
            process.stdout.write(`  ${c.cluster}: ${objs.join(' ')}${more}\n`);
          }
        },
        onError: (err) => {
          printError(err);
          process.stderr.write('(keeping the last good preview)\n');
        },
      });
      await w.ready;
      process.stdout.write(`watching ${flags.repo}; preview in ${flags.out} (Ctrl-C to stop)\n`);
      const stop = () => void w.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
