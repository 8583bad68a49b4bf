// A plugin that throws, rejects, hangs, spins, exits, runs out of memory or crashes: run() rejects with what happened (the
// plugin's message, stack and file, or a timeout naming the plugin and the callback), with 0 and 4 GPAC
// threads; the process survives and nothing deadlocks, including close() while a callback waits.
import { expect } from 'vitest';
import { GpacError } from '../../src/errors.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { runProcess } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import type { FaultyOptions } from './fixtures/faulty.js';
import { AV, chain, fixture } from './_plugins.js';

const FAULTY = fixture('faulty.ts');

async function runFaulty(o: FaultyOptions, threads: number, timeoutMs = 1000, pipeline = true): Promise<{ err: GpacError; ms: number; pipelined: number }> {
  const c = await chain(AV, FAULTY, { threads, timeoutMs, pipeline, options: o, dst: tmpDir().file('o.mp4') });
  const t0 = performance.now();
  const err = await c.fs.run().then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - t0;
  const plugin = c.fs.plugin(c.filter)!;
  const { pipelined } = plugin.stats();
  await plugin.flush(2000);
  c.fs.close();
  expect(err, `run() should reject for ${JSON.stringify(o)}`).toBeInstanceOf(GpacError);
  return { err: err as GpacError, ms, pipelined };
}

function expectPluginError(err: GpacError, callback: string, message: RegExp): void {
  expect(err.message).toMatch(new RegExp(`plugin 'faulty' ${callback.replace(/[()]/g, '\\$&')}`));
  expect(err.message).toMatch(message);
  expect(err.file).toBe(FAULTY);
  expect(err.message).toContain(FAULTY);
  const cause = err.cause as Error;
  expect(cause).toBeInstanceOf(Error);
  expect(cause.name).toBe('PluginFailure');
  // The plugin's own stack, pointing into its file.
  expect(cause.stack).toContain('faulty.ts');
  expect(err.stack).toContain('Caused by: PluginFailure');
}

