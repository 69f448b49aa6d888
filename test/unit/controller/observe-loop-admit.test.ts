/** The observe loop's fence for the controller's observer: a round not admitted never reads the fleet or a member. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ObserveLoop, type Round } from '../../../src/observe/loop.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function loop(admit: () => boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'gitfed-loop-admit-'));
  dirs.push(dir);
  const rounds: Round[] = [];
  const lines: string[] = [];
  // Not a repository: a round that runs fails reading it, so a round that ran is seen.
  const l = new ObserveLoop({ fleet: join(dir, 'no-repo'), intervalSeconds: 3600, dwellSeconds: 60, band: 1, admit, log: (line) => lines.push(line), onRound: (r) => rounds.push(r) });
  return { l, rounds, lines };
}

describe('ObserveLoop admit', () => {
  it('runs no round while not admitted', async () => {
    const { l, rounds, lines } = loop(() => false);
    await l.round();
    await l.round();
    expect(rounds).toEqual([]);
    expect(lines).toEqual([]);
    await l.stop();
  });

  it('runs the round once admitted; a failing round reports its error once and how long it took', async () => {
    let admitted = false;
    const { l, rounds, lines } = loop(() => admitted);
    await l.round();
    admitted = true;
    await l.round();
    await l.round();
    expect(rounds).toHaveLength(2);
    expect(rounds[0]!.error).toBeTruthy();
    expect(rounds[0]!.observed).toBeUndefined();
    expect(rounds[0]!.seconds).toBeGreaterThanOrEqual(0);
    expect(lines).toHaveLength(1);
    await l.stop();
  });
});
