/**
 * Where one render's time goes, inside one cold process doing what `gitfed render --commit` or
 * `--out` does, step by step with a clock around each. The benchmark's headline is the whole
 * process (cli-runs.ts); this only explains it. Printed as one JSON document:
 *
 *   node dist/bench/render/phases.js --repo FLEET --mode commit
 *   node dist/bench/render/phases.js --repo FLEET --mode out --out DIR [--check-emitter] [--watch-runs 3]
 *
 * boot is node's start up to this file's first line; load is importing what the command imports.
 * emit is producing YAML text (timed around each object's); place is the rest of renderFleet.
 * With --commit, hash and store are re-timed afterwards on the same blobs (the commit does them
 * inside), and the rest of the commit is planning, trees, the pack file and refs.
 */
import { parseArgs } from 'node:util';
import type { KubeObject } from '../../src/render/types.js';

const bootMs = performance.now();

const { values: args } = parseArgs({
  options: {
    repo: { type: 'string' },
    mode: { type: 'string' },
    out: { type: 'string' },
    'check-emitter': { type: 'boolean', default: false },
    'watch-runs': { type: 'string', default: '0' },
  },
});
if (!args.repo || (args.mode !== 'commit' && args.mode !== 'out') || (args.mode === 'out' && !args.out)) {
  process.stderr.write('usage: phases.js --repo FLEET --mode commit | --mode out --out DIR [--check-emitter] [--watch-runs N]\n');
  process.exit(2);
}
const repo = args.repo;

const l0 = performance.now();
const [{ renderFleet }, { readWorkingTree }, { YamlCache }, { ParseCache }, { CONFIG_FILE }, publish, git, metadata, preview, objectFormat, cmdRender, version] = await Promise.all([
  import('../../src/render/render.js'),
  import('../../src/workspace/source.js'),
  import('../../src/render/emit.js'),
  import('../../src/render/load.js'),
  import('../../src/render/config.js'),
  args.mode === 'commit' ? import('../../src/publish.js') : undefined,
  // What render --commit loads: the commit writer and the source reader, not the transports.
  args.mode === 'commit' ? Promise.all([import('../../src/git/commit-outputs.js'), import('../../src/git/source.js')]).then(([c, r]) => ({ ...c, ...r })) : undefined,
  import('../../src/git/metadata.js'),
  args.mode === 'out' ? import('../../src/workspace/preview.js') : undefined,
  import('../../src/git/object-format.js'),
  import('../../cmd/commands/render.js'),
  import('../../src/version.js'),
]);
const loadMs = performance.now() - l0;

/** YamlCache as the CLI's render uses it (one-shot), with a clock around each object's text. */
class TimedYaml extends YamlCache {
  ms = 0;
  override yaml(obj: KubeObject, base?: KubeObject): string {
    const t = performance.now();
    const text = super.yaml(obj, base);
    this.ms += performance.now() - t;
    return text;
  }
}

const phases: Record<string, number> = { boot: bootMs, load: loadMs };
const clock = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
  const t = performance.now();
  const r = await f();
  phases[name] = performance.now() - t;
  return r;
};

let sourceCommit: { commit: string; subject: string; time: number } | undefined;
const files = await clock('read', async () => {
  if (args.mode === 'out') return readWorkingTree(repo);
  const snap = await git!.readSourceAt({ dir: repo, ref: 'HEAD', filter: publish!.fleetPathFilter });
  sourceCommit = snap;
  return snap.files;
});
const parse = new ParseCache();
await clock('parse', () => {
  for (const [path, text] of files) if (path !== CONFIG_FILE) parse.load(path, text);
});
const yaml = new TimedYaml(undefined, true);
const result = await clock('render', () => renderFleet(files, { parse, yaml }));
phases.emit = yaml.ms;
phases.place = phases.render! - yaml.ms;
delete phases.render;

const contents = result.branches.flatMap((b) => b.clusters.flatMap((c) => [...c.files.values()]));
if (args.mode === 'commit') {
  const s = sourceCommit!;
  await clock('commit', () => git!.commitOutputs({ dir: repo, outputs: result.branches, source: { repo: '.', ...s }, version: version.VERSION }));
  const blobs = contents.map((c) => Buffer.from(c, 'utf8'));
  await clock('hash', () => {
    for (const b of blobs) objectFormat.hashObject('blob', b);
  });
  await clock('store', () => {
    for (const b of blobs) objectFormat.storePackEntry(b);
  });
  phases.commitRest = Math.max(0, phases.commit! - phases.hash! - phases.store!);
  delete phases.commit;
} else {
  const out = await clock('compose', () => preview!.previewFiles(result.branches, (b) => metadata.branchFiles(b, cmdRender.WORKING_TREE_SOURCE, version.VERSION)));
  await clock('write', () => preview!.writePreview(args.out!, out));
}

let emitter: { checked: number; equal: number } | undefined;
if (args['check-emitter']) {
  const [{ dumpYaml }, jsyaml] = await Promise.all([import('../../src/render/yaml-emit.js'), import('js-yaml')]);
  const options = { lineWidth: -1, noRefs: true, quotingType: '"' } as const;
  let equal = 0;
  for (const r of result.rendered) if (dumpYaml(r.obj) === jsyaml.default.dump(r.obj, options)) equal++;
  emitter = { checked: result.rendered.length, equal };
}

const watchRuns = Number(args['watch-runs']);
let watch;
if (watchRuns > 0) {
  const { timeWatch } = await import('./measure.js');
  watch = await timeWatch(repo, files, watchRuns);
}

let bytes = 0;
for (const c of contents) bytes += Buffer.byteLength(c);
process.stdout.write(JSON.stringify({
  mode: args.mode,
  phases,
  objects: result.rendered.length,
  files: contents.length,
  distinctContents: new Set(contents).size,
  bytes,
  perCluster: Object.fromEntries(result.branches.flatMap((b) => b.clusters.map((c) => [c.cluster, c.objects]))),
  ...(emitter ? { emitter } : {}),
  ...(watch ? { watch } : {}),
}) + '\n');
