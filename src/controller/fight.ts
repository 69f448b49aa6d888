/**
 * @module controller/fight
 * A fight with another controller, detected instead of fed: when gitfed corrects the same object
 * again and again (another manager keeps setting its own value), the member is reported
 * Fighting, naming the object, the fields and the other manager, and drift corrections on it
 * pause, longer each time the fight resumes. Head changes and the periodic re-check still run.
 * Pure: the caller feeds it each reconcile's report and asks it with its own clock.
 */
import type { MemberReport, ObjectStatus } from '../apply/status/report.js';

export interface FightOptions {
  /** Corrections of one object counted within this window... */
  readonly windowMs: number;
  /** ...that make a fight. */
  readonly corrections: number;
  /** First pause; it doubles each time the fight resumes, up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_FIGHT: FightOptions = { windowMs: 120_000, corrections: 3, backoffMs: 30_000, maxBackoffMs: 600_000 };

export interface Fight {
  readonly object: string;
  readonly fields: readonly string[];
  /** Field managers that changed the fields back (from the apply conflicts); empty when unknown. */
  readonly managers: readonly string[];
  readonly corrections: number;
  /** Drift corrections on the member resume at this time (ms). */
  readonly until: number;
}

/** The fields an object's line says gitfed corrected, and who had changed them. */
export function correctionOf(o: ObjectStatus): { fields: string[]; managers: string[] } | undefined {
  const m = o.message ? /^drift corrected: (.*)$/.exec(o.message) : null;
  if (!m || (o.action !== 'configured' && o.action !== 'created')) return undefined;
  const managers = [...new Set((o.taken ?? []).flatMap((t) => [...t.matchAll(/from "([^"]+)"/g)].map((x) => x[1]!)))].sort();
  return { fields: m[1]!.split(', ').filter(Boolean), managers };
}

interface Track {
  times: number[];
  fields: Set<string>;
  managers: Set<string>;
}

export class FightDetector {
  private readonly tracks = new Map<string, Map<string, Track>>();
  private readonly fights = new Map<string, Fight>();
  /** How many times each member's fight started; the pause doubles with each. */
  private readonly rounds = new Map<string, number>();
  private readonly lastCorrection = new Map<string, number>();

  constructor(private readonly opts: FightOptions = DEFAULT_FIGHT) {}

  /** Takes a reconcile's report; returns the member's fight, new or still going. */
  observe(member: string, report: MemberReport, now: number): Fight | undefined {
    const byObject = this.tracks.get(member) ?? new Map<string, Track>();
    this.tracks.set(member, byObject);
    for (const o of report.objects) {
      const c = correctionOf(o);
      if (!c) continue;
      const t = byObject.get(o.key) ?? { times: [], fields: new Set<string>(), managers: new Set<string>() };
      byObject.set(o.key, t);
      t.times.push(now);
      this.lastCorrection.set(member, now);
      for (const f of c.fields) t.fields.add(f);
      for (const m of c.managers) t.managers.add(m);
    }
    let worst: { key: string; object: string; track: Track } | undefined;
    for (const [key, t] of byObject) {
      t.times = t.times.filter((x) => now - x <= this.opts.windowMs);
      if (t.times.length === 0) {
        byObject.delete(key);
        continue;
      }
      if (t.times.length >= this.opts.corrections && (!worst || t.times.length > worst.track.times.length)) {
        worst = { key, object: report.objects.find((o) => o.key === key)?.object ?? key, track: t };
      }
    }
    const current = this.fights.get(member);
    if (worst && !(current && now < current.until)) {
      const round = (this.rounds.get(member) ?? 0) + 1;
      this.rounds.set(member, round);
      const pause = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (round - 1));
      const fight: Fight = { object: worst.object, fields: [...worst.track.fields].sort(), managers: [...worst.track.managers].sort(), corrections: worst.track.times.length, until: now + pause };
      this.fights.set(member, fight);
      // Counted afresh after the pause: a fight that goes on needs as many corrections again.
      worst.track.times = [];
      return fight;
    }
    if (current && now < current.until) return current;
    if (current && now - (this.lastCorrection.get(member) ?? 0) > this.opts.windowMs) {
      // No correction for a whole window, the pause over: the fight is over.
      this.fights.delete(member);
      this.rounds.delete(member);
      return undefined;
    }
    return current;
  }

  /** True while drift corrections on the member are paused. */
  pausing(member: string, now: number): boolean {
    const f = this.fights.get(member);
    return !!f && now < f.until;
  }

  forget(member: string): void {
    this.lastCorrection.delete(member);
    this.tracks.delete(member);
    this.fights.delete(member);
    this.rounds.delete(member);
  }
}

/** The report as a fight makes it: state Fighting, the message naming object, fields and manager. */
export function fightingReport(report: MemberReport, fight: Fight, now: number): MemberReport {
  if (report.state === 'Failed' || report.state === 'Unreachable') return report;
  const who = fight.managers.length ? `field manager ${fight.managers.map((m) => `"${m}"`).join(', ')}` : 'another field manager';
  const pause = now < fight.until ? `; drift corrections paused until ${new Date(fight.until).toISOString()}` : '';
  return { ...report, state: 'Fighting', message: `${fight.object}: ${fight.fields.join(', ')} changed back by ${who} (${fight.corrections} corrections)${pause}` };
}
