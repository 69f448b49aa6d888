/**
 * The apply plan of one member, from typed inputs: what each object of the branch gets, what
 * prune does with each object that left it and what holds a prune back, and the inventory writes.
 * Executing a plan against real members is the e2e tests' (test/e2e/apply).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, type ApplyConfig } from '../../../src/apply/config.js';
import { fleetIdentity, type FleetIdentity } from '../../../src/apply/fleet.js';
import { EMPTY_INVENTORY, type FleetInventories, type Inventory } from '../../../src/apply/member/inventory.js';
import { DRIFT_ANNOTATION, MANAGED_BY_LABEL, ORPHAN_ANNOTATION, PRUNE_ANNOTATION } from '../../../src/apply/member/ownership.js';
import { Stage } from '../../../src/apply/member/order.js';
import { inventoryAfter, objectSteps, planMember, pruneSteps, REPORTED_DRIFT, type MemberPlan, type PlanInput } from '../../../src/apply/plan/member-plan.js';
import { prepare, verifiedStamp, type PreparedObject } from '../../../src/apply/plan/plan.js';
import { refKey, refOf, type KubeObject, type ObjectRef } from '../../../src/object.js';

const shop = fleetIdentity('shop');
const payments = fleetIdentity('payments');

function configMap(name: string, data: Record<string, string> = { a: '1' }, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team-a', ...(annotations ? { annotations } : {}) }, data };
}
const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };

function prepared(objects: readonly KubeObject[], fleet: FleetIdentity = shop): PreparedObject[] {
  return prepare(objects.map((obj) => ({ ref: refOf(obj), obj, file: `clusters/m1/${obj.metadata.name}.yaml` })), 'm1', [], (r) => r.kind !== 'Namespace', fleet);
}

/** The object as `owner` applied it to the member: its payload with a resourceVersion and uid. */
function applied(obj: KubeObject, owner: FleetIdentity = shop): KubeObject {
  const [p] = prepared([obj], owner) as [PreparedObject];
  const live = structuredClone(p.payload);
  live.metadata.resourceVersion = '7';
  live.metadata.uid = `uid-${obj.metadata.name}`;
  return live;
}

function liveOf(objects: readonly KubeObject[]): PlanInput['live'] {
  const byKey = new Map(objects.map((o) => [refKey(refOf(o)), o]));
  return { get: (ref: ObjectRef) => byKey.get(refKey(ref)) };
}

function inventories(own: readonly KubeObject[], earlier: readonly Inventory[] = []): FleetInventories {
  const objects = own.map(refOf);
  const tracked = [...objects, ...earlier.flatMap((i) => i.objects)];
  return { own: { ...EMPTY_INVENTORY, fleet: shop, objects, branchCommit: 'b1' }, earlier, tracked };
}

function plan(over: Omit<Partial<PlanInput>, 'live' | 'config'> & { branch: readonly KubeObject[]; live?: readonly KubeObject[]; config?: Partial<ApplyConfig> }): MemberPlan {
  const { branch, live, config, ...rest } = over;
  return planMember({
    fleet: shop,
    objects: prepared(branch),
    failures: [],
    inventories: inventories([]),
    ...rest,
    live: liveOf(live ?? []),
    config: { ...DEFAULT_CONFIG, ...config },
  });
}

const stepOf = (p: MemberPlan, name: string) => objectSteps(p).find((s) => s.object.ref.name === name)!;
const pruneOf = (p: MemberPlan, name: string) => pruneSteps(p).find((s) => s.ref.name === name)!;

