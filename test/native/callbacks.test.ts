// Callbacks GPAC makes into JavaScript: posted tasks (sync, async, rescheduled, throwing, hanging) and
// onFilterNew/onFilterDel, in run() (a GPAC thread waits on the JS thread) and in step() (called directly).
import { expect } from 'vitest';
import { GpacError } from '../../src/errors.js';
import type { Filter } from '../../src/session/filter.js';
import { FilterSession } from '../../src/session/session.js';
import { FilterTask } from '../../src/session/task.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV } from './_media.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function remuxSession(opts: ConstructorParameters<typeof FilterSession>[0] = {}): FilterSession {
  const fs = new FilterSession(opts);
  fs.loadSrc(AV);
  fs.loadDst(tmpDir().file('o.mp4'));
  return fs;
}

async function rejection(p: Promise<unknown>): Promise<GpacError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GpacError);
  return err as GpacError;
}

describeGpac('posted tasks', () => {
  itGpac('execute() is called again after the milliseconds it returns, until it returns -1', async () => {
    const fs = remuxSession();
    const calls: number[] = [];
    class Counter extends FilterTask {
      override execute() {
        calls.push(performance.now());
        return calls.length < 5 ? 20 : -1;
      }
    }
    const task = new Counter('counter');
    try {
      fs.post(task);
      expect(task.session).toBe(fs);
      await fs.run();
    } finally {
      fs.close();
    }
    expect(calls.length).toBe(5);
    for (let i = 1; i < calls.length; i++) expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(15);
    expect(task.session).toBe(null);
  });

  itGpac('an async execute() is awaited by the GPAC thread; the session can be queried from it', async () => {
    const fs = remuxSession({ threads: 2 });
    const seen: number[] = [];
    try {
      fs.post({
        name: 'async-probe',
        async execute() {
          await sleep(30);
          seen.push(fs.nbFilters);
          return seen.length < 3 ? 0 : undefined;
        },
      });
      await fs.run();
    } finally {
      fs.close();
    }
    expect(seen.length).toBe(3);
    expect(seen[0]).toBeGreaterThanOrEqual(2);
  });

  itGpac('a task that throws ends the session; run() rejects with its message and stack', async () => {
    const fs = remuxSession();
    try {
      fs.post({
        name: 'boom',
        execute() {
          throw new TypeError('boom from a task');
        },
      });
      const err = await rejection(fs.run());
      expect(err.name).toBe('GF_SCRIPT_ERROR');
      expect(err.code).toBe(-8);
      expect(err.message).toContain("task 'boom'");
      expect(err.message).toContain('TypeError: boom from a task');
      const cause = err.cause as Error;
      expect(cause.name).toBe('TypeError');
      expect(cause.message).toBe('boom from a task');
      expect(cause.stack).toContain('callbacks.test.ts'); // the throwing line, from the task's own stack
      expect(err.stack).toContain('callbacks.test.ts'); // the run() call site
    } finally {
      fs.close();
    }
  });

  itGpac('a rejected async task is reported the same way', async () => {
    const fs = remuxSession({ threads: 2 });
    try {
      fs.post({
        name: 'async-boom',
        async execute() {
          await sleep(5);
          throw new RangeError('late failure');
        },
      });
      const err = await rejection(fs.run());
      expect(err.message).toContain('RangeError: late failure');
      expect((err.cause as Error).name).toBe('RangeError');
    } finally {
      fs.close();
    }
  });

  itGpac('a task returning something else than a number is a clear error', async () => {
    const fs = remuxSession();
    try {
      fs.post({ name: 'wrong', execute: () => 'soon' as unknown as number });
      const err = await rejection(fs.run());
      expect(err.message).toMatch(/must return milliseconds.*received string "soon"/);
    } finally {
      fs.close();
    }
  });

  itGpac('a task that hangs past the callback timeout fails the session with a timeout error', async () => {
    const fs = remuxSession({ callbackTimeout: 200 });
    let release!: () => void;
    try {
      fs.post({
        name: 'hang',
        execute: () =>
          new Promise<number>((resolve) => {
            release = () => resolve(-1);
          }),
      });
      const t0 = performance.now();
      const err = await rejection(fs.run());
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(err.message).toMatch(/task 'hang'.*did not answer within 200 ms/);
      expect((err.cause as Error).name).toBe('TimeoutError');
      release(); // a completion after the timeout is harmless
      await sleep(10);
    } finally {
      fs.close();
    }
  });

  itGpac('in step() mode tasks run on this thread; an async one settles when the caller yields between steps', async () => {
    const fs = remuxSession({ flags: ['GF_FS_FLAG_NON_BLOCKING'] });
    const order: string[] = [];
    let steps = 0;
    try {
      fs.post({ name: 'sync', execute: () => (order.push('sync'), -1) });
      let n = 0;
      fs.post({
        name: 'async',
        async execute() {
          await sleep(2);
          order.push(`async${n}`);
          return ++n < 3 ? 0 : -1;
        },
      });
      while (!fs.step()) {
        steps++;
        await new Promise(setImmediate); // lets the task's promise settle
        if (steps > 20000) throw new Error('the session never reached its last task');
      }
    } finally {
      fs.close();
    }
    expect(order).toEqual(['sync', 'async0', 'async1', 'async2']);
  });
});

describeGpac('onFilterNew / onFilterDel', () => {
  itGpac('report every filter GPAC creates and destroys, whatever thread does it', async () => {
    const fs = new FilterSession({ threads: 2 });
    const created: string[] = [];
    const destroyed: Filter[] = [];
    fs.onFilterNew = (f) => {
      created.push(f.name);
    };
    fs.onFilterDel = (f) => {
      destroyed.push(f);
    };
    try {
      fs.loadSrc(AV);
      fs.loadDst(tmpDir().file('o.mp4'));
      await fs.run();
      await sleep(20); // events are queued to this thread
      expect(created).toEqual(expect.arrayContaining(['fin', 'fout', 'mp4dmx', 'mp4mx']));
    } finally {
      fs.close();
    }
    await sleep(20);
    const names = destroyed.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['fin', 'fout', 'mp4dmx', 'mp4mx']));
    for (const f of destroyed) {
      expect(f.alive).toBe(false);
      expect(() => f.nbIpid).toThrow(/destroyed|closed/);
    }
  });

  itGpac('a listener that throws ends the session with its error', async () => {
    const fs = new FilterSession();
    fs.onFilterNew = (f) => {
      if (f.name === 'mp4dmx') throw new Error('no demuxers here');
    };
    try {
      fs.loadSrc(AV);
      fs.loadDst(tmpDir().file('o.mp4'));
      const err = await rejection(fs.run());
      expect(err.message).toContain('onFilterNew');
      expect(err.message).toContain('no demuxers here');
    } finally {
      fs.close();
    }
  });
});
