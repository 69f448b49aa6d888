/**
 * @module fleet/import
 * `gitfed import`: a live KubeFed host or Karmada control plane into a fleet repo.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { MemberClient } from '../../apply/member/kube-client.js';
import { readKarmada } from './karmada.js';
import { readKubeFed } from './kubefed.js';
import type { Style } from './layout.js';
import type { Skipped } from './types.js';
import { planFiles, writeFiles, type PlannedFile } from './write.js';

export interface ImportOptions {
  readonly from: Style;
  readonly context: string;
  readonly repo: string;
  readonly kubefedNamespace?: string;
  readonly dryRun?: boolean;
}

export interface ImportResult {
  readonly files: readonly Omit<PlannedFile, 'text'>[];
  readonly skipped: readonly Skipped[];
  readonly notes: readonly string[];
}

export async function importFleet(kc: KubeConfig, opts: ImportOptions): Promise<ImportResult> {
  const client = await MemberClient.connect(kc, opts.context, opts.context);
  try {
    const read = opts.from === 'kubefed' ? await readKubeFed(client, opts.kubefedNamespace) : await readKarmada(client);
    const files = planFiles(read.objects, opts.from, `${opts.from === 'kubefed' ? 'the KubeFed host' : 'the Karmada control plane'} of context ${opts.context}`);
    if (!opts.dryRun) await writeFiles(opts.repo, files);
    return { files: files.map(({ path, object }) => ({ path, object })), skipped: read.skipped, notes: read.notes };
  } finally {
    client.close();
  }
}
