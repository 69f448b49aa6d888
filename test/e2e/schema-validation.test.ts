/**
 * Template validation proven against a real API server: every document of test/corpus/schema goes
 * to `kubectl apply --dry-run=server --validate=strict` on a member (which serves the corpus' CRD)
 * and through gitfed's check of templates. Each document the server refuses, gitfed refuses too
 * (refused/), each it accepts, gitfed accepts (accepted/); server-only/ holds what the server
 * refuses by rules no schema states, which gitfed accepts, so that a change on either side shows.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_NAMESPACE, gitfedVerdict, SCHEMA_CORPUS, schemaCases } from '../support/schema-corpus.js';
import { kubectlWithNamespace } from './support/kubectl.js';

const run = promisify(execFile);
const CRD = 'widgets.schema-corpus.gitfed.io';
let kubectl: string;
let kc: string[];
let scratch: string;

beforeAll(async () => {
  ({ kubectl, kc, scratch } = await kubectlWithNamespace('gitfed-schema-', CORPUS_NAMESPACE));
  await run(kubectl, [...kc, 'apply', '-f', join(SCHEMA_CORPUS, 'crds/widgets.yaml')]);
  await run(kubectl, [...kc, 'wait', '--for=condition=Established', `crd/${CRD}`, '--timeout=60s']);
});

afterAll(async () => {
  if (kc) {
    await run(kubectl, [...kc, 'delete', 'crd', CRD, '--ignore-not-found', '--wait=false']).catch(() => undefined);
    await run(kubectl, [...kc, 'delete', 'namespace', CORPUS_NAMESPACE, '--ignore-not-found', '--wait=false']).catch(() => undefined);
  }
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function byServer(path: string): Promise<{ accepted: boolean; said: string }> {
  try {
    const { stdout } = await run(kubectl, [...kc, 'apply', '--dry-run=server', '--validate=strict', '-f', path]);
    return { accepted: true, said: stdout.trim() };
  } catch (e) {
    return { accepted: false, said: String((e as { stderr?: string }).stderr ?? e).trim() };
  }
}

describe('templates against a real API server (kubectl apply --dry-run=server --validate=strict)', () => {
  it.each(schemaCases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const server = await byServer(c.path);
    const gitfed = gitfedVerdict(c);
    const shown = `${c.name}: ${c.why}\nserver: ${server.said}\ngitfed: ${gitfed.map((g) => `${g.line} [${g.code}]`).join('\n') || 'accepted'}`;
    expect(server.accepted, shown).toBe(c.cls === 'accepted');
    expect(gitfed.length === 0, shown).toBe(c.cls !== 'refused');
    if (c.cls === 'refused') expect(gitfed[0]!.code, shown).toBe(c.code);
  });
});