describe('planMember: the objects of the branch', () => {
  it('creates what the member does not have, and lists it in the inventory before applying', () => {
    const p = plan({ branch: [namespace, configMap('cfg')] });
    expect(objectSteps(p).map((s) => [s.object.ref.kind, s.decision.kind])).toEqual([['Namespace', 'create'], ['ConfigMap', 'create']]);
    expect(p.apply.map((s) => s.stage)).toEqual([Stage.Definitions, Stage.Rest]);
    expect(p.inventory.widen?.objects.map((r) => r.name)).toEqual(['team-a', 'cfg']);
  });

  it('leaves alone what the member holds as applied, and writes no inventory it already has', () => {
    const cfg = configMap('cfg');
    const p = plan({ branch: [cfg], live: [applied(cfg)], inventories: inventories([cfg]) });
    expect(stepOf(p, 'cfg').decision).toEqual({ kind: 'in-sync' });
    expect(p.inventory.widen).toBeUndefined();
    expect(p.prune).toEqual([]);
  });

  it('updates an object whose branch version changed', () => {
    const p = plan({ branch: [configMap('cfg', { a: '2' })], live: [applied(configMap('cfg', { a: '1' }))], inventories: inventories([configMap('cfg')]) });
    expect(stepOf(p, 'cfg').decision).toEqual({ kind: 'update' });
  });

  it('suspects drift where the member changed a field, corrected or only reported by policy', () => {
    const edited = applied(configMap('cfg'));
    edited.data = { a: 'edited' };
    const correct = plan({ branch: [configMap('cfg')], live: [edited] });
    expect(stepOf(correct, 'cfg')).toMatchObject({ decision: { kind: 'suspect-drift', paths: ['/data/a'] }, drift: 'correct' });
    expect(stepOf(plan({ branch: [configMap('cfg')], live: [edited], config: { drift: 'report' } }), 'cfg').drift).toBe('report');

    // The object's annotation outranks the configuration, either way.
    const annotated = configMap('cfg', { a: '1' }, { [DRIFT_ANNOTATION]: 'report' });
    const reportLive = applied(annotated);
    reportLive.data = { a: 'edited' };
    expect(stepOf(plan({ branch: [annotated], live: [reportLive] }), 'cfg').drift).toBe('report');
    expect(REPORTED_DRIFT).toMatch(/not corrected/);
  });

  it('does not examine again a live version a dry-run already found in sync', () => {
    const edited = applied(configMap('cfg'));
    edited.data = { a: 'edited' };
    const [p] = prepared([configMap('cfg')]);
    const verified = new Map([[p!.key, verifiedStamp(edited, p!.digest)]]);
    expect(stepOf(plan({ branch: [configMap('cfg')], live: [edited], verified }), 'cfg').decision).toEqual({ kind: 'in-sync' });
  });

  it("blocks another fleet's object, says whose it is and how to take it over, and never lists it", () => {
    const cfg = configMap('cfg');
    const p = plan({ branch: [cfg, configMap('mine')], live: [applied(cfg, payments)] });
    const step = stepOf(p, 'cfg');
    expect(step.decision).toEqual({ kind: 'foreign', owner: { id: payments.id, name: 'payments' } });
    expect(step.blocked).toBe('owned by fleet payments; not applied. To take it over, add {fleet: payments, kind: ConfigMap, namespace: team-a, name: cfg} under takeOver in gitfed-apply.yaml');
    expect(p.inventory.desired.map((r) => r.name)).toEqual(['mine']);
    expect(p.inventory.widen?.objects.map((r) => r.name)).toEqual(['mine']);
  });

  it('takes over what a takeOver rule names, and lists it', () => {
    const cfg = configMap('cfg');
    const takeOver = parseConfig('takeOver:\n  - fleet: payments\n    kind: ConfigMap\n    name: "c*"\n').takeOver;
    const p = plan({ branch: [cfg], live: [applied(cfg, payments)], config: { takeOver } });
    expect(stepOf(p, 'cfg').decision).toMatchObject({ kind: 'adopt', reason: 'take-over', from: { name: 'payments' } });
    expect(p.inventory.desired.map((r) => r.name)).toEqual(['cfg']);
  });

  it("moves the objects of the fleet's earlier names over, and retires their inventories", () => {
    const old = fleetIdentity('old-name');
    const cfg = configMap('cfg');
    const earlier: Inventory = { fleet: old, objects: [refOf(cfg)], branchCommit: 'b0' };
    const p = plan({ branch: [cfg], live: [applied(cfg, old)], inventories: inventories([], [earlier]) });
    expect(stepOf(p, 'cfg').decision).toMatchObject({ kind: 'adopt', reason: 'earlier-name' });
    expect(p.inventory.retire).toEqual([earlier]);
  });

  it('creates over an object that carries no gitfed label', () => {
    const bare = applied(configMap('cfg'));
    delete bare.metadata.labels![MANAGED_BY_LABEL];
    expect(stepOf(plan({ branch: [configMap('cfg')], live: [bare] }), 'cfg').decision).toEqual({ kind: 'create' });
  });
});

