// FilterSession on real libgpac: the event loop stays free during a run, threads are really used, abort,
// errors (load, run, invalid options) as GpacError with the caller's stack, step() mode, inspection.
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { GpacError } from '../../src/errors.js';
import { FilterOptionsError } from '../../src/options.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV, measureEventLoop, threadCount } from './_media.js';

/** A 3 s session paced in real time by reframer:rt=on. */
function paced(fs: FilterSession, out: string): void {
  fs.loadSrc(AV);
  fs.load('reframer:rt=on');
  fs.loadDst(out);
}

describeGpac('FilterSession.run on GPAC threads', () => {
  itGpac('a 1 ms interval keeps firing during a 3 s run', async () => {
    const fs = new FilterSession();
    try {
      paced(fs, tmpDir().file('rt.mp4'));
      const m = await measureEventLoop(() => fs.run());
      expect(m.elapsedMs).toBeGreaterThan(2500); // really paced: the run lasted
      // A blocked loop would show ~0 ticks and one gap as long as the run.
      expect(m.ticks).toBeGreaterThan(m.elapsedMs / 4);
      expect(m.maxGapMs).toBeLessThan(250);
    } finally {
      fs.close();
    }
  });

  for (const threads of [0, 2]) {
    itGpac(`threads=${threads}: GPAC runs with ${threads} worker thread(s) besides the run thread and the stall watch`, async () => {
      const base = threadCount();
      const fs = new FilterSession({ threads });
      try {
        paced(fs, tmpDir().file('rt.mp4'));
        let during = 0;
        const probe = setTimeout(() => (during = threadCount()), 500);
        await fs.run();
        clearTimeout(probe);
        // +1: the native thread calling gf_fs_run; +1: the stall watch's clock (stallTimeout); +threads: GPAC's workers.
        expect(during - base).toBe(2 + threads);
      } finally {
        fs.close();
      }
    });
  }

  itGpac('abort() in the middle of a run ends it early', async () => {
    const fs = new FilterSession();
    try {
      const out = tmpDir().file('aborted.mp4');
      paced(fs, out);
      setTimeout(() => fs.abort('GF_FS_FLUSH_NONE'), 300);
      const t0 = performance.now();
      await fs.run();
      const ms = performance.now() - t0;
      expect(ms).toBeGreaterThan(250);
      expect(ms).toBeLessThan(2000); // the paced run would last 3 s
      // FLUSH_NONE flushes nothing: the muxer never wrote its file. (lastTask is not asserted: GPAC may
      // still hold queued tasks, such as the wake-up task, when an unflushed run returns.)
      expect(existsSync(out)).toBe(false);
    } finally {
      fs.close();
    }
  });

  itGpac('run() resolves and the session can be inspected afterwards', async () => {
    const fs = new FilterSession();
    try {
      const src = fs.loadSrc(AV);
      const dst = fs.loadDst(tmpDir().file('o.mp4'));
      await fs.run();
      expect(fs.nbFilters).toBeGreaterThanOrEqual(4);
      const names = fs.filters.map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining(['fin', 'mp4dmx', 'mp4mx', 'fout']));
      expect(fs.getFilter(names.indexOf('fin'))).toBe(src); // one handle per filter
      expect(fs.getFilter(names.indexOf('fout'))).toBe(dst);
      expect(() => fs.getFilter(99)).toThrow(RangeError);
    } finally {
      fs.close();
    }
  });
});

