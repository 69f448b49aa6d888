/** A changed apply config is picked up, or refused loudly; never ignored. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplyConfig } from '../../../src/apply/config.js';
import { watchConfig } from '../../../src/controller/config-watch.js';
import type { LogEvent } from '../../../src/controller/log.js';

/** Waits for the probe, up to 30 s: a loaded machine polls late, and the assertions follow. */
async function until(probe: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!probe() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

describe('watching gitfed-apply.yaml', () => {
  it('hands a valid change to the daemon and refuses an invalid one loudly, keeping the old', { timeout: 70_000 }, async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-config-')), 'gitfed-apply.yaml');
    fs.writeFileSync(file, 'drift: correct\n');
    const applied: ApplyConfig[] = [];
    const logs: LogEvent[] = [];
    const stop = watchConfig(file, (c) => applied.push(c), (e) => logs.push(e), 20);
    try {
      fs.writeFileSync(file, 'drift: report\nconflicts: stop\n');
      await until(() => applied.length === 1);
      expect(applied.map((c) => [c.drift, c.conflicts])).toEqual([['report', 'stop']]);
      expect(logs[0]).toMatchObject({ action: 'config', msg: expect.stringContaining('in force from each member') });

      fs.writeFileSync(file, 'drift: sometimes\n');
      await until(() => logs.length === 2);
      expect(applied.length).toBe(1);
      expect(logs[1]).toMatchObject({ level: 'error', action: 'config', msg: expect.stringMatching(/refused, the previous config stays in force: drift must be one of correct, report/) });
    } finally {
      stop();
    }
  });
});
