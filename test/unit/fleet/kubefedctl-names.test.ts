/** kubefedctl's `KIND NAME -n NS` names the same object as gitfed's `KIND/NS/NAME` in explain and orphaning-deletion. */
import { describe, expect, it } from 'vitest';
import { copyExampleFleet, runGitfed } from '../../support/cli.js';

describe('KIND NAME -n NS', () => {
  it.each([
    [['orphaning-deletion', 'status', 'FederatedDeployment', 'web', '-n', 'shop'], ['orphaning-deletion', 'status', 'FederatedDeployment/shop/web']],
    [['explain', 'deployment', 'web', '-n', 'shop'], ['explain', 'deployment/shop/web']],
    // enable's spellings: short name, plural, group-qualified plural, Kind.
    [['explain', 'deploy', 'web', '-n', 'shop'], ['explain', 'deployment/shop/web']],
    [['explain', 'deployments.apps/shop/web'], ['explain', 'deployment/shop/web']],
    [['explain', 'deployments', 'web', '-n', 'shop'], ['explain', 'Deployment/shop/web']],
    [['explain', 'svc', 'web', '-n', 'shop'], ['explain', 'FederatedService/shop/web']],
  ])('%j is %j', async (kubefedctl, gitfed) => {
    const repo = await copyExampleFleet();
    const a = await runGitfed([...kubefedctl, '--repo', repo]);
    const b = await runGitfed([...gitfed, '--repo', repo]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(0);
  });

  it('a spelling of another type finds nothing', async () => {
    const r = await runGitfed(['explain', 'sts', 'web', '-n', 'shop', '--repo', await copyExampleFleet()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[NotFound]');
  });

  it('refuses both forms at once', async () => {
    const r = await runGitfed(['explain', 'deployment/shop/web', 'web', '--repo', await copyExampleFleet()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[InvalidArgument]');
  });
});
