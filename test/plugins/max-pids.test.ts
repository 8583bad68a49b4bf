// setMaxPids(-1): "no limit" as libgpac.py means it (GPAC's testsuite custom_sink.py calls set_max_pids(-1)),
// from the constructor (setup) and from a callback (an intent); other values outside GPAC's u32 are refused.
import { expect } from 'vitest';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { AV, VIDEO, fixture } from './_plugins.js';
import type { PySinkReport } from './fixtures/py-sink.js';

async function twoVideoSources(options: unknown): Promise<{ reports: PySinkReport[]; instances: number }> {
  const fs = new FilterSession();
  const reports: PySinkReport[] = [];
  let instances = 0;
  try {
    const a = fs.loadSrc(AV);
    const b = fs.loadSrc(VIDEO);
    const sink = await fs.loadPlugin(fixture('py-sink.ts'), { options, onMessage: (m) => reports.push(m as PySinkReport) });
    sink.setSource(a);
    sink.setSource(b);
    await fs.run();
    instances = fs.filters.filter((f) => f.alive && f.name === 'py-sink').length;
    await fs.plugin(sink)!.flush();
  } finally {
    fs.close();
  }
  return { reports, instances };
}

describeGpac('setMaxPids(-1)', () => {
  for (const late of [false, true]) {
    itGpac(`from ${late ? 'configurePid' : 'the constructor'}: one instance takes both video PIDs, each seeked as custom_sink.py does`, async () => {
      const { reports, instances } = await twoVideoSources({ late });
      expect(instances).toBe(1);
      expect(reports.length).toBe(2);
      expect(reports.map((r) => r.nbIpids)).toEqual([2, 2]);
      for (const r of reports) {
        // PLAY from 1 s (custom_sink.py seeks to 6 s of a longer file): the demuxer starts at the RAP before it
        // (0.92 s here), so neither PID delivers its first 25 frames.
        expect(r.firstDts, r.pid).toBeGreaterThan(0);
        expect(r.packets, r.pid).toBe(50);
      }
    });
  }

  for (const bad of [-2, 1.5, 2 ** 32]) {
    itGpac(`setMaxPids(${bad}) is refused with what was expected and received`, async () => {
      const fs = new FilterSession();
      try {
        const err = await fs.loadPlugin(fixture('py-sink.ts'), { options: { bad } }).then(
          () => null,
          (e: unknown) => e as Error,
        );
        expect(err?.message).toContain(`setMaxPids: expected -1 (no limit) or a count in [0, 4294967295], received ${bad}`);
      } finally {
        fs.close();
      }
    });
  }
});
