// A PID property change in the middle of a stream, met while the GPAC thread prefetches packets: the
// plugin must see GPAC's order — the packets before the change, configurePid with the new properties,
// then the packets after it.
import { expect } from 'vitest';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { fixture } from './_plugins.js';
import type { PropReaderReport } from './fixtures/prop-reader.js';

describeGpac('reconfiguration while prefetching', () => {
  for (const threads of [0, 4]) {
    itGpac(`packets before the change, configurePid, packets after (threads ${threads})`, async () => {
      const fs = new FilterSession({ threads });
      const logs: string[][] = [];
      const src = await fs.loadPlugin(fixture('source.ts'), { options: { frames: 10, burst: true, changeAt: 5 } });
      const sink = await fs.loadPlugin(fixture('order.ts'), { onMessage: (m) => logs.push(m as string[]) });
      sink.setSource(src);
      await fs.run();
      await fs.plugin(sink)!.flush();
      const stats = fs.plugin(sink)!.stats();
      fs.close();
      const log = logs.at(-1)!;
      expect(log.filter((l) => l !== 'process')).toEqual([
        'configure phase=1',
        ...[0, 1, 2, 3, 4].map((i) => `packet ${i}`),
        'configure phase=2',
        ...[5, 6, 7, 8, 9].map((i) => `packet ${i}`),
      ]);
      expect(stats.packets).toBe(10);
      if (threads === 0) {
        // One thread: the ten packets were queued when the sink first ran, so the change was met while
        // prefetching — packets 0-4 came in a process() of their own, before configurePid.
        const i = log.indexOf('configure phase=2');
        expect(log.slice(i - 6, i)).toEqual(['process', 'packet 0', 'packet 1', 'packet 2', 'packet 3', 'packet 4']);
      }
    });
  }

  for (const threads of [0, 4]) {
    itGpac(`property reads during pipelined process() calls are whole while the source keeps changing them (threads ${threads})`, async () => {
      const fs = new FilterSession({ threads });
      const reports: PropReaderReport[] = [];
      const src = await fs.loadPlugin(fixture('source.ts'), { options: { frames: 600, burst: true, changeEvery: 20 } });
      const sink = await fs.loadPlugin(fixture('prop-reader.ts'), { onMessage: (m) => reports.push(m as PropReaderReport) });
      sink.setSource(src);
      await fs.run();
      await fs.plugin(sink)!.flush();
      const stats = fs.plugin(sink)!.stats();
      fs.close();
      const r = reports.at(-1)!;
      expect(r.packets).toBe(600);
      expect(r.torn).toEqual([]);
      // Phases the source set, in the order it set them, up to the last one.
      expect(r.phases.length).toBeGreaterThan(10);
      expect([...r.phases].sort((a, b) => a - b)).toEqual(r.phases);
      expect(r.phases.at(-1)).toBe(30);
      expect(r.reads).toBeGreaterThan(50);
      expect(stats.requests).toBeGreaterThanOrEqual(2 * r.reads);
      expect(stats.pipelined).toBeGreaterThan(0);
    });
  }
});
