/**
 * `gitfed join NAME --cluster-context CTX`, kubefedctl's spelling: the member must answer before
 * it is written; the file records the context's name and nothing of the endpoint or credentials.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { memberKubeconfig, memberNames } from '../support/members.js';
import { tmp } from './support.js';

const m3 = memberNames()[2]!;

describe('gitfed join --cluster-context', () => {
  it('checks that the cluster answers and records only the context', async () => {
    const repo = tmp('join');
    const r = await runGitfed(['join', 'edge-1', '--cluster-context', m3, '--kubeconfig', memberKubeconfig(), '--labels', 'tier=edge', '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(repo, 'clusters/edge-1.yaml'), 'utf8');
    expect(text).toContain(`gitfed.io/context: ${m3}`);
    const server = (yaml.load(readFileSync(memberKubeconfig(), 'utf8')) as { clusters: { cluster: { server: string } }[] }).clusters[2]!.cluster.server;
    expect(text).not.toContain(server);
    expect(text).not.toMatch(/token|certificate|secret/i);
  });

  it('writes nothing when the cluster does not answer', async () => {
    const repo = tmp('join-down');
    const doc = yaml.load(readFileSync(memberKubeconfig(), 'utf8')) as { clusters: { name: string; cluster: Record<string, unknown> }[]; contexts: { name: string; context: Record<string, unknown> }[] };
    doc.clusters.push({ name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } });
    doc.contexts.push({ name: 'gone', context: { ...doc.contexts[0]!.context, cluster: 'gone' } });
    const kubeconfig = join(repo, '..', 'kubeconfig-join');
    writeFileSync(kubeconfig, yaml.dump(doc));
    const r = await runGitfed(['join', 'gone', '--cluster-context', 'gone', '--kubeconfig', kubeconfig, '--repo', repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ECONNREFUSED.*\[MemberUnreachable\]/);
    expect(existsSync(join(repo, 'clusters'))).toBe(false);
  });
});