describeGpac('plugin failures', () => {
  for (const threads of [0, 4]) {
    for (const where of ['configurePid', 'process', 'processEvent'] as const) {
      itGpac(`a throw in ${where} fails run() with the plugin's error (threads ${threads})`, async () => {
        const { err } = await runFaulty({ where, how: 'throw' }, threads);
        expectPluginError(err, `${where}()`, new RegExp(`PluginFailure: boom in ${where}`));
      });
    }

    itGpac(`a rejected async process() fails run() the same way (threads ${threads})`, async () => {
      const { err } = await runFaulty({ where: 'process', how: 'reject' }, threads);
      expectPluginError(err, 'process()', /async boom in process/);
    });

    for (const pipeline of [true, false]) {
      itGpac(`a process() that never settles times out, naming the plugin and the callback (threads ${threads}, ${pipeline ? 'pipelined' : 'waited for'})`, async () => {
        const { err, ms, pipelined } = await runFaulty({ where: 'process', how: 'hang' }, threads, 400, pipeline);
        expect(err.message).toMatch(/plugin 'faulty' process\(\).*TimeoutError: plugin 'faulty' did not complete process\(\) within 400 ms/);
        expect(err.file).toBe(FAULTY);
        expect(ms).toBeLessThan(5000);
        // With threads 0 the call that hung was pipelined: the timeout came from GPAC's thread polling it. With
        // threads 4 GPAC's other filters run on other threads, and this call found the filter GPAC's only
        // pending task, so it was waited for either way.
        if (!pipeline) expect(pipelined).toBe(0);
        else if (threads === 0) expect(pipelined).toBe(1);
      });
    }

    itGpac(`a plugin past its heap limit (resourceLimits) fails run() with ERR_WORKER_OUT_OF_MEMORY, and the process goes on (threads ${threads})`, async () => {
      const c = await chain(AV, FAULTY, {
        threads,
        options: { where: 'process', how: 'leak' } satisfies FaultyOptions,
        resourceLimits: { maxOldGenerationSizeMb: 32 },
        dst: tmpDir().file('o.mp4'),
      });
      const err = await c.fs.run().then(
        () => undefined,
        (e: unknown) => e,
      );
      c.fs.close();
      expect(err).toBeInstanceOf(GpacError);
      const g = err as GpacError;
      expect(g.message).toMatch(/plugin 'faulty' process\(\).*failed: ERR_WORKER_OUT_OF_MEMORY: .*(heap|memory)/);
      expect(g.file).toBe(FAULTY);
      expect((g.cause as NodeJS.ErrnoException).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
      // The process, and libgpac in it, carry on.
      const fs = new FilterSession({ threads });
      try {
        fs.loadSrc(AV);
        fs.loadDst(tmpDir().file('after.mp4'));
        await fs.run();
      } finally {
        fs.close();
      }
    });

    itGpac(`a process() stuck in a synchronous loop times out too, and close() still ends the worker (threads ${threads})`, async () => {
      const { err } = await runFaulty({ where: 'process', how: 'spin' }, threads, 400);
      expect(err.message).toMatch(/did not complete process\(\) within 400 ms/);
    });

    itGpac(`a worker that exits in a callback ends the session with an error (threads ${threads})`, async () => {
      const { err } = await runFaulty({ where: 'process', how: 'exit' }, threads);
      expect(err.message).toMatch(/plugin 'faulty' process\(\).*the plugin's worker exited with code 7 under the callback/);
      expect(err.file).toBe(FAULTY);
    });

    itGpac(`an error thrown later by plugin code outside callbacks ends the session with it (threads ${threads})`, async () => {
      const { err } = await runFaulty({ where: 'configurePid', how: 'stray' }, threads);
      expect(err.message).toMatch(/stray error after configurePid/);
      expect(err.file).toBe(FAULTY);
    });

    itGpac(`a callback returning something other than a GF_Err is a TypeError saying what was received (threads ${threads})`, async () => {
      const { err } = await runFaulty({ where: 'process', how: 'bad-return' }, threads);
      expect(err.message).toMatch(/TypeError: process\(\) must return a GF_Err.*received string "not a GF_Err"/);
    });

    itGpac(`close() while a callback waits on the worker returns at once (threads ${threads})`, async () => {
      const c = await chain(AV, FAULTY, { threads, timeoutMs: 30_000, options: { where: 'process', how: 'hang' }, dst: tmpDir().file('o.mp4') });
      const running = c.fs.run();
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      c.fs.close();
      expect(performance.now() - t0).toBeLessThan(1000);
      await expect(running).rejects.toThrow(/closed while it was running/);
    });

    itGpac(`abort() while a callback waits on the worker ends the run at once (threads ${threads})`, async () => {
      const c = await chain(AV, FAULTY, { threads, timeoutMs: 30_000, options: { where: 'process', how: 'hang' }, dst: tmpDir().file('o.mp4') });
      const running = c.fs.run().then(
        () => null,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      c.fs.abort();
      await running;
      expect(performance.now() - t0).toBeLessThan(2000);
      c.fs.close();
    });
  }

  for (const mode of ['hang', 'spin']) {
    itGpac(`process.exit() while a GPAC thread waits on a plugin (${mode}) exits cleanly`, async () => {
      const r = await runProcess(process.execPath, ['--import', 'tsx', fixture('exit-child.mts'), AV, FAULTY, mode], { timeoutMs: 20_000 });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('exiting');
    });
  }

  itGpac('a worker that exits under a callback, with nothing else keeping the process alive: run() rejects, the process goes on', async () => {
    const r = await runProcess(process.execPath, ['--import', 'tsx', fixture('worker-exit-child.mts'), AV, 'filter', FAULTY], { timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/rejected after \d+ ms: plugin 'faulty' process\(\).*exited with code 7/);
  });

  itGpac('terminating the plugin worker during a run ends the session with an error', async () => {
    const c = await chain(AV, FAULTY, { threads: 2, timeoutMs: 30_000, options: { where: 'process', how: 'hang' }, dst: tmpDir().file('o.mp4') });
    const running = c.fs.run().then(
      () => null,
      (e: unknown) => e as GpacError,
    );
    await new Promise((r) => setTimeout(r, 300));
    await c.fs.plugin(c.filter)!.terminate();
    const err = await running;
    c.fs.close();
    expect(err).toBeInstanceOf(GpacError);
    expect(err!.message).toMatch(/worker.*exit/);
  });

  itGpac('a constructor that throws rejects loadPlugin with its error, and the session still works', async () => {
    const fs = new FilterSession();
    const src = fs.loadSrc(AV);
    const err = await fs.loadPlugin(FAULTY, { options: { where: 'constructor', how: 'throw' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GpacError);
    expect((err as Error).message).toMatch(/plugin .*faulty\.ts failed to load: PluginFailure: constructor says no/);
    expect(((err as Error).cause as Error).stack).toContain('faulty.ts');
    fs.loadDst(tmpDir().file('o.mp4')).setSource(src);
    await fs.run();
    fs.close();
  });

  itGpac('a module without a FilterCustom default export is a clear error', async () => {
    const fs = new FilterSession();
    await expect(fs.loadPlugin(fixture('not-a-plugin.ts'))).rejects.toThrow(/default export must be a class extending FilterCustom \(received no default export\)/);
    await expect(fs.loadPlugin(fixture('does-not-exist.ts'))).rejects.toThrow(/does-not-exist\.ts does not exist/);
    fs.close();
  });
});