describe('planMember: prune', () => {
  const gone = configMap('gone');
  const base = { branch: [configMap('kept')], inventories: inventories([configMap('kept'), gone]) };

  it('deletes what left the branch when the fleet owns it, in reverse apply order', () => {
    const p = plan({ ...base, branch: [], live: [applied(gone), applied(namespace)], inventories: inventories([namespace, gone]) });
    expect(pruneSteps(p).map((s) => [s.ref.name, s.decision.kind])).toEqual([['gone', 'delete'], ['team-a', 'delete']]);
    expect(p.prune.map((s) => s.stage)).toEqual([Stage.Rest, Stage.Definitions]);
  });

  it("keeps another fleet's object, naming the owner; a takeOver rule does not change that", () => {
    const p = plan({ ...base, live: [applied(gone, payments)], config: { takeOver: [{ fleet: '*' }] } });
    expect(pruneOf(p, 'gone').decision).toMatchObject({ kind: 'keep', reason: 'owned by fleet payments' });
  });

  it('keeps what an annotation orphans or exempts from prune', () => {
    const orphaned = applied(gone);
    orphaned.metadata.annotations = { ...orphaned.metadata.annotations, [ORPHAN_ANNOTATION]: 'true' };
    expect(pruneOf(plan({ ...base, live: [orphaned] }), 'gone').decision).toMatchObject({ kind: 'keep', reason: expect.stringMatching(/^orphaned/) });
    const exempt = applied(gone);
    exempt.metadata.annotations = { ...exempt.metadata.annotations, [PRUNE_ANNOTATION]: 'disabled' };
    expect(pruneOf(plan({ ...base, live: [exempt] }), 'gone').decision).toMatchObject({ kind: 'keep', reason: expect.stringMatching(/^prune disabled/) });
  });

  it('keeps a live object without gitfed label, and has nothing to do for one already gone', () => {
    const unlabelled = applied(gone);
    delete unlabelled.metadata.labels![MANAGED_BY_LABEL];
    expect(pruneOf(plan({ ...base, live: [unlabelled] }), 'gone').decision).toMatchObject({ kind: 'keep', reason: expect.stringMatching(/^not owned by gitfed/) });
    expect(pruneOf(plan(base), 'gone').decision).toEqual({ kind: 'gone' });
  });

  it('prunes nothing while a file does not parse, and keeps everything listed', () => {
    const failures = [{ file: 'clusters/m1/broken.yaml', line: 3, message: 'bad indentation' }];
    const p = plan({ ...base, live: [applied(gone)], failures });
    expect(p.prune).toEqual([]);
    expect(p.pruneHeld).toMatch(/1 file\(s\) do not parse/);
    expect(inventoryAfter(p, { written: p.inventory.current, failedPrunes: [], complete: false }).objects.map((r) => r.name).sort()).toEqual(['gone', 'kept']);
  });
});

describe('planMember: dry-run, and the inventory after a run', () => {
  it('decides the same on a dry-run, and plans no inventory write and no retirement', () => {
    const old = fleetIdentity('old-name');
    const earlier: Inventory = { fleet: old, objects: [], branchCommit: 'b0' };
    const input = { branch: [configMap('new'), configMap('cfg', { a: '2' })], live: [applied(configMap('cfg'))], inventories: inventories([configMap('cfg'), configMap('gone')], [earlier]) };
    const real = plan(input);
    const dry = plan({ ...input, dryRun: true });
    expect(real.inventory.widen).toBeDefined();
    expect(real.inventory.retire).toEqual([earlier]);
    expect(dry.inventory.widen).toBeUndefined();
    expect(dry.inventory.retire).toEqual([]);
    expect(dry.apply).toEqual(real.apply);
    expect(dry.prune).toEqual(real.prune);
  });

  it('narrows to the branch once complete, keeping what failed to delete; an incomplete run keeps its commits', () => {
    const p = plan({ branch: [configMap('kept')], live: [applied(configMap('stuck')), applied(configMap('gone'))], inventories: inventories([configMap('kept'), configMap('stuck'), configMap('gone')]) });
    const stuck = pruneOf(p, 'stuck').ref;
    const failed = inventoryAfter(p, { written: p.inventory.current, failedPrunes: [stuck], complete: false, branchCommit: 'b2' });
    expect(failed.objects.map((r) => r.name)).toEqual(['kept', 'stuck']);
    expect(failed.branchCommit).toBe('b1');
    const done = inventoryAfter(p, { written: p.inventory.current, failedPrunes: [], complete: true, branchCommit: 'b2', sourceCommit: 's2' });
    expect(done).toEqual({ objects: [refOf(configMap('kept'))], branchCommit: 'b2', sourceCommit: 's2' });
  });
});
