/**
 * Renders one revision on a worker thread, so that `gitfed diff` renders its two sides at once
 * where more than two cores make that pay (with two, V8's own threads already fill the second one,
 * and the diff renders both sides on its own thread; see the diff command). A rendered commit (of an
 * output branch) stands for its pair, its source rendered with its state, and the worker finds
 * that out itself: the caller starts it before anything else, so that the thread's start-up and
 * module loading overlap the caller's. What crosses back is plain data: the output branches (about
 * 50 ms to clone for 500 clusters x 100 objects) and the inventory's names and labels; not the
 * warnings, which the diff does not tell for its base and some of which find their line only when
 * it is read. An error crosses as its JSON and is rebuilt by renderAtOffThread with its code, place
 * and hint.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { GitfedError, RenderError, RenderErrors, isErrorCode } from '../src/errors.js';
import type { RenderedFrom } from '../src/git/state-read.js';
import type { RenderCaches } from '../src/render/render.js';
import type { BranchOutput } from '../src/render/types.js';

export interface RenderedRevision {
  readonly commit: string;
  /** When the revision is a rendered commit: what it was rendered from (the render is of that). */
  readonly from?: RenderedFrom;
  readonly render: {
    readonly branches: readonly BranchOutput[];
    readonly clusters: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
  };
}

interface Job {
  readonly repo: string;
  readonly ref: string;
  readonly strict: boolean;
  /** Only these clusters' files cross back (`--cluster`); the inventory still lists every cluster. */
  readonly clusters?: readonly string[];
}

/** GitfedError.toJSON(): RenderErrors adds the list of its errors. */
type ErrorJson = Record<string, unknown> & { errors?: Record<string, unknown>[] };
type Reply = { ok: RenderedRevision } | { error: ErrorJson } | { crash: { message: string; stack?: string } };

/** A GitfedError as it was, from its JSON. */
function revive(json: Record<string, unknown>): GitfedError {
  const given = json.code;
  const code = typeof given === 'string' && isErrorCode(given) ? given : 'InternalError';
  const ctx = {
    ...(typeof json.file === 'string' ? { file: json.file } : {}),
    ...(typeof json.line === 'number' ? { line: json.line } : {}),
    ...(typeof json.object === 'string' ? { object: json.object } : {}),
    ...(typeof json.cluster === 'string' ? { cluster: json.cluster } : {}),
    ...(typeof json.hint === 'string' ? { hint: json.hint } : {}),
  };
  return new RenderError(code, String(json.message), ctx);
}

export function renderAtOffThread(repo: string, ref: string, options: { strict?: boolean; clusters?: readonly string[] } = {}): Promise<RenderedRevision> {
  return new Promise((resolve, reject) => {
    const job: Job = { repo, ref, strict: options.strict === true, ...(options.clusters ? { clusters: options.clusters } : {}) };
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (reply: Reply) => {
      if ('ok' in reply) resolve(reply.ok);
      else if ('error' in reply) reject(reply.error.errors ? new RenderErrors(reply.error.errors.map(revive)) : revive(reply.error));
      else reject(Object.assign(new Error(reply.crash.message), { stack: reply.crash.stack }));
    });
    worker.once('error', reject);
  });
}

/** What the worker renders, on the calling thread. */
export async function renderRevisionHere(repo: string, ref: string, options: { strict?: boolean; clusters?: readonly string[]; caches?: RenderCaches; texts?: Map<string, string> } = {}): Promise<RenderedRevision> {
  const { renderRevision } = await import('../src/render-revision.js');
  const r = await renderRevision(repo, ref, { strict: options.strict === true, ...(options.caches ? { caches: options.caches } : {}), ...(options.texts ? { texts: options.texts } : {}) });
  const only = options.clusters && new Set(options.clusters);
  const branches = only ? r.render.branches.map((b) => ({ ...b, clusters: b.clusters.filter((c) => only.has(c.cluster)) })) : r.render.branches;
  return { commit: r.commit, ...(r.from ? { from: r.from } : {}), render: { branches, clusters: r.render.clusters.map((c) => ({ name: c.name, labels: c.labels })) } };
}

async function work(job: Job): Promise<Reply> {
  try {
    return { ok: await renderRevisionHere(job.repo, job.ref, { strict: job.strict, ...(job.clusters ? { clusters: job.clusters } : {}) }) };
  } catch (err) {
    if (err instanceof GitfedError) return { error: err.toJSON() as ErrorJson };
    return { crash: { message: err instanceof Error ? `${err.name}: ${err.message}` : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) } };
  }
}

if (!isMainThread && parentPort) parentPort.postMessage(await work(workerData as Job));
