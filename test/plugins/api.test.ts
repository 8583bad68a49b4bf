// The plugin API across chains of plugins (one worker each): an async middle filter setting properties of
// many types and retiming packets, a sink reading them back, events travelling upstream, status getters,
// and a source driven from a timer outside callbacks.
import { expect } from 'vitest';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, describeGpacCli, itGpac, itGpacCli } from '../helpers/gpac.js';
import { measureEventLoop } from '../native/_media.js';
import { inspect } from '../helpers/inspect.js';
import type { SinkPid } from './fixtures/sink.js';
import { SHIFT } from './fixtures/retime.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV, chain, fixture, runChain } from './_plugins.js';

describeGpacCli('plugin API', () => {
  for (const threads of [0, 4]) {
    itGpacCli(`src → async retime plugin → sink plugin: properties, packet attributes and events (threads ${threads})`, async () => {
      const fs = new FilterSession({ threads });
      const sinkMsgs: SinkPid[] = [];
      const midMsgs: Array<{ events: Array<Record<string, unknown>>; status: Record<string, unknown>; packets: number }> = [];
      const src = fs.loadSrc(AV);
      const mid = await fs.loadPlugin(fixture('retime.ts'), { onMessage: (m) => midMsgs.push(m as (typeof midMsgs)[number]) });
      const sink = await fs.loadPlugin(fixture('sink.ts'), { onMessage: (m) => sinkMsgs.push(m as SinkPid) });
      mid.setSource(src);
      sink.setSource(mid);
      await fs.run();
      await fs.plugin(mid)!.flush();
      await fs.plugin(sink)!.flush();
      fs.close();

      const ref = await inspect(AV);
      expect(sinkMsgs).toHaveLength(2);
      for (const s of sinkMsgs) {
        const r = ref.pids.find((p) => p.id === s.props.ID?.value)!;
        expect(r).toBeDefined();
        // Properties set by the middle plugin, with GPAC's types.
        expect(s.props['x-str']).toEqual({ value: 'hello', type: 'str' });
        expect(s.props['x-uint']).toEqual({ value: 42, type: 'uint' });
        expect(s.props['x-lsint']).toEqual({ value: -5n, type: 'lsint' });
        expect(s.props['x-frac']).toEqual({ value: { num: 30000, den: 1001 }, type: 'frac' });
        expect(s.props['x-bool']).toEqual({ value: true, type: 'bool' });
        expect(s.props['x-strl']).toEqual({ value: ['a', 'b'], type: 'strl' });
        expect(s.props['x-data']).toEqual({ value: new Uint8Array([1, 2, 3]), type: 'mem' });
        expect(s.props['x-v2']).toEqual({ value: { x: 3, y: 4 }, type: 'v2di' });
        expect(s.props.ServiceName?.value).toBe('gpac-ts retime');
        expect(s.info).toBe('info-value');
        // Packets: shifted timestamps, the rest unchanged, a per-packet property.
        expect(s.packets.map((p) => [p.dts, p.cts, p.dur, p.sap, p.size])).toEqual(
          r.packets.map((p) => [p.dts! + SHIFT, p.cts! + SHIFT, p.dur, p.sap, p.size]),
        );
        expect(s.packets.every((p) => typeof p.props['x-pck'] === 'number')).toBe(true);
      }
      const m = midMsgs.at(-1)!;
      expect(m.packets).toBe(217);
      // PLAY from the sink reached the middle filter on its output PIDs, with the sink's fields.
      const plays = m.events.filter((e) => e.name === 'PLAY');
      // One per output PID as a rule; GPAC may fold the second into the first (seen with its lock scheduler).
      expect(plays.length).toBeGreaterThanOrEqual(1);
      expect(plays[0]).toMatchObject({ pidIsOutput: true, endRange: 10, speed: 1 });
      expect(m.status).toMatchObject({
        blockEnabled: true, // GPAC's default: filters block when their output is full
        outputBuffer: 5_000_000, // µs: the 5 s the sink plugin requests upstream (loadPlugin's inputBuffer default)
        playoutBuffer: 5_000_000,
        sinksDone: false,
        connectionsPending: false, // the sink was linked before the run: connected by the first packet
        readBack: { pckProp: 0 },
        timescale: 12800,
        opidName: 'V1',
      });
      // Events GPAC has queued for the filter and not delivered yet: none with one GPAC thread; with more, the
      // PLAY/buffer events of its two output PIDs may still be in flight on other threads (seen: 2 at threads 4).
      const queued = (m.status as { nbEvtsQueued: number }).nbEvtsQueued;
      expect(queued).toBeGreaterThanOrEqual(0);
      expect(queued).toBeLessThanOrEqual(threads === 0 ? 0 : 4);
      const rb = (m.status as { readBack: { dts: number; size: number } }).readBack;
      expect(rb.dts).toBeGreaterThanOrEqual(SHIFT);
      expect(rb.size).toBeGreaterThan(0);
    });
  }

  itGpacCli('a source plugin driven by a timer (reschedule() outside callbacks) → sink plugin', async () => {
    const fs = new FilterSession({ threads: 0 });
    const got: SinkPid[] = [];
    const src = await fs.loadPlugin(fixture('source.ts'), { options: { frames: 12 } });
    const sink = await fs.loadPlugin(fixture('sink.ts'), { onMessage: (m) => got.push(m as SinkPid) });
    sink.setSource(src);
    await fs.run();
    await fs.plugin(sink)!.flush();
    fs.close();
    expect(got).toHaveLength(1);
    const s = got[0]!;
    expect(s.props.PixelFormat?.value).toBe('yuv420');
    expect(s.props.Width?.value).toBe(16);
    expect(s.packets.map((p) => [p.dts, p.cts, p.size, p.first])).toEqual(Array.from({ length: 12 }, (_, i) => [i, i, 384, [i, i, i, i]]));
  });
});

