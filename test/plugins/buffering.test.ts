// The buffering sink (plugins/buffering.ts): PLAY starts its inputs, its BUFFER_REQ lets the source fill
// 2.5 s ahead (GPAC's default would block it at a few packets, and the sink would wait for ever), buffer
// levels read through the plugin API reach the threshold before playback starts, and every packet is consumed.
import { expect } from 'vitest';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import type { BufferingReport } from '../../plugins/buffering.js';
import { AV, chain, plugin, runChain } from './_plugins.js';

describeGpac('buffering sink plugin', () => {
  for (const threads of [0, 4]) {
    itGpac(`buffers 2.5 s on every PID before consuming, then consumes everything (threads ${threads})`, async () => {
      const c = await chain(AV, plugin('buffering.ts'), { threads, options: { playUs: 2_500_000, maxBufferUs: 10_000_000 } });
      expect(await runChain(c)).toBeUndefined();
      const r = c.messages.at(-1) as BufferingReport;
      expect(r, 'final report').toBeDefined();
      expect(Object.keys(r.levelsAtStart).sort()).toHaveLength(2);
      for (const [name, level] of Object.entries(r.levelsAtStart)) {
        // Either 2.5 s buffered, or the whole 3 s file (end of stream reached first).
        expect(level, `${name} level when playback started`).toBeGreaterThanOrEqual(2_500_000);
        expect(r.queuedAtStart[name], `${name} packets queued`).toBeGreaterThan(40);
        expect(r.playing[name], `${name} playing`).toBe(true);
      }
      expect(r.consumed).toBe(217);
      expect(r.rebuffers).toBe(0);
    });
  }
});
