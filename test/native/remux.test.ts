// Remuxing through the native session on real libgpac, checked with GPAC's own inspect filter (run by the
// gpac CLI, independent of this binding): mp4→mp4, mp4→ts, mp4→DASH, #PID link filtering, 0 and 2 threads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { FilterSession } from '../../src/session/session.js';
import { describeGpacCli, itGpac, itGpacCli } from '../helpers/gpac.js';
import { FilterOptionsError } from '../../src/options.js';
import { inspect, inspectPackets } from '../helpers/inspect.js';
import { tmpDir } from '../helpers/tmp.js';
import { remux } from './_media.js';

const MEDIA = join(dirname(fileURLToPath(import.meta.url)), '..', 'media');
const AV = join(MEDIA, 'av.mp4');

describeGpacCli('remux on real libgpac', () => {
  for (const threads of [0, 2]) {
    itGpacCli(`mp4 → mp4 keeps every packet (threads=${threads})`, async () => {
      const dir = tmpDir();
      const out = dir.file('out.mp4');
      await remux(AV, out, threads);
      const [a, b] = await Promise.all([inspectPackets(AV), inspectPackets(out)]);
      expect(a.map((s) => [s.streamType, s.packets.length])).toEqual([['Audio', 142], ['Visual', 75]]);
      expect(b).toEqual(a); // dts, cts, dur, size, sap and payload CRC of every packet
    });
  }

  itGpacCli('mp4 → ts keeps packet counts, sizes and timing', async () => {
    const dir = tmpDir();
    const out = dir.file('out.ts');
    await remux(AV, out);
    const src = await inspect(AV);
    // mode=frame: TS carries PES packets (with AUD, in-band parameter sets, several AAC frames); the
    // reframer gives back access units, which must match the source's one for one.
    const ts = await inspect(out, { mode: 'frame' });
    expect(ts.pids.length).toBe(2);
    for (const type of ['Visual', 'Audio']) {
      const a = src.pids.find((p) => p.streamType === type)!;
      const b = ts.pids.find((p) => p.streamType === type)!;
      expect(b.packetCount, type).toBe(a.packetCount);
      expect(b.packets.map((p) => p.size), type).toEqual(a.packets.map((p) => p.size));
      // Same timing once both are on 90 kHz and start at 0 (TS adds an offset).
      const rel = (pid: typeof a) => {
        const t0 = pid.packets[0]!.dts ?? pid.packets[0]!.cts!;
        return pid.packets.map((p) => Math.round((((p.cts ?? 0) - t0) * 90000) / pid.timescale));
      };
      const ra = rel(a);
      const rb = rel(b);
      rb.forEach((v, i) => expect(Math.abs(v - ra[i]!), `${type} packet ${i} cts`).toBeLessThanOrEqual(1));
      expect(Math.abs(b.durationSeconds - a.durationSeconds), `${type} duration`).toBeLessThan(0.05);
    }
  });

  for (const form of ['string', 'typed'] as const)
  itGpacCli(`mp4 → DASH writes the manifest and 3 one-second segments per stream (${form} options)`, async () => {
    const dir = tmpDir();
    const mpd = dir.file('live.mpd');
    const fs = new FilterSession();
    try {
      fs.loadSrc(AV);
      if (form === 'typed') fs.load('dasher', { segdur: 1 });
      else fs.load('dasher:segdur=1');
      fs.loadDst(mpd);
      await fs.run();
    } finally {
      fs.close();
    }
    const manifest = readFileSync(mpd, 'utf8');
    expect(manifest).toMatch(/<MPD[\s>]/);
    expect(manifest).toMatch(/mediaPresentationDuration="PT0H0M3(\.0+)?S"/);
    const files = readdirSync(dir.path);
    const segments = files.filter((f) => f.endsWith('.m4s'));
    const inits = files.filter((f) => /init/.test(f) && f.endsWith('.mp4'));
    expect(inits.length, files.join(' ')).toBe(2);
    expect(segments.length, files.join(' ')).toBe(6); // 3 s / 1 s × 2 streams (closed 25-frame GOPs)
    for (const s of segments) expect(readFileSync(join(dir.path, s)).length).toBeGreaterThan(0);
  });

  itGpacCli('loadDst options reach the filters GPAC loads for the URL: segdur and template go to the dasher', async () => {
    const dir = tmpDir();
    const mpd = dir.file('seg.mpd');
    const fs = new FilterSession();
    try {
      fs.loadSrc(AV, { FID: 'in' });
      const dst = fs.loadDst(mpd, { segdur: { num: 3, den: 2 }, template: 'part_$Number$', SID: 'in' });
      expect(dst.alive).toBe(true);
      await fs.run();
    } finally {
      fs.close();
    }
    // What `gpac -i av.mp4 -o seg.mpd:segdur=3/2:template=part_$Number$` writes: 2 segments of 1.5 s per track.
    expect(readdirSync(dir.path).sort()).toEqual([
      'part_1_track1_.m4s', 'part_1_track2_.m4s', 'part_2_track1_.m4s', 'part_2_track2_.m4s',
      'part_init_track1_.mp4', 'part_init_track2_.mp4', 'seg.mpd',
    ]);
    const manifest = readFileSync(mpd, 'utf8');
    expect(manifest).toContain('media="part_$Number$_track1_.m4s"');
    expect(manifest).toMatch(/duration="19200"[^>]*timescale="12800"|timescale="12800"[^>]*duration="19200"/); // 1.5 s of video
  });

  itGpac('loadSrc/loadDst refuse an option no filter has, or a value no filter having it accepts, before GPAC sees them', () => {
    const fs = new FilterSession();
    try {
      const before = fs.nbFilters;
      expect(() => fs.loadDst('out.mpd', { segdurr: 2 } as never)).toThrow(/loadDst: no filter of GPAC .* has an option "segdurr" \(did you mean "segdur"\?\)/);
      expect(() => fs.loadDst('out.mpd', { segdur: 'long' } as never)).toThrow(/loadDst: dasher: option "segdur" must be .*received "long".*option of dasher/);
      expect(() => fs.loadSrc(AV, { FID: 3 } as never)).toThrow(FilterOptionsError);
      expect(fs.nbFilters).toBe(before);
    } finally {
      fs.close();
    }
  });

  itGpacCli('#PID link filtering: a sink linked with #PID=1 only gets the video', async () => {
    const dir = tmpDir();
    const out = dir.file('video-only.mp4');
    const fs = new FilterSession();
    try {
      const src = fs.loadSrc(AV);
      const dst = fs.loadDst(out);
      dst.setSource(src, '#PID=1');
      await fs.run();
    } finally {
      fs.close();
    }
    const r = await inspect(out);
    expect(r.pids.map((p) => p.streamType)).toEqual(['Visual']);
    expect(r.pids[0]!.packetCount).toBe(75);
    expect(existsSync(out)).toBe(true);
  });
});
