/** The kubefedctl verbs as users run them (dist/, built by `npm run build`): output, exit codes, file:line in errors. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExampleFleet, runGitfed } from '../../support/cli.js';

const gitfed = (...args: string[]) => runGitfed(args);
const exampleCopy = () => copyExampleFleet('gitfed-fleet-cli-');

describe('kubefedctl verbs (CLI)', () => {
  it('join prints what it wrote; joining again exits 2 naming the file and line', async () => {
    const repo = await exampleCopy();
    const r = await gitfed('join', 'ap-1', '--repo', repo, '--labels', 'location=cloud', '--region', 'ap-south-1');
    expect(r).toMatchObject({ code: 0, stdout: 'joined ap-1 (Cluster): wrote clusters/ap-1.yaml\n' });
    const again = await gitfed('join', 'ap-1', '--repo', repo);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: clusters\/ap-1\.yaml:1: Cluster\/ap-1: cluster ap-1 is already in the fleet/);
    expect((await gitfed('join', 'ap-2', '--repo', repo, '--labels', 'bad label=x')).code).toBe(2);
  });

  it('unjoin warns with file:line about objects that still name the cluster', async () => {
    const repo = await exampleCopy();
    const r = await gitfed('unjoin', 'onprem-dc1', '--repo', repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('unjoined onprem-dc1: deleted clusters/onprem-dc1.yaml\n');
    expect(r.stderr).toMatch(/^warning: kubefed\/patients\.yaml:\d+: FederatedDeployment\/patients\/records: spec\.placement\.clusters\[0\]\.name names onprem-dc1/m);
  });

  it('enable takes its own --version (not the program version) and json output', async () => {
    const repo = await exampleCopy();
    const r = await gitfed('enable', 'widgets.example.com', '--repo', repo, '--kind', 'Widget', '--version', 'v1', '--scope', 'Cluster', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'widgets.example.com', file: 'type-configs/widgets.example.com.yaml', action: 'created' });
    expect(await readFile(join(repo, 'type-configs/widgets.example.com.yaml'), 'utf8')).toContain('  targetType:\n    group: example.com\n    version: v1\n');
    expect((await gitfed('disable', 'Widget', '--repo', repo)).stdout).toMatch(/^widgets\.example\.com: set propagation Disabled in type-configs\/widgets\.example\.com\.yaml/);
  });

  it('federate prints to stdout and orphaning-deletion status prints Enabled or Disabled', async () => {
    const repo = await exampleCopy();
    const file = join(repo, '..', 'cm.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: b}\n');
    const r = await gitfed('federate', file, '--repo', repo, '--clusters', 'cloud-eu-1');
    expect(r.stdout).toBe('apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: c\n  namespace: shop\nspec:\n  template:\n    data: {a: b}\n  placement:\n    clusters:\n      - name: cloud-eu-1\n');
    expect((await gitfed('federate', file, '--repo', repo, '--clusters', 'a', '--selector', 'x=y')).code).toBe(2);
    expect((await gitfed('orphaning-deletion', 'status', 'deployment/shop/web', '--repo', repo)).stdout).toBe('Disabled\n');
    expect((await gitfed('orphaning-deletion', 'enable', 'deployment/shop/web', '--repo', repo)).code).toBe(0);
    expect((await gitfed('orphaning-deletion', 'status', 'deployment/shop/web', '--repo', repo)).stdout).toBe('Enabled\n');
    expect((await gitfed('orphaning-deletion', 'frobnicate', 'deployment/shop/web', '--repo', repo)).code).toBe(2);
  });
});
