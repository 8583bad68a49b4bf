// The inspection sink plugin (plugins/inspect.ts) against GPAC's own inspect filter run by the gpac CLI:
// same packets (DTS, CTS, SAP, duration, size, payload CRC32) and PID properties, with 0 and 4 threads,
// and with libgpac.py's one-packet-per-process() loop.
import { expect } from 'vitest';
import { describeGpacCli, itGpacCli } from '../helpers/gpac.js';
import { inspect } from '../helpers/inspect.js';
import type { InspectedPid } from '../../plugins/inspect.js';
import { AV, chain, plugin, runChain } from './_plugins.js';

interface Report {
  pid: InspectedPid;
}

async function inspectWithPlugin(threads: number, onePerCall = false): Promise<InspectedPid[]> {
  const c = await chain(AV, plugin('inspect.ts'), { threads, options: { report: true, onePerCall } });
  const err = await runChain(c);
  expect(err).toBeUndefined();
  return (c.messages as Report[]).map((m) => m.pid);
}

describeGpacCli('inspection sink plugin', () => {
  for (const [threads, onePerCall] of [
    [0, false],
    [4, false],
    [0, true],
  ] as const) {
    itGpacCli(`sees every packet and PID property GPAC's inspect sees (threads ${threads}${onePerCall ? ', one packet per process()' : ''})`, async () => {
      const [seen, ref] = await Promise.all([inspectWithPlugin(threads, onePerCall), inspect(AV)]);
      expect(seen.length).toBe(ref.pids.length);
      for (const r of ref.pids) {
        const s = seen.find((p) => p.props.ID === r.id);
        expect(s, `PID with ID ${r.id} reported by the plugin`).toBeDefined();
        expect(s!.configures).toBe(r.configureCount);
        // Properties: the ones inspect prints as plain numbers/names.
        expect(s!.props.StreamType).toBe(r.streamType);
        expect(s!.props.Timescale).toBe(r.timescale);
        for (const k of ['Width', 'Height', 'SampleRate', 'NumChannels']) {
          if (r.props[k] !== undefined) expect(String(s!.props[k]), k).toBe(r.props[k]);
        }
        expect(s!.packets.length).toBe(r.packets.length);
        const mine = s!.packets.map((p) => [p.dts, p.cts, p.sap, p.dur, p.size, p.crc === null ? null : `0x${p.crc.toString(16).toUpperCase().padStart(8, '0')}`]);
        const theirs = r.packets.map((p) => [p.dts, p.cts, p.sap, p.dur, p.size, p.crc]);
        expect(mine).toEqual(theirs);
      }
    });
  }
});
