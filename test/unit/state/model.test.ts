import { describe, expect, it } from 'vitest';
import { GitfedError } from '../../../src/errors.js';
import { parseFleetState, parseMemberState, serializeMemberState, type MemberState } from '../../../src/state/model.js';

const doc: MemberState = {
  cluster: 'onprem-dc1', ready: true, readySince: '2026-01-01T00:00:00Z', changedAt: '2026-01-01T00:05:00Z',
  free: { pods: '96', cpu: '0m' },
  workloads: { 'apps/Deployment/shop/web': { desired: 10, ready: 4, current: 4, pending: 6, unschedulable: 6, fit: 0 } },
};

describe('member state documents', () => {
  it('serialise deterministically: sorted maps, fixed key order, and read back equal', () => {
    const text = serializeMemberState(doc);
    expect(text).toBe(serializeMemberState({ ...doc, free: { cpu: '0m', pods: '96' } }));
    expect(text.indexOf('"cpu"')).toBeLessThan(text.indexOf('"pods"'));
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseMemberState(text, 'members/onprem-dc1.json')).toEqual(doc);
  });
  it('refuse what they cannot read exactly, naming the file', () => {
    const bad = (patch: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(serializeMemberState(doc)), ...patch });
    for (const [patch, what] of [
      [{ schema: 2 }, 'schema 2'],
      [{ ready: 'yes' }, 'ready must be'],
      [{ changedAt: 'yesterday' }, 'changedAt must be'],
      [{ workloads: { x: { desired: -1, ready: 0, current: 0, pending: 0, unschedulable: 0, fit: 0 } } }, 'workloads.x.desired must be a count'],
      [{ cluster: 'other' }, 'the file is for onprem-dc1'],
    ] as const) {
      const err = (() => { try { parseMemberState(bad(patch), 'members/onprem-dc1.json'); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(GitfedError);
      expect((err as GitfedError).code).toBe('FleetStateInvalid');
      expect((err as GitfedError).file).toBe('members/onprem-dc1.json');
      expect((err as GitfedError).message).toContain(what);
    }
  });
  it('a state tree is every members/*.json, by cluster name', () => {
    const s = parseFleetState(new Map([['members/onprem-dc1.json', serializeMemberState(doc)], ['README', 'x']]), 'c0ffee');
    expect([...s.members.keys()]).toEqual(['onprem-dc1']);
    expect(s.commit).toBe('c0ffee');
  });
});
