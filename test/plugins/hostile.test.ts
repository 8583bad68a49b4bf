// Issue 14's probes, kept as tests: what a hostile but realistic plugin does (output PIDs without properties,
// more PIDs than it takes, calls on a removed PID, a lent buffer moved away, odd return values and errors,
// a constructor that never returns) ends in a clear error naming the plugin, never in GPAC exiting the
// process, a hang or a silent no-op. Each with GPAC threads 0 and 2.
import { expect } from 'vitest';
import { GpacError } from '../../src/errors.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac, itGpacCli } from '../helpers/gpac.js';
import { inspectPackets } from '../helpers/inspect.js';
import { tmpDir } from '../helpers/tmp.js';
import type { HostileMode, HostileOptions, RemovedReport } from './fixtures/hostile.js';
import { AV, chain, fixture, runChain } from './_plugins.js';

const HOSTILE = fixture('hostile.ts');

async function runHostile(mode: HostileMode, threads: number, dst = tmpDir().file('o.mp4')): Promise<{ err: unknown; abandoned: boolean; messages: unknown[] }> {
  const c = await chain(AV, HOSTILE, { threads, dst, options: { mode } satisfies HostileOptions, timeoutMs: 5000 });
  const err = await runChain(c);
  return { err, abandoned: c.fs.abandoned, messages: c.messages };
}

function expectPluginError(err: unknown, callback: string, message: RegExp): GpacError {
  expect(err).toBeInstanceOf(GpacError);
  const g = err as GpacError;
  expect(g.message).toContain(`plugin 'hostile' ${callback}`);
  expect(g.message).toContain(HOSTILE);
  expect(g.file).toBe(HOSTILE);
  expect(g.message).toMatch(message);
  return g;
}

describeGpac('hostile plugins', () => {
  for (const threads of [0, 2]) {
    itGpac(`an output PID given properties only in a later process() is an error for the plugin, not GPAC exiting (threads ${threads})`, async () => {
      const { err } = await runHostile('pid-props-later', threads);
      expectPluginError(err, 'configurePid()', /output PID 'PID\d' has no properties when configurePid\(\) returned.*copyProps/);
    });

    itGpac(`a bare newPid() in configurePid is the same error (threads ${threads})`, async () => {
      const { err } = await runHostile('pid-bare', threads);
      expectPluginError(err, 'configurePid()', /output PID 'PID\d' has no properties when configurePid\(\) returned/);
    });

    itGpac(`a bare newPid() in a pipelined process() is caught before GPAC links it (threads ${threads})`, async () => {
      const { err } = await runHostile('pid-bare-process', threads);
      expectPluginError(err, 'process()', /output PID 'PID\d' has no properties when process\(\) returned/);
    });

    itGpac(`a source whose process() makes a bare newPid() gets the same error (threads ${threads})`, async () => {
      const fs = new FilterSession({ threads });
      try {
        const src = await fs.loadPlugin(fixture('bare-source.ts'));
        fs.loadDst(tmpDir().file('bare.mp4')).setSource(src);
        const err = await fs.run().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(GpacError);
        expect((err as GpacError).message).toMatch(/plugin 'bare-source' process\(\) .* output PID 'PID1' has no properties when process\(\) returned/);
      } finally {
        fs.close();
      }
    });

    itGpac(`by default a plugin takes every PID it is given: both streams of av.mp4 reach one instance (threads ${threads})`, async () => {
      const out = tmpDir().file('both.mp4');
      const c = await chain(AV, HOSTILE, { threads, dst: out, options: { mode: 'forward' } satisfies HostileOptions });
      const err = await runChain(c);
      expect(err).toBeUndefined();
      const streams = await inspectPackets(out);
      expect(streams.map((s) => s.packets.length).sort()).toEqual((await inspectPackets(AV)).map((s) => s.packets.length).sort());
    });

    itGpac(`setMaxPids(0) given two streams fails fast naming the plugin, the refused PID and setMaxPids (threads ${threads})`, async () => {
      const { err, abandoned } = await runHostile('max-pids-0', threads);
      const g = expectPluginError(err, 'configurePid()', /takes at most 1 input PID \(setMaxPids\(0\)\) and GPAC connected another: PID '[AV]\d' of filter 'mp4dmx'/);
      expect(g.message).toContain('setMaxPids(-1)');
      // The refusal ends the run at once (a few ms). With GPAC threads, GPAC now and then (about 1 run in 30)
      // keeps requeueing the refused PID's link after the abort and never ends its loop: the run is then
      // abandoned after abortTimeout, still with this error (docs/gpac-issues.md). Without threads, never.
      if (threads === 0) expect(abandoned).toBe(false);
    });

    itGpac(`calls on a removed output PID throw ERR_GPAC_PID_GONE instead of doing nothing (threads ${threads})`, async () => {
      const { err, messages } = await runHostile('removed-pid', threads);
      expect(err).toBeUndefined();
      const report = messages.find((m) => (m as RemovedReport).removed) as RemovedReport;
      expect(Object.keys(report.removed).sort()).toEqual(['copyProps', 'eos', 'forward', 'newPck', 'newPckRef', 'remove', 'setProp']);
      for (const [probe, what] of Object.entries(report.removed)) expect(what, probe).toMatch(/^ERR_GPAC_PID_GONE: \w+.*: this output PID was removed \(remove\(\)\)$/);
    });

    itGpac(`process() returning 2 ** 40 is a TypeError saying what a GF_Err is (threads ${threads})`, async () => {
      const { err } = await runHostile('return-big', threads);
      expectPluginError(err, 'process()', /TypeError: process\(\) must return a GF_Err .* received number 1099511627776/);
    });

    itGpac(`process() returning -1 fails run() naming the plugin and the code (threads ${threads})`, async () => {
      const { err } = await runHostile('return-minus1', threads);
      expect(err).toBeInstanceOf(GpacError);
      const g = err as GpacError;
      expect(g.code).toBe(-1);
      expect(g.message).toContain(`plugin 'hostile' process() (${HOSTILE}) returned GF_BAD_PARAM (-1)`);
      expect(g.file).toBe(HOSTILE);
    });

    itGpac(`an Error whose stack getter throws keeps its message (threads ${threads})`, async () => {
      const { err } = await runHostile('stack-throws', threads);
      expectPluginError(err, 'process()', /Error: the message survives/);
    });
  }

  for (const threads of [0, 2]) {
    itGpacCli(`a lent buffer cannot be moved away: a transfer copies it, and the output is the input's (threads ${threads})`, async () => {
      const out = tmpDir().file('lent.mp4');
      const { err } = await runHostile('lend-transfer', threads, out);
      expect(err).toBeUndefined();
      const got = await inspectPackets(out, { fields: ['size', 'crc'] });
      const want = await inspectPackets(AV, { fields: ['size', 'crc'] });
      expect(got).toEqual(want);
    });

    itGpac(`newPckShared of a detached buffer is a TypeError (threads ${threads})`, async () => {
      const { err } = await runHostile('lend-detached', threads);
      expectPluginError(err, 'process()', /TypeError: newPckShared: the buffer is detached/);
    });
  }
});

