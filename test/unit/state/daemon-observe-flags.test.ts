/** `gitfed daemon --observe`: its flags are checked together before anything starts. */
import { describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';

const refused = async (args: string[], message: RegExp) => {
  const r = await runGitfed(['daemon', '--repo', '.', ...args]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  // --dwell and --band are parsed as gitfed observe parses them (InvalidArgument).
  expect(r.stderr).toMatch(/\[Invalid(Flag|Argument)\]/);
};

describe('daemon --observe flags', () => {
  it('--fleet, --render and --source-repo go with --observe', async () => {
    await refused(['--render'], /--render go with --observe/);
    await refused(['--fleet', '.', '--source-repo', 'https://x/y'], /--fleet, --source-repo go with --observe/);
  });

  it('--observe needs --fleet, and --source-repo needs --render', async () => {
    await refused(['--observe'], /--observe needs --fleet/);
    await refused(['--observe', '--fleet', '.', '--source-repo', 'https://x/y'], /--source-repo names the fleet repo in a render; add --render/);
  });

  it('bad numbers are refused by name', async () => {
    await refused(['--observe', '--fleet', '.', '--observe-interval', '0'], /--observe-interval must be a positive number of seconds/);
    await refused(['--observe', '--fleet', '.', '--dwell', '-1'], /--dwell must be a whole number/);
  });

  it('a controller replica checks them too, before it reaches the management cluster', async () => {
    await refused(['--observe', '--management-kubeconfig', '/nonexistent'], /--observe needs --fleet/);
    await refused(['--observe', '--fleet', '.', '--dwell', 'x', '--in-cluster'], /--dwell must be a whole number/);
  });

  it('a --fleet URL is for a controller, over https, with its source branch named', async () => {
    await refused(['--observe', '--fleet', 'https://git.example.com/fleet.git'], /--fleet is a local clone in a single daemon; a URL is for a controller/);
    await refused(['--observe', '--fleet', 'https://git.example.com/fleet.git', '--management-kubeconfig', '/nonexistent'], /--fleet https:\/\/git\.example\.com\/fleet\.git is a URL: --fleet-ref must name its source branch, not HEAD/);
    await refused(['--observe', '--fleet', 'ssh://git@git.example.com/fleet.git', '--fleet-ref', 'main', '--management-kubeconfig', '/nonexistent'], /ssh is not done yet/);
  });
});