describeGpac('errors', () => {
  itGpac('an invalid URL throws GpacError GF_URL_ERROR at the call site, and the process carries on', async () => {
    const fs = new FilterSession();
    try {
      let err: unknown;
      try {
        fs.loadSrc('/nonexistent/dir/missing.mp4');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GpacError);
      const g = err as GpacError;
      expect(g.name).toBe('GF_URL_ERROR');
      expect(g.code).toBe(-12);
      expect(g.operation).toBe('loadSrc');
      expect(g.message).toContain('/nonexistent/dir/missing.mp4');
      expect(g.stack).toContain('session.test.ts');
      // Still usable afterwards.
      fs.loadSrc(AV);
      fs.loadDst(tmpDir().file('after.mp4'));
      await fs.run();
    } finally {
      fs.close();
    }
  });

  itGpac('an unknown filter is GF_FILTER_NOT_FOUND', () => {
    const fs = new FilterSession();
    try {
      expect(() => fs.load('nosuchfilter')).toThrow(expect.objectContaining({ name: 'GF_FILTER_NOT_FOUND', code: -11 }));
    } finally {
      fs.close();
    }
  });

  itGpac('session options: an unknown key, an unknown scheduler value or a non-string blacklist entry is a TypeError', () => {
    expect(() => new FilterSession({ thread: 2 } as never)).toThrow(/^FilterSession: unknown option "thread" \(options: flags, blacklist, threads, scheduler, callbackTimeout, abortTimeout, stallTimeout\)$/);
    expect(() => new FilterSession({ scheduler: 99 })).toThrow(/^FilterSession: scheduler must be a GF_FS_SCHEDULER_\* name or value \(GF_FS_SCHEDULER_LOCK_FREE=0, .*\), received 99$/);
    expect(() => new FilterSession({ blacklist: ['a', 5] as never })).toThrow(/^FilterSession: blacklist\[1\] must be a filter name \(received number\)$/);
    const ok = new FilterSession({ scheduler: 1, blacklist: ['vout'] });
    ok.close();
  });

  itGpac('an invalid typed option is refused before GPAC sees it, naming the filter and the option', () => {
    const fs = new FilterSession();
    try {
      const before = fs.nbFilters;
      let err: unknown;
      try {
        fs.load('dasher', { segdur: 'two seconds' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FilterOptionsError);
      expect(String((err as Error).message)).toMatch(/dasher.*segdur/);
      expect(fs.nbFilters).toBe(before);
      // @ts-expect-error an unknown option does not compile either (test/types/api.ts)
      expect(() => fs.load('dasher', { nosuchoption: 1 })).toThrow(/dasher.*nosuchoption/);
      // GPAC's string form is checked against the same schema (GPAC itself would use segdur's default).
      expect(() => fs.load('dasher:segdur=abc')).toThrow(FilterOptionsError);
      expect(() => fs.load('dasher:segdur=abc')).toThrow(/dasher: option "segdur" must be a number.*received "abc"/);
      expect(fs.nbFilters).toBe(before);
    } finally {
      fs.close();
    }
  });

  itGpac('a failing run rejects with a GpacError carrying the run() call site', async () => {
    const dir = tmpDir();
    const bad = dir.file('garbage.mp4');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, Buffer.alloc(4096, 0x5a));
    const fs = new FilterSession();
    try {
      fs.loadSrc(bad);
      fs.loadDst(dir.file('o.mp4'));
      const err = await fs.run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(GpacError);
      expect((err as GpacError).code).toBeLessThan(0);
      expect((err as GpacError).operation).toBe('run');
      expect((err as GpacError).stack).toContain('session.test.ts');
    } finally {
      fs.close();
    }
  });
});

describeGpac('step() with GF_FS_FLAG_NON_BLOCKING', () => {
  itGpac('stepping to the last task produces the same file as run()', async () => {
    const dir = tmpDir();
    const fs = new FilterSession({ flags: ['GF_FS_FLAG_NON_BLOCKING'] });
    let steps = 0;
    try {
      fs.loadSrc(AV);
      fs.loadDst(dir.file('stepped.mp4'));
      while (!fs.step()) steps++;
      expect(fs.lastTask).toBe(true);
    } finally {
      fs.close();
    }
    expect(steps).toBeGreaterThan(1);
    const ref = new FilterSession();
    try {
      ref.loadSrc(AV);
      ref.loadDst(dir.file('ran.mp4'));
      await ref.run();
    } finally {
      ref.close();
    }
    expect(readFileSync(dir.file('stepped.mp4')).length).toBe(readFileSync(dir.file('ran.mp4')).length);
  });

  itGpac('step() refuses a blocking session instead of blocking the thread', () => {
    const fs = new FilterSession();
    try {
      expect(() => fs.step()).toThrow(/GF_FS_FLAG_NON_BLOCKING/);
    } finally {
      fs.close();
    }
  });
});

describeGpac('session options', () => {
  itGpac('blacklist keeps a filter out of the graph; scheduler and flags by name are accepted', async () => {
    const dir = tmpDir();
    const fs = new FilterSession({ blacklist: ['mp4mx'], scheduler: 'GF_FS_SCHEDULER_LOCK', flags: ['GF_FS_FLAG_NO_PROBE'] });
    try {
      fs.loadSrc(AV);
      fs.loadDst(dir.file('o.mp4'));
      // Nothing else can write mp4: the session cannot link its sink.
      const err = await fs.run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(fs.filters.map((f) => f.name)).not.toContain('mp4mx');
      expect(err === null || err instanceof GpacError).toBe(true);
    } finally {
      fs.close();
    }
    expect(() => new FilterSession({ threads: 1.5 })).toThrow(/threads must be an integer/);
    expect(() => new FilterSession({ flags: ['GF_FS_FLAG_NOPE' as never] })).toThrow(/GF_FS_FLAG_NOPE/);
  });
});

describeGpac('session queries', () => {
  itGpac('isSupportedMime / isSupportedSource / httpMaxBitrate / fireEvent / printGraph', async () => {
    const fs = new FilterSession();
    try {
      expect(fs.isSupportedMime('video/mp4')).toBe(true);
      expect(fs.isSupportedMime('application/x-not-a-thing')).toBe(false);
      expect(fs.isSupportedSource(AV)).toBe(true);
      expect(fs.httpBitrate).toBe(0);
      fs.httpMaxBitrate = 1_000_000;
      expect(fs.httpMaxBitrate).toBe(1_000_000);
      const src = fs.loadSrc(AV);
      const dst = fs.loadDst(tmpDir().file('o.mp4'));
      // Nothing is connected yet: an event towards the source of a sink without inputs is not sent.
      expect(fs.fireEvent({ type: 'GF_FEVT_PLAY', startRange: 0, speed: 1 }, dst, false)).toBe(false);
      // The wrong field and the wrong value type are compile errors too (generated/event-fields.ts).
      // @ts-expect-error bogusField is no field of GF_FEVT_Play
      expect(() => fs.fireEvent({ type: 'GF_FEVT_PLAY', bogusField: 1 }, dst)).toThrow(/bogusField.*startRange/);
      // @ts-expect-error speed is a number
      expect(() => fs.fireEvent({ type: 'GF_FEVT_PLAY', speed: 'fast' })).toThrow(/speed.*number/);
      await fs.run();
      expect(src.alive).toBe(true);
      fs.printGraph(); // to stderr; must not throw
      fs.printStats();
    } finally {
      fs.close();
    }
  });
});
