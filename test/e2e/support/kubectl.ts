/** kubectl against the first e2e member, with a discovery cache of its own and a namespace made for the test. */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { controlPlaneBinary, memberKubeconfig, memberNames } from './members.js';

const run = promisify(execFile);

export interface Kubectl {
  readonly kubectl: string;
  /** Flags naming the member: kubeconfig, context, cache directory. */
  readonly kc: string[];
  /** A directory of the test's own, to be removed after it. */
  readonly scratch: string;
}

export async function kubectlWithNamespace(prefix: string, namespace: string): Promise<Kubectl> {
  const kubectl = controlPlaneBinary('kubectl');
  const scratch = await mkdtemp(join(tmpdir(), prefix));
  // A discovery cache of our own: it must see the test's CRDs, and a user's cache must not be touched.
  const kc = ['--kubeconfig', memberKubeconfig(), '--context', memberNames()[0]!, '--cache-dir', join(scratch, 'cache')];
  await run(kubectl, [...kc, 'create', 'namespace', namespace]).catch((e: { stderr?: string }) => {
    if (!String(e.stderr).includes('AlreadyExists')) throw e;
  });
  return { kubectl, kc, scratch };
}
