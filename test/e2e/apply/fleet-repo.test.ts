/**
 * The newcomer's path: examples/fleet-repo rendered with the CLI, its cluster directories applied
 * to the members (three of its clusters mapped onto member1..3 by kubeconfig context), and the
 * propagation report says Synced.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBranch } from '../../../src/apply/apply-branch.js';
import { formatReport } from '../../../src/format/report.js';
import { builtCli, config, memberKubeconfig, memberNames, tmpDir } from './fixtures.js';


describe('examples/fleet-repo, rendered and applied', () => {
  it('reports every mapped cluster Synced', async () => {
    const CLI = builtCli();
    const out = tmpDir('fleet-repo');
    execFileSync(process.execPath, [CLI, 'render', '--repo', 'examples/fleet-repo', '--out', out], { stdio: 'ignore' });
    const metadata = JSON.parse(fs.readFileSync(path.join(out, 'gitfed.metadata'), 'utf8')) as { clusters: { name: string }[] };
    const clusters = metadata.clusters.map((c) => c.name).slice(0, memberNames().length);
    const contexts = Object.fromEntries(clusters.map((c, i) => [c, memberNames()[i]!]));
    const report = await applyBranch({ repo: out, kubeconfig: memberKubeconfig(), clusters, config: config({ contexts }), stateFile: path.join(out, 'status.json') });
    for (const c of clusters) {
      const m = report.members.find((x) => x.cluster === c);
      expect(m, formatReport(report, 'table')).toMatchObject({ state: 'Synced', context: contexts[c], counts: { failed: 0 } });
      expect(m!.objects.length).toBeGreaterThan(0);
    }
    expect(report.federated.every((f) => f.conditions[0]?.status === 'True')).toBe(true);
    const status = execFileSync(process.execPath, [CLI, 'status', '--state', path.join(out, 'status.json')], { encoding: 'utf8' });
    for (const c of clusters) expect(status).toMatch(new RegExp(`^${c}\\s+Synced`, 'm'));
  });
});
