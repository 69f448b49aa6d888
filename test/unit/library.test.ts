/** The library behind the CLI is importable: render and apply are functions. */
import { describe, expect, it } from 'vitest';
import * as gitfed from '../../src/index.js';

describe('gitfed as a library', () => {
  it('renders the example fleet through the public entry point', async () => {
    const files = await gitfed.readWorkingTree(new URL('../../examples/fleet-repo/', import.meta.url).pathname);
    const result = gitfed.renderFleet(files);
    expect(result.branches[0]!.clusters.map((c) => c.cluster)).toEqual(['burst-1', 'cloud-eu-1', 'cloud-us-1', 'onprem-dc1']);
  });

  it('exposes the git, apply and dev layers', () => {
    expect(typeof gitfed.commitOutputs).toBe('function');
    expect(typeof gitfed.apply.applyBranch).toBe('function');
    expect(typeof gitfed.dev.up).toBe('function');
  });
});
