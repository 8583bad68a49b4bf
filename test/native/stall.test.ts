// A run that can no longer make progress (issue 14.5): an output PID connected to no filter while GPAC spins
// without moving a packet. run() rejects with a GpacError naming the PID instead of running forever at 100%
// CPU; slow or paced pipelines, and pipelines with an output GPAC legitimately left unconnected, are not
// stalled.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { GpacError } from '../../src/errors.js';
import { FilterSession } from '../../src/session/session.js';
import { GF_FILTER_NOT_FOUND } from '../../generated/errors.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { runProcess } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';

// The reproducer (fixtures/one-pid.ts) needs GPAC's own input-PID limit: gpac-ts otherwise refuses the extra PID
// with an error at once (test/plugins/hostile.test.ts), and there is no stall to watch. Child processes inherit it.
beforeAll(() => {
  process.env.GPAC_TS_TEST_GPAC_MAX_PIDS = '1';
});
afterAll(() => {
  delete process.env.GPAC_TS_TEST_GPAC_MAX_PIDS;
});
import { fixture } from '../plugins/_plugins.js';
import { AV } from './_media.js';

describeGpac('stall watch', () => {
  for (const threads of [0, 2]) {
    itGpac(`threads=${threads}: a plugin loaded without setSource() and offered two PIDs: run() rejects naming the unconnected PID`, async () => {
      const fs = new FilterSession({ threads, stallTimeout: 1000 });
      try {
        fs.loadSrc(AV);
        // One input PID only (GPAC's limit): GPAC gives it the video and cannot clone a plugin for the audio, which stays
        // connected to nothing while the demuxer spins.
        await fs.loadPlugin(fixture('one-pid.ts'));
        fs.loadDst(tmpDir().file('o.mp4'));
        const err = await fs.run().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(GpacError);
        const g = err as GpacError;
        expect(g.code).toBe(GF_FILTER_NOT_FOUND);
        expect(g.operation).toBe('run');
        expect(g.message).toMatch(/^run: GPAC made no progress for 1000 ms while output PID A2 of filter mp4dmx is connected to no filter: /);
        expect(g.message).not.toMatch(/abandoned/); // the abort stopped GPAC
        expect(fs.abandoned).toBe(false);
      } finally {
        fs.close();
      }
    });

    itGpac(`threads=${threads}: a paced run with an output GPAC left unconnected is not a stall`, async () => {
      const fs = new FilterSession({ threads, stallTimeout: 200 });
      try {
        const out = tmpDir().file('video.264');
        fs.loadSrc(AV);
        fs.load('reframer:rt=on'); // 3 s in real time: a packet every 33 ms
        fs.loadDst(out); // takes the video only: the audio PID is NOT CONNECTED (and at its end)
        await fs.run();
        expect(existsSync(out) && statSync(out).size).toBeGreaterThan(10_000);
      } finally {
        fs.close();
      }
    });

    itGpac(`threads=${threads}: a task that takes longer than stallTimeout is not a stall`, async () => {
      const fs = new FilterSession({ threads, stallTimeout: 200 });
      try {
        const out = tmpDir().file('video.264');
        fs.loadSrc(AV);
        fs.loadDst(out); // the audio PID is NOT CONNECTED
        let calls = 0;
        fs.post({
          name: 'slow',
          execute: async () => {
            calls++;
            await new Promise((r) => setTimeout(r, 1200));
            return -1;
          },
        });
        await fs.run();
        expect(calls).toBe(1);
        expect(existsSync(out) && statSync(out).size).toBeGreaterThan(10_000);
      } finally {
        fs.close();
      }
    });
  }

  itGpac('stallTimeout is checked', () => {
    expect(() => new FilterSession({ stallTimeout: -1 })).toThrow(/^stall timeout \(ms\): expected an integer in \[0, 4294967295\], received -1$/);
  });
});

describeGpac('close() of a run GPAC does not end', () => {
  // Issue 14.3, the session side: close() without abort() held the JS thread for abortTimeout (5 s).
  for (const threads of [0, 2]) {
    itGpac(`threads=${threads}: close() abandons it after a short wait, not abortTimeout`, async () => {
      const child = join(dirname(fileURLToPath(import.meta.url)), 'workers', 'stuck-close-child.mts');
      const r = await runProcess(process.execPath, ['--import', 'tsx', child, AV, fixture('one-pid.ts'), tmpDir().file('o.mp4'), String(threads)], { timeoutMs: 20_000 });
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { closeMs: number; abandoned: boolean; run: string };
      expect(res.abandoned).toBe(true);
      expect(res.run).toMatch(/^run: the session was closed while it was running/);
      // 500 ms of waiting (kCloseWaitMs); it was 5000 (abortTimeout). A loose bound, for a loaded machine.
      expect(res.closeMs).toBeLessThan(2500);
    }, 30_000);
  }
});
