import { describe, expect, it } from 'vitest';
import { mapLimit, Semaphore } from '../../../src/apply/member/limit.js';

describe('bounded concurrency', () => {
  it('never runs more than the bound at once and keeps input order', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, n));
      active--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('starts nothing new after a failure', async () => {
    const started: number[] = [];
    await expect(
      mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        if (n === 1) throw new Error('down');
        await new Promise((r) => setTimeout(r, 5));
      }),
    ).rejects.toThrow('down');
    expect(started.length).toBeLessThan(6);
  });

  it('queues semaphore holders beyond the size', async () => {
    const s = new Semaphore(1);
    const order: string[] = [];
    await Promise.all([
      s.run(async () => { order.push('a+'); await new Promise((r) => setTimeout(r, 5)); order.push('a-'); }),
      s.run(async () => { order.push('b+'); order.push('b-'); }),
    ]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-']);
  });
});
