import { describe, expect, it } from 'vitest';
import { liveDiffExitCode, type LiveDiffResult } from '../../../src/apply/live-diff.js';
import { formatLiveDiff } from '../../../src/format/live-diff.js';
import { REPORTED_DRIFT } from '../../../src/apply/plan/member-plan.js';
import { diffObjects } from '../../../src/apply/plan/structural-diff.js';

const result: LiveDiffResult = {
  source: 'out.git@rendered',
  members: [
    {
      cluster: 'm1',
      objects: [
        { key: '/ConfigMap/a/new', object: 'ConfigMap/a/new', change: 'create', fields: [] },
        { key: '/ConfigMap/a/cfg', object: 'ConfigMap/a/cfg', change: 'update', fields: [{ path: '/data/a', op: 'replace', from: '1', to: '2' }, { path: '/data/b', op: 'add', to: 'x' }] },
        { key: '/ConfigMap/a/old', object: 'ConfigMap/a/old', change: 'prune', fields: [] },
      ],
    },
    { cluster: 'm2', objects: [] },
  ],
};

describe('live diff', () => {
  it('lists creations, changes with their fields, and prunes, per member', () => {
    expect(formatLiveDiff(result, 'text')).toBe(
      [
        '► m1: 3 change(s)',
        '  ConfigMap/a/new created',
        '  ConfigMap/a/cfg changed',
        '    ± /data/a',
        '      - "1"',
        '      + "2"',
        '    + /data/b: "x"',
        '  ConfigMap/a/old pruned',
        '► m2: no changes',
        '',
      ].join('\n'),
    );
    expect(formatLiveDiff(result, 'markdown')).toContain('| ConfigMap/a/cfg | changed | replace /data/a, add /data/b |');
    expect(JSON.parse(formatLiveDiff(result, 'json'))).toEqual(result);
  });

  it('shows drift the report policy leaves in place as a change, saying so beside its fields', () => {
    const drift: LiveDiffResult = { source: 's', members: [{ cluster: 'm1', objects: [{ key: '/ConfigMap/a/w', object: 'ConfigMap/a/w', change: 'update', fields: [{ path: '/data/a', op: 'replace', from: 'x', to: '1' }], message: REPORTED_DRIFT }] }] };
    expect(formatLiveDiff(drift, 'text')).toContain(`  ConfigMap/a/w changed: ${REPORTED_DRIFT}\n    ± /data/a\n`);
    expect(formatLiveDiff(drift, 'markdown')).toContain(`| ConfigMap/a/w | changed | ${REPORTED_DRIFT}; replace /data/a |`);
  });

  it('exits 0 without changes, 1 with changes, 2 when a member or an object could not be diffed', () => {
    expect(liveDiffExitCode({ source: 's', members: [{ cluster: 'm', objects: [] }] })).toBe(0);
    expect(liveDiffExitCode(result)).toBe(1);
    expect(liveDiffExitCode({ source: 's', members: [...result.members, { cluster: 'm3', error: 'unreachable', objects: [] }] })).toBe(2);
  });

  it('compares objects without the fields the server owns', () => {
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '9', uid: 'u', managedFields: [] }, data: { a: '1' }, status: { x: 1 } };
    const next = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '10' }, data: { a: '1', b: '2' } };
    expect(diffObjects(live, next)).toEqual([{ path: '/data/b', op: 'add', to: '2' }]);
  });
});
