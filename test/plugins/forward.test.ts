// The forwarding plugin (plugins/forward.ts) in each of the six ways of making an output packet, and
// cycling through them: the output is packet-identical to the input (GPAC's inspect), byte-identical
// whatever the number of GPAC threads and to the gpac CLI's own remux. Plus zero-copy and view lifetimes.
import { readFileSync } from 'node:fs';
import { beforeAll, expect } from 'vitest';
import { setArgs } from '../../src/library.js';
import { describeGpacCli, gpacCliPath, itGpacCli } from '../helpers/gpac.js';
import { inspectPackets } from '../helpers/inspect.js';
import { run } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import { MODES } from '../../plugins/forward.js';
import { AV, chain, fixture, plugin, runChain } from './_plugins.js';

interface ForwardReport {
  packets: number;
  perMode: Record<string, number>;
  lent: number;
}

async function forward(mode: string, threads: number, out: string): Promise<ForwardReport[]> {
  const c = await chain(AV, plugin('forward.ts'), { threads, dst: out, options: { mode, report: true } });
  const err = await runChain(c);
  expect(err).toBeUndefined();
  return (c.messages as ForwardReport[]).filter((m) => m.packets !== undefined);
}

describeGpacCli('forwarding plugin', () => {
  // No dates or versions in the files: outputs of identical runs are identical bytes.
  beforeAll(() => setArgs(['gpac', '-for-test']));

  for (const mode of [...MODES, 'cycle']) {
    itGpacCli(`mode ${mode}: the output has the input's packets (dts, cts, dur, size, sap, payload CRC)`, async () => {
      const dir = tmpDir();
      const out = dir.file(`${mode}.mp4`);
      const reports = await forward(mode, 0, out);
      const last = reports[reports.length - 1]!;
      expect(last.packets).toBe(217);
      if (mode === 'cycle') for (const m of MODES) expect(last.perMode[m], m).toBeGreaterThanOrEqual(36);
      expect(await inspectPackets(out)).toEqual(await inspectPackets(AV));
    });
  }

  itGpacCli('newPckShared: every lent buffer comes back through packetRelease', async () => {
    const c = await chain(AV, plugin('forward.ts'), { threads: 2, dst: tmpDir().file('shared.mp4'), options: { mode: 'shared', report: true } });
    await c.fs.run();
    // Releases travel from GPAC's destructor to the worker on their own queue: wait for the last one.
    const plugin_ = c.fs.plugin(c.filter)!;
    for (let i = 0; i < 100 && !c.messages.some((m) => (m as { allReleased?: boolean }).allReleased); i++) {
      await plugin_.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
    c.fs.close();
    expect(c.messages.find((m) => (m as { allReleased?: boolean }).allReleased)).toEqual({ allReleased: true, released: 217 });
  });

  itGpacCli('cycling modes with 0, 1 and 4 threads gives byte-identical files, equal to the gpac CLI remux', async () => {
    const dir = tmpDir();
    const files: Buffer[] = [];
    for (const threads of [0, 1, 4]) {
      const out = dir.file(`t${threads}.mp4`);
      await forward('cycle', threads, out);
      files.push(readFileSync(out));
    }
    const ref = dir.file('cli.mp4');
    await run(gpacCliPath!, ['-for-test', '-i', AV, '-o', ref]);
    expect(files[1]!.equals(files[0]!), 'threads 1 vs 0').toBe(true);
    expect(files[2]!.equals(files[0]!), 'threads 4 vs 0').toBe(true);
    expect(files[0]!.equals(readFileSync(ref)), 'gpac-ts vs gpac CLI').toBe(true);
  });

  for (const threads of [0, 4]) {
    itGpacCli(`pipelined process() calls (threads ${threads}): same packets, payload bytes and file as waited-for calls`, async () => {
      const dir = tmpDir();
      const run = async (pipeline: boolean) => {
        const out = dir.file(`pipeline-${pipeline}.mp4`);
        // Few packets per call: many process() calls, most of them made while GPAC has other work.
        const c = await chain(AV, plugin('forward.ts'), { threads, dst: out, prefetch: 4, pipeline, options: { mode: 'forward', readPayload: true, report: true } });
        await c.fs.run();
        const p = c.fs.plugin(c.filter)!;
        await p.flush();
        const stats = p.stats();
        c.fs.close();
        const reports = (c.messages as Array<ForwardReport & { checksum: number }>).filter((m) => m.packets !== undefined);
        return { out, stats, last: reports[reports.length - 1]! };
      };
      const waited = await run(false);
      const piped = await run(true);
      expect(waited.stats.pipelined).toBe(0);
      expect(piped.stats.pipelined, JSON.stringify(piped.stats)).toBeGreaterThan(0);
      expect(piped.last.packets).toBe(217);
      expect(piped.last.checksum).toBe(waited.last.checksum);
      expect(await inspectPackets(piped.out)).toEqual(await inspectPackets(AV));
      expect(readFileSync(piped.out).equals(readFileSync(waited.out))).toBe(true);
    });

    itGpacCli(`zero-copy views and their lifetimes (threads ${threads})`, async () => {
      const dir = tmpDir();
      const out = dir.file('views.mp4');
      // Few packets per process(), so the kept views are checked across several callbacks.
      const c = await chain(AV, fixture('views.ts'), { threads, dst: out, prefetch: 2 });
      expect(await runChain(c)).toBeUndefined();
      const r = c.messages[0] as Record<string, { gpac: string; view: string; before?: string } | number>;
      expect(r, JSON.stringify(r)).toBeDefined();
      // Input payload: the view reads GPAC's memory.
      const inAddr = r.inputAddr as { gpac: string; view: string };
      expect(BigInt(inAddr.gpac)).not.toBe(0n);
      expect(inAddr.view).toBe(inAddr.gpac);
      // A view kept past its callback, without ref(): detached (length 0), not dangling.
      expect(r.keptDuring).toBe(r.keptSize);
      expect(r.keptAfter).toBe(0);
      // ref(): valid across callbacks until unref().
      expect(r.heldNextCall).toBe(r.heldSize);
      expect(r.heldBeforeUnref).toBe(r.heldSize);
      expect(r.heldAfterUnref).toBe(0);
      // After dropPacket(): detached at once.
      expect(r.droppedView).toBe(0);
      // newPck(size): the writable view is GPAC's buffer; detached once sent.
      const alloc = r.allocAddr as { before: string; gpac: string; view: string };
      expect(alloc.before).toBe('null');
      expect(alloc.view).toBe(alloc.gpac);
      expect(r.allocAfterSend).toBe(0);
      // newPckShared: GPAC's packet data is the JS buffer itself.
      const shared = r.sharedAddr as { gpac: string; view: string };
      expect(shared.view).toBe(shared.gpac);
      expect(await inspectPackets(out)).toEqual(await inspectPackets(AV));
    });
  }
});
