// The host queue's bounds (loadPlugin's `prefetch` and `prefetchBytes`): GPAC's thread hands a process() at
// most that many packets, or at least one packet and then at most that many payload bytes, per input PID —
// and, the queue emptying as the plugin drops packets, every packet still arrives.
import { expect } from 'vitest';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { chain, fixture, runChain, VIDEO } from './_plugins.js';

/** Packets per process() call, from the order fixture's log ('process', 'packet N', ...). */
function packetsPerCall(log: string[]): number[] {
  const counts: number[] = [];
  for (const l of log) {
    if (l === 'process') counts.push(0);
    else if (l.startsWith('packet ') && counts.length) counts[counts.length - 1]!++;
  }
  return counts.filter((n) => n > 0);
}

async function run(threads: number, bounds: { prefetch?: number; prefetchBytes?: number }): Promise<{ perCall: number[]; packets: number }> {
  const c = await chain(VIDEO, fixture('order.ts'), { threads, ...bounds });
  expect(await runChain(c)).toBeUndefined();
  const log = c.messages.at(-1) as string[];
  expect(log, 'final log').toBeDefined();
  return { perCall: packetsPerCall(log), packets: log.filter((l) => l.startsWith('packet ')).length };
}

describeGpac('host queue bounds', () => {
  for (const threads of [0, 4]) {
    itGpac(`prefetch and prefetchBytes bound each process()'s packets, every packet arrives (threads ${threads})`, async () => {
      const free = await run(threads, {});
      expect(free.packets).toBe(75);
      // Unbounded, the 75 packets of 3 s of video come in a few calls: the bounds below are what limits them.
      expect(Math.max(...free.perCall)).toBeGreaterThan(3);

      const byCount = await run(threads, { prefetch: 3 });
      expect(byCount.packets).toBe(75);
      expect(Math.max(...byCount.perCall)).toBeLessThanOrEqual(3);

      // One byte: a packet is always handed over, then the queue is full until the plugin drops it.
      const byBytes = await run(threads, { prefetchBytes: 1 });
      expect(byBytes.packets).toBe(75);
      expect(Math.max(...byBytes.perCall)).toBe(1);
      expect(byBytes.perCall).toHaveLength(75);
    });
  }
});
