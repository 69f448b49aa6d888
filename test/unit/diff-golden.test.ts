/**
 * The PR comment at fleet scale: golden markdown for 2, 50 and 500 clusters, each under GitHub's
 * comment limit, identical changes grouped. UPDATE_GOLDEN=1 rewrites the files after a deliberate change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_LIMIT } from '../../src/format/diff-markdown.js';
import { formatDiff } from '../../src/format/diff.js';
import { diffOutputs } from '../../src/render/diff.js';
import { reviewDiff } from '../../src/render/diff-review.js';
import { clusterName, fleetPair } from '../support/diff-fleet.js';

const GOLDEN = new URL('../golden/diff/', import.meta.url).pathname;

function comment(n: number, opts: Parameters<typeof formatDiff>[3] = {}): string {
  const { base, head } = fleetPair(n);
  const d = diffOutputs(base, head, { base: 'main (1111111)', head: 'pr-42 (2222222)' });
  return formatDiff(d, reviewDiff(d), 'markdown', opts);
}

describe.each([2, 50, 500])('the markdown of a PR on %i clusters', (n) => {
  const md = comment(n);

  it('is its golden file', () => {
    const file = `${GOLDEN}${n}-clusters.md`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, md);
    expect(md).toBe(readFileSync(file, 'utf8'));
  });

  it('fits one GitHub comment', () => {
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  });

  it('groups the clusters that change the same way', () => {
    const cloud = Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 4).length;
    const image = '`containers[web].image`: `registry.example.com/shop/web:1.8.2` → `registry.example.com/shop/web:1.9.0`';
    expect(md).toContain(`${image} on ${cloud === 1 ? clusterName(0) : `${cloud} clusters: ${clusterName(0)}, ${clusterName(1)}`}`);
    expect(md).toContain(`\`data.LOG_LEVEL\`: \`info\` → \`debug\` on ${n} clusters`);
    // One line for the image of all the cloud clusters, not one per cluster.
    expect(md.split('registry.example.com/shop/web:1.9.0` on').length - 1).toBe(1);
  });

  it('summarises first: clusters, objects, replicas, placements, Secrets (masked)', () => {
    const summary = md.slice(0, md.indexOf('#### By object'));
    expect(summary).toContain(`| Clusters touched | ${n.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} |`);
    expect(summary).toContain(`| Objects added | 1 object on ${n.toLocaleString('en-US')} clusters in all |`);
    expect(summary).toContain(`Deployment/shop/web: 2 moved, net +0 (${clusterName(0)} 3 → 1, ${clusterName(1)} 3 → 5)`);
    expect(summary).toContain(`ConfigMap/shop/regional: ${n - 1} → ${n} clusters (+${clusterName(n - 1)})`);
    expect(summary).toContain(`ConfigMap/shop/legacy: ${n} → ${n - 1} clusters (-${clusterName(0)})`);
    expect(summary).toContain('Secret/shop/db on');
    expect(md).not.toContain('s3cret');
  });
});

describe('the budget', () => {
  it('shortens to fit and says what it left out and where the full diff is', () => {
    const full = comment(500, { maxBytes: 0 });
    expect(Buffer.byteLength(full)).toBeGreaterThan(20_000);
    const short = comment(500, { maxBytes: 20_000, fullDiff: { name: 'gitfed-diff.md', bytes: Buffer.byteLength(full) } });
    expect(Buffer.byteLength(short)).toBeLessThanOrEqual(20_000);
    expect(short).toMatch(/Shortened to fit 20,000 bytes \(left out: .*\)\. The full diff \([\d,]+ bytes\) is in `gitfed-diff.md`\./);
    expect(short).toContain('| Clusters touched | 500 of 500 |');
  });

  it('holds whatever the budget, down to a summary alone', () => {
    for (const max of [3_000, 6_000, 12_000, 40_000]) expect(Buffer.byteLength(comment(500, { maxBytes: max }))).toBeLessThanOrEqual(max);
  });

  it('names the full diff even when nothing had to be left out', () => {
    expect(comment(2, { fullDiff: { name: 'gitfed-diff.md', bytes: 10, link: 'https://ci.example/artifacts/1' } })).toContain('The full diff (10 bytes) is in [gitfed-diff.md](https://ci.example/artifacts/1).');
  });
});