describeGpacCli('plugin API, rarer calls', () => {
  itGpacCli('templates, caps queries, clones, truncation, read-only, discard', async () => {
    const msgs: Record<string, unknown>[] = [];
    const fs = new FilterSession();
    const src = fs.loadSrc(AV);
    const f = await fs.loadPlugin(fixture('misc.ts'), { onMessage: (m) => msgs.push(m as Record<string, unknown>) });
    f.setSource(src);
    fs.loadDst(tmpDir().file('misc.mp4')).setSource(f);
    await fs.run();
    await fs.plugin(f)!.flush();
    fs.close();
    const r = msgs[0]!;
    expect(r.template).toBe('seg_7_x');
    expect(r.templateError).toEqual({ isGpacError: true, name: 'GF_BAD_PARAM', code: -1, operation: 'resolveTemplate', message: expect.stringMatching(/^resolveTemplate failed: Bad Parameter \(seg_\$Nope\$_x\)/) });
    expect(r.checkCaps).toBe(true);
    expect(typeof r.clockType).toBe('number');
    expect(r.occupancy).toEqual(['dur', 'isFinalFlush', 'maxDur', 'maxUnits', 'nbPck']);
    expect(typeof r.timescale).toBe('number');
    expect(r.filterName).toBe('mp4dmx');
    expect(r.cloneSize).toBeGreaterThan(0);
    expect(r.cloneDataSame).toBe(true);
    expect(r.sendAfterDiscard).toMatch(/released/);
    expect(r.forwardOutput).toBe('TypeError: forward: expected an input packet (from getPacket()), received an output packet: send() it instead');
    expect([r.forwardDropped, r.refDropped, r.copyDropped]).toEqual(['ERR_GPAC_PACKET_RELEASED', 'ERR_GPAC_PACKET_RELEASED', 'ERR_GPAC_PACKET_RELEASED']);
    expect(r.setOnInput).toMatch(/input packets are read-only/);
    // read-only is GPAC's mark for shared memory: refused on a copy (GPAC would miscount it), fine on a ref.
    expect(r.readonlyOnCopy).toMatch(/only for packets over memory GPAC does not own/);
    expect(r.readonlyRef).toBeGreaterThan(0);
    const [before, after] = r.truncated as [number, number];
    expect(after).toBe(before - 1);
  });
});

describeGpac('the main thread stays free', () => {
  itGpac('a plugin busy in every callback does not block the main event loop', async () => {
    const c = await chain(AV, fixture('slow.ts'), { threads: 0, prefetch: 4, options: { busyMs: 15 }, dst: tmpDir().file('slow.mp4') });
    const m = await measureEventLoop(() => runChain(c));
    expect(m.result).toBeUndefined();
    // The run lasts a while (many 15 ms callbacks), yet the 1 ms timer of the main thread keeps firing.
    expect(m.elapsedMs).toBeGreaterThan(300);
    expect(m.maxGapMs).toBeLessThan(100);
    expect(m.ticks).toBeGreaterThan(m.elapsedMs / 10);
  });
});
