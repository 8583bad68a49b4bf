// libgpac.py's semantics that GPAC's own Python test scripts rely on (gpac/testsuite media/python), ported:
// simple_session.py posts a task that returns -1 once `fs.last_task` is true and turns status reporting on
// (`fs.reporting(True)`) to print each filter's `stats.status`.
import { expect } from 'vitest';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, describeGpacCli, itGpac, itGpacCli } from '../helpers/gpac.js';
import { inspectPackets } from '../helpers/inspect.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV } from './_media.js';

describeGpacCli('lastTask, as simple_session.py uses it', () => {
  for (const threads of [0, 2]) {
    itGpacCli(`threads=${threads}: a task returning -1 once fs.lastTask is true ends the session, output complete`, async () => {
      const out = tmpDir().file('o.mp4');
      const fs = new FilterSession({ threads });
      let polls = 0;
      let sawLast = 0;
      let lastAfterMs = -1;
      const t0 = performance.now();
      try {
        fs.loadSrc(AV);
        fs.loadDst(out);
        fs.post({
          name: 'testtask',
          execute() {
            if (fs.lastTask) {
              sawLast++;
              lastAfterMs = performance.now() - t0;
              return -1;
            }
            polls++;
            return polls < 300 ? 10 : -1; // 300 polls (3 s): the bug this test guards against
          },
        });
        await fs.run();
      } finally {
        fs.close();
      }
      // GPAC's remux of 3 s of media takes ~25 ms here (libgpac.py sees last_task after ~23 ms): a few polls.
      expect(sawLast).toBe(1);
      expect(polls).toBeLessThan(50);
      expect(lastAfterMs).toBeGreaterThan(0);
      expect(lastAfterMs).toBeLessThan(1500);
      const [a, b] = await Promise.all([inspectPackets(AV), inspectPackets(out)]);
      expect(b.map((s) => [s.streamType, s.packets.length])).toEqual([['Audio', 142], ['Visual', 75]]);
      expect(b).toEqual(a);
    });
  }
});

describeGpac('lastTask with several posted tasks', () => {
  for (const threads of [0, 2]) {
    itGpac(`threads=${threads}: another posted task counts as pending, as in GPAC; once it ends the other sees lastTask`, async () => {
      const fs = new FilterSession({ threads });
      const log: string[] = [];
      let shortCalls = 0;
      try {
        fs.loadSrc(AV);
        fs.loadDst(tmpDir().file('o.mp4'));
        // Outlives the remux by ~200 ms: while it is posted, the other task must not see lastTask.
        const t0 = performance.now();
        fs.post({
          name: 'long',
          execute() {
            shortCalls++;
            if (performance.now() - t0 < 250) return 20;
            log.push('long ends');
            return -1;
          },
        });
        fs.post({
          name: 'watcher',
          execute() {
            if (!fs.lastTask) return 10;
            log.push('watcher sees lastTask');
            return -1;
          },
        });
        await fs.run();
      } finally {
        fs.close();
      }
      expect(log).toEqual(['long ends', 'watcher sees lastTask']);
      expect(shortCalls).toBeGreaterThan(5);
    });
  }
});

/** Every distinct status string of each filter, sampled by a task every 50 ms of a paced 1 s run. */
async function statuses(threads: number, reporting: boolean | undefined): Promise<Map<string, (string | null)[]>> {
  const seen = new Map<string, (string | null)[]>();
  const fs = new FilterSession({ threads });
  try {
    if (reporting !== undefined) fs.reporting(reporting);
    fs.loadSrc(AV);
    fs.load('reframer:rt=on:speed=3');
    fs.loadDst(tmpDir().file('o.mp4'));
    fs.post({
      name: 'stats',
      execute() {
        if (fs.lastTask) return -1;
        for (const f of fs.filters) {
          if (!f.alive) continue;
          const s = f.statistics.status;
          expect(s === null || typeof s === 'string', `${f.name} status`).toBe(true);
          const list = seen.get(f.name) ?? [];
          if (list.at(-1) !== s) list.push(s as string | null);
          seen.set(f.name, list);
        }
        return 50;
      },
    });
    await fs.run();
  } finally {
    fs.close();
  }
  return seen;
}

describeGpac('reporting(), as the testsuite scripts call it', () => {
  for (const threads of [0, 2]) {
    itGpac(`threads=${threads}: with reporting on, the MP4 muxer's status tells its import progress`, async () => {
      const seen = await statuses(threads, true);
      const mux = (seen.get('mp4mx') ?? []).filter((s): s is string => typeof s === 'string');
      expect(mux.length).toBeGreaterThanOrEqual(2);
      // e.g. 'info="importing" [TK1 type=V pc=41, TK2 type=A pc=40]': per-track percentages that grow.
      const pcs = mux.map((s) => {
        const m = /importing.*TK1 type=[VA] pc=(\d+)/.exec(s);
        expect(m, s).not.toBeNull();
        return Number(m![1]);
      });
      for (const pc of pcs) expect(pc).toBeLessThanOrEqual(100);
      expect(pcs.at(-1)!).toBeGreaterThan(pcs[0]!);
    });
  }

  itGpac('without it (GPAC default) or turned off, no filter reports a status', async () => {
    for (const reporting of [undefined, false]) {
      const seen = await statuses(0, reporting);
      expect(seen.get('mp4mx')).toEqual([null]);
      for (const [name, list] of seen) expect(list, name).toEqual([null]);
    }
  });

  itGpac('a non-boolean argument is a TypeError naming what was received', () => {
    const fs = new FilterSession();
    try {
      expect(() => fs.reporting(1 as unknown as boolean)).toThrow(/reporting: expected a boolean, received (a )?number/);
    } finally {
      fs.close();
    }
  });
});
