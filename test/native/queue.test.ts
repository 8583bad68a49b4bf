// Calls made on a running session from the JS thread (remove, update, post, fireEvent, loads …): with
// `threads: 0` GPAC keeps its task list lock-free for its one thread, so gpac-ts queues them and GPAC's
// thread makes them at its next task boundary (native/src/session/gpac_queue.h). These tests check that they are
// queued there and not with threads, that each takes effect, and that a storm of them during a run loses
// none and breaks nothing.
import { readFileSync } from 'node:fs';
import { expect, vi } from 'vitest';
import type { Filter } from '../../src/session/filter.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV } from './_media.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** AV paced in real time (3 s) into an inspect sink that keeps consuming. */
function pacedSession(threads: number): { fs: FilterSession; insp: Filter } {
  const fs = new FilterSession({ threads });
  fs.loadSrc(AV);
  fs.load('reframer:rt=on');
  const insp = fs.load('inspect:allp:log=null');
  return { fs, insp };
}

describeGpac('calls into a running session from the JS thread', () => {
  for (const threads of [0, 2]) {
    itGpac(`update() and post() during a run take effect; queued for GPAC's thread only without threads (threads ${threads})`, async () => {
      const { fs, insp } = pacedSession(threads);
      try {
        const running = fs.run();
        await sleep(300);
        const before = fs.queuedCalls;
        insp.update('deep', true);
        let ran = 0;
        fs.post({ name: 'probe', execute: () => (ran++, -1) });
        await vi.waitFor(() => expect(insp.getArgValue('deep')).toBe(true), { timeout: 2500, interval: 10 });
        await vi.waitFor(() => expect(ran).toBe(1), { timeout: 2500, interval: 10 });
        if (threads === 0) expect(fs.queuedCalls - before).toBe(2);
        else expect(fs.queuedCalls).toBe(0);
        fs.abort();
        await running;
      } finally {
        fs.close();
      }
    });
  }

  itGpac('inside a task GPAC waits for, calls are made in place (GPAC is parked), not queued', async () => {
    const { fs, insp } = pacedSession(0);
    try {
      const running = fs.run();
      await sleep(200);
      let queuedDuring = -1;
      fs.post({
        name: 'inside',
        execute: () => {
          const before = fs.queuedCalls;
          insp.update('deep', true);
          fs.post({ name: 'nested', execute: () => -1 });
          queuedDuring = fs.queuedCalls - before;
          return -1;
        },
      });
      await vi.waitFor(() => expect(insp.getArgValue('deep')).toBe(true), { timeout: 2500, interval: 10 });
      expect(queuedDuring).toBe(0);
      fs.abort();
      await running;
    } finally {
      fs.close();
    }
  });

  itGpac('load(), setSource() and reconnect() during a 0-thread run are made on GPAC\'s thread and return their results', async () => {
    const dir = tmpDir();
    const fs = new FilterSession({ threads: 0 });
    try {
      fs.loadSrc(AV);
      const rf = fs.load('reframer:rt=on');
      fs.loadDst(dir.file('a.mp4'));
      const running = fs.run();
      await sleep(200);
      const before = fs.queuedCalls;
      const late = fs.load('inspect:allp:log=null');
      expect(late.alive).toBe(true);
      expect(late.name).toBe('inspect');
      late.setSource(rf);
      rf.reconnect();
      expect(fs.queuedCalls - before).toBe(3);
      // GPAC's own errors still reach the caller from GPAC's thread.
      expect(() => fs.load('nosuchfilter')).toThrow(/nosuchfilter/);
      await running;
    } finally {
      fs.close();
    }
    expect(readFileSync(dir.file('a.mp4')).length).toBeGreaterThan(50_000);
  });

  itGpac('a storm of update() and post() calls during a 0-thread run: every task runs once, the output is whole', async () => {
    const dir = tmpDir();
    const { fs, insp } = pacedSession(0);
    try {
      fs.loadDst(dir.file('o.mp4'));
      const running = fs.run();
      const tick = () => new Promise((r) => setImmediate(r));
      // Updates alone first: GPAC's thread never waits for this one, so every call is queued. (Made in place
      // instead, from this thread, 7 runs in 8 of this storm lost GPAC tasks: the run never ended.)
      let updates = 0;
      let until = performance.now() + 1200;
      while (performance.now() < until) {
        for (let i = 0; i < 20; i++) insp.update('deep', updates++ % 2 === 0);
        await tick();
      }
      expect(fs.queuedCalls).toBe(updates);
      // Then tasks too (the run lasts ~3 s: every task posted here runs in it).
      let posted = 0;
      let ran = 0;
      until = performance.now() + 600;
      while (performance.now() < until) {
        for (let i = 0; i < 20; i++) insp.update('deep', updates++ % 2 === 0);
        fs.post({ name: `t${posted++}`, execute: () => (ran++, -1) });
        await tick();
      }
      let held = false; // the run ends at ~3 s: a lost GPAC task would hold it
      const guard = setTimeout(() => ((held = true), fs.abort()), 8000);
      await running.finally(() => clearTimeout(guard));
      expect(held).toBe(false);
      expect(posted).toBeGreaterThan(50);
      expect(ran).toBe(posted);
    } finally {
      fs.close();
    }
    expect(readFileSync(dir.file('o.mp4')).length).toBeGreaterThan(50_000);
  });
});