describeGpac('plugins that do not load', () => {
  itGpac('a constructor returning a Promise is told that constructors cannot be async', async () => {
    const fs = new FilterSession();
    try {
      const err = await fs.loadPlugin(HOSTILE, { options: { mode: 'ctor-promise' } satisfies HostileOptions }).then(() => null, (e: unknown) => e as Error);
      expect(err).toBeInstanceOf(GpacError);
      expect(err!.message).toContain(HOSTILE);
      expect(err!.message).toMatch(/constructor returned a Promise: a constructor cannot be async/);
    } finally {
      fs.close();
    }
  });

  itGpac('a capability GPAC refuses at load names the plugin file', async () => {
    const fs = new FilterSession();
    try {
      const err = await fs.loadPlugin(HOSTILE, { options: { mode: 'bad-cap' } satisfies HostileOptions }).then(() => null, (e: unknown) => e as Error);
      expect(err).toBeInstanceOf(GpacError);
      expect(err!.message).toContain(`plugin ${HOSTILE} failed to load`);
      expect(err!.message).toMatch(/pushCap #3 CodecID/);
    } finally {
      fs.close();
    }
  });

  for (const [what, spec, options] of [
    ['a constructor that spins', HOSTILE, { mode: 'ctor-spin' }],
    ['a top-level await that never settles', fixture('load-hang.ts'), undefined],
    ['a loop at import', fixture('load-spin.ts'), undefined],
  ] as const) {
    itGpac(`${what}: loadPlugin() rejects after loadTimeoutMs and the worker is stopped`, async () => {
      const fs = new FilterSession();
      try {
        const t0 = performance.now();
        const err = await fs.loadPlugin(spec, { options, loadTimeoutMs: 1500 }).then(() => null, (e: unknown) => e as Error);
        expect(err).toBeInstanceOf(GpacError);
        expect(err!.message).toMatch(/did not load within 1500 ms/);
        expect(performance.now() - t0).toBeLessThan(8000);
      } finally {
        fs.close();
      }
    });

    itGpac(`${what}: close() rejects the pending loadPlugin() with ERR_GPAC_CLOSED`, async () => {
      const fs = new FilterSession();
      const pending = fs.loadPlugin(spec, { options }).then(() => null, (e: unknown) => e as Error & { code?: string });
      await new Promise((r) => setTimeout(r, 300));
      fs.close();
      const err = await pending;
      expect(err?.code).toBe('ERR_GPAC_CLOSED');
      expect(err?.message).toMatch(/the session was closed while plugin .* was loading/);
    });
  }
});
