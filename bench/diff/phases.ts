/**
 * Where one `gitfed diff BASE HEAD --format markdown --full-out FILE` spends its time, inside one
 * cold process doing its steps one after another with a clock around each, as the CLI does them:
 * every fleet file of both sides parsed once, the documents the change reaches chosen
 * (src/render/affected.ts), and each side rendered only as far as that (the head taking the
 * base's copies of unchanged documents; texts are written only for the files the compare finds
 * changed, so within "compare"). Where the change reaches the fleet-wide documents both sides
 * render whole ("select" then says why); on two cores or fewer the CLI does that here too, with
 * more it renders the base on a worker thread, and here they run one after the other all the
 * same, so each side's cost is seen alone. The benchmark's headline is the whole process
 * (run.ts); this only explains it.
 * Printed as one JSON document:
 *
 *   node dist/bench/diff/phases.js --repo FLEET --base HEAD~1 --head HEAD
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

const bootMs = performance.now();
const { values: args } = parseArgs({ options: { repo: { type: 'string' }, base: { type: 'string' }, head: { type: 'string' } } });
if (!args.repo || !args.base || !args.head) {
  process.stderr.write('usage: phases.js --repo FLEET --base REV --head REV\n');
  process.exit(2);
}

const l0 = performance.now();
const [{ readSourceAt }, { fleetPathFilter }, { renderFleet }, { ParseCache }, { CopyMemo }, { affectedSelection }, { diffOutputs }, { reviewDiff }, { formatDiff }] = await Promise.all([
  import('../../src/git/source.js'),
  import('../../src/render-revision.js'),
  import('../../src/render/render.js'),
  import('../../src/render/load.js'),
  import('../../src/render/copy-memo.js'),
  import('../../src/render/affected.js'),
  import('../../src/render/diff.js'),
  import('../../src/render/diff-review.js'),
  import('../../src/format/diff.js'),
]);
const phases: Record<string, number> = { boot: bootMs, load: performance.now() - l0 };

function timed<T>(name: string, f: () => T): T {
  const t = performance.now();
  const v = f();
  phases[name] = (phases[name] ?? 0) + performance.now() - t;
  return v;
}

let t = performance.now();
// One after the other, as the CLI reads them: the head takes every blob the two share from the base's read.
const texts = new Map<string, string>();
const a = await readSourceAt({ dir: args.repo, ref: args.base, filter: fleetPathFilter, texts });
const b = await readSourceAt({ dir: args.repo, ref: args.head, filter: fleetPathFilter, texts });
phases.read = performance.now() - t;
const parse = new ParseCache();
const copies = new CopyMemo();
const selection = timed('parse and select', () => affectedSelection(a.files, b.files, parse));
const partial = 'select' in selection;
// As the CLI does it on this machine.
const oneThread = partial || availableParallelism() <= 2;
const caches = oneThread ? { parse, copies, textsOnRead: true } : {};
const options = partial ? { select: selection.select } : {};
const base = timed('render base', () => renderFleet(a.files, caches, options));
const head = timed('render head', () => renderFleet(b.files, caches, options));
// From a worker thread, the base's texts arrive without the objects they were written from.
const baseBranches = oneThread ? base.branches : base.branches.map((br) => ({ ...br, clusters: br.clusters.map((c) => ({ ...c, files: new Map(c.files) })) }));
const d = timed('compare', () => diffOutputs(baseBranches, head.branches, { base: args.base!, head: args.head! }));
const review = timed('review', () => reviewDiff(d));
t = performance.now();
const full = formatDiff(d, review, 'markdown', { maxBytes: 0 });
phases['format full diff'] = performance.now() - t;
const comment = timed('format comment', () => formatDiff(d, review, 'markdown', { fullDiff: { name: 'gitfed-diff.md', bytes: Buffer.byteLength(full) } }));
// How much of the head the base's render served: objects that are the base's very objects, and
// changed files, whose texts alone the compare wrote (one per side).
const was = new Map(base.rendered.map((r) => [`${r.cluster}\0${r.origin}`, r.obj]));
const taken = head.rendered.filter((r) => was.get(`${r.cluster}\0${r.origin}`) === r.obj).length;
const changedFiles = d.clusters.reduce((n, c) => n + c.changes.length, 0);
process.stdout.write(JSON.stringify({ phases, oneThread, selection: partial ? selection.files : { whole: selection.whole }, objects: { base: base.rendered.length, head: head.rendered.length, taken }, changedFiles, clustersChanged: d.clusters.length, commentBytes: Buffer.byteLength(comment) }) + '\n');
