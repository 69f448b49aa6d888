/** `gitfed status OBJECT` on the example fleet: placement from render, outcome from a report file. */
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { writeState } from '../../../src/apply/status/state-store.js';
import { buildReport, countActions, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { copyExampleFleet, runGitfed } from '../../support/cli.js';

const web = (extra: Partial<ObjectStatus> = {}): ObjectStatus => ({ key: 'apps/Deployment/shop/web', object: 'Deployment/shop/web', action: 'unchanged', health: 'Ready', ...extra });
const member = (cluster: string, objects: ObjectStatus[]): MemberReport => ({ cluster, context: cluster, state: 'Synced', health: 'Ready', lastAttempt: '2026-01-01T00:00:00Z', counts: countActions(objects), objects });

async function fleetWithReport(members: MemberReport[]): Promise<{ repo: string; state: string }> {
  const repo = await copyExampleFleet();
  const state = join(repo, 'status.json');
  writeState(buildReport(repo, members, { now: '2026-01-01T00:00:00Z' }), state);
  return { repo, state };
}

describe('gitfed status OBJECT', () => {
  it('says AggregateSuccess when every member the object is placed on runs it', async () => {
    const { repo, state } = await fleetWithReport(['burst-1', 'cloud-eu-1', 'cloud-us-1', 'onprem-dc1'].map((c) => member(c, [web()])));
    const r = await runGitfed(['status', 'FederatedDeployment/shop/web', '--repo', repo, '--state', state]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Propagation: True (AggregateSuccess)');
    expect(r.stdout).toMatch(/^cloud-eu-1\s+OK\s+Deployment\/shop\/web/m);
  });

  it('gives upstream\'s reasons per cluster, the same for every spelling of the object, as JSON or YAML', async () => {
    const { repo, state } = await fleetWithReport([
      member('burst-1', [web()]),
      member('cloud-eu-1', [web({ action: 'failed', message: 'Deployment.apps "web" is invalid' })]),
      member('cloud-us-1', [web()]),
    ]);
    const forms = [['FederatedDeployment/shop/web'], ['deploy', 'web', '-n', 'shop'], ['deployments.apps/web', '-n', 'shop']];
    const outs = await Promise.all(forms.map((f) => runGitfed(['status', ...f, '--repo', repo, '--state', state, '-o', 'json'])));
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(new Set(outs.map((o) => o.stdout)).size).toBe(1);
    const s = JSON.parse(outs[0]!.stdout) as { object: string; status: { conditions: unknown[]; clusters: { name: string; status?: string }[] } };
    expect(s.object).toBe('FederatedDeployment/shop/web');
    expect(s.status.conditions).toEqual([{ type: 'Propagation', status: 'False', reason: 'CheckClusters' }]);
    expect(s.status.clusters.map((c) => [c.name, c.status])).toEqual([['burst-1', undefined], ['cloud-eu-1', 'UpdateFailed'], ['cloud-us-1', undefined], ['onprem-dc1', 'ClusterNotReady']]);
    const y = await runGitfed(['status', 'FederatedDeployment/shop/web', '--repo', repo, '--state', state, '-o', 'yaml']);
    expect(yaml.load(y.stdout)).toEqual(s);
  });

  it('refuses an object the fleet does not have, and -o without an object', async () => {
    const { repo, state } = await fleetWithReport([member('burst-1', [web()])]);
    const none = await runGitfed(['status', 'FederatedDeployment/shop/nope', '--repo', repo, '--state', state]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[NotFound]');
    const bad = await runGitfed(['status', '-o', 'json', '--repo', repo, '--state', state]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('InvalidFlag');
  });
});
