// The raw-video plugin (plugins/rawline.ts) on frames decoded by GPAC (ffdec, inserted by GPAC between the
// source and the plugin): the output pixels are the decoder's, except the middle row of the luma plane,
// which is 128 (50% luma) — in place (newPckClone) and by copy (newPck), with 0 and 4 threads.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { describeGpacCli, gpacCliPath, itGpacCli } from '../helpers/gpac.js';
import { run } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import { chain, plugin, runChain, VIDEO } from './_plugins.js';

interface Done {
  frames: number;
  inPlace: number;
  width: number;
  height: number;
  stride: number;
}

describeGpacCli('raw-video plugin', () => {
  for (const mode of ['inplace', 'copy'] as const) {
    for (const threads of [0, 4]) {
      itGpacCli(`draws a 50% luma line mid-frame, ${mode}, on decoded frames (threads ${threads})`, async () => {
        const dir = tmpDir();
        const out = dir.file('out.yuv');
        const c = await chain(VIDEO, plugin('rawline.ts'), { threads, dst: out, options: { mode, countInPlace: true } });
        expect(await runChain(c)).toBeUndefined();
        const done = c.messages.at(-1) as Done;
        expect(done).toMatchObject({ frames: 75, width: 320, height: 240 });
        // In place: the output packet took over the decoder's buffer (same address) — for most frames: GPAC
        // copies instead when the decoder still holds the frame at that moment, which depends on scheduling
        // (73-75 of 75 on an idle machine, 55 under a parallel build). By copy: never.
        if (mode === 'inplace') expect(done.inPlace).toBeGreaterThan(75 / 2);
        else expect(done.inPlace).toBe(0);

        const ref = dir.file('ref.yuv');
        await run(gpacCliPath!, ['-i', VIDEO, '-o', ref]);
        const a = readFileSync(out);
        const b = readFileSync(ref);
        const frame = (done.width * done.height * 3) / 2;
        expect(a.length).toBe(b.length);
        expect(a.length).toBe(frame * 75);
        const row = done.height >> 1;
        let lineBytes = 0;
        let otherDiffs = 0;
        for (let f = 0; f < 75; f++) {
          const base = f * frame;
          for (let i = 0; i < frame; i++) {
            const inLine = i >= row * done.stride && i < row * done.stride + done.width;
            if (inLine) lineBytes += a[base + i] === 128 ? 1 : 0;
            else if (a[base + i] !== b[base + i]) otherDiffs++;
          }
        }
        expect(lineBytes).toBe(75 * done.width);
        expect(otherDiffs).toBe(0);
        // The reference does not have the line: the plugin did draw it.
        expect(b.subarray(row * done.stride, row * done.stride + done.width).every((v) => v === 128)).toBe(false);
      });
    }
  }
});
