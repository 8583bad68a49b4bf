// Parallel map plugins (ParallelMapFilter): the payload work runs on a piscina pool and the packets leave in
// their input order. The blur example (plugins/blur.ts) on decoded frames gives the same bytes serially and
// on pools of 2 and 4 threads, with 0 and 4 GPAC threads — and those bytes are the reference blur computed
// here on GPAC's own decode. A map made slow and uneven on purpose still gives the input back packet for
// packet; a map that throws fails run() with its message and file.
import { readFileSync } from 'node:fs';
import { beforeAll, expect } from 'vitest';
import { setArgs } from '../../src/library.js';
import { GpacError } from '../../src/errors.js';
import { describeGpacCli, gpacCliPath, itGpacCli } from '../helpers/gpac.js';
import { inspectPackets } from '../helpers/inspect.js';
import { run } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import { blurLuma } from '../../plugins/blur-map.js';
import { AV, chain, fixture, plugin, runChain, VIDEO } from './_plugins.js';

const W = 320;
const H = 240;
const FRAME = (W * H * 3) / 2;

describeGpacCli('parallel map plugins', () => {
  beforeAll(() => setArgs(['gpac', '-for-test']));

  let reference: Buffer;
  beforeAll(async () => {
    // GPAC's decode of the test video, blurred here frame by frame with the map module's own function.
    const dir = tmpDir();
    const raw = dir.file('ref.yuv');
    await run(gpacCliPath!, ['-i', VIDEO, '-o', raw]);
    reference = readFileSync(raw);
    expect(reference.length).toBe(FRAME * 75);
    for (let f = 0; f < 75; f++) blurLuma(reference.subarray(f * FRAME, (f + 1) * FRAME), { width: W, height: H, stride: W }, 2, 2);
  });

  for (const threads of [0, 4]) {
    for (const pool of [0, 2, 4]) {
      itGpacCli(`blur on a pool of ${pool} thread(s), GPAC threads ${threads}: the reference blur, in order`, async () => {
        const out = tmpDir().file('blur.yuv');
        const c = await chain(VIDEO, plugin('blur.ts'), { threads, dst: out, options: { threads: pool, passes: 2, window: pool === 4 ? 3 : undefined } });
        expect(await runChain(c)).toBeUndefined();
        const got = readFileSync(out);
        expect(got.length).toBe(reference.length);
        // Frame by frame, so a failure says which frame.
        for (let f = 0; f < 75; f++) expect(got.subarray(f * FRAME, (f + 1) * FRAME).equals(reference.subarray(f * FRAME, (f + 1) * FRAME)), `frame ${f}`).toBe(true);
      });
    }
  }

  for (const threads of [0, 4]) {
    itGpacCli(`an uneven map on two PIDs still gives each packet back in order (GPAC threads ${threads})`, async () => {
      const out = tmpDir().file('jitter.mp4');
      const c = await chain(AV, fixture('jitter.ts'), { threads, dst: out, options: { threads: 3, window: 6 } });
      expect(await runChain(c)).toBeUndefined();
      expect(await inspectPackets(out)).toEqual(await inspectPackets(AV));
    });

    for (const pool of [0, 2]) {
      itGpacCli(`a map that throws fails run() with its message and file (pool ${pool}, GPAC threads ${threads})`, async () => {
        const c = await chain(AV, fixture('jitter.ts'), { threads, dst: tmpDir().file('t.mp4'), options: { threads: pool, map: 'throw', at: 10 } });
        const err = await runChain(c);
        expect(err).toBeInstanceOf(GpacError);
        expect(String((err as Error).message)).toMatch(/RangeError: throw-map: packet 10 is not welcome/);
        expect(String((err as Error).stack)).toMatch(/throw-map\.ts/);
      });
    }
  }

  itGpacCli('a map module without a default function is a clear error', async () => {
    const c = await chain(AV, fixture('jitter.ts'), { threads: 2, dst: tmpDir().file('n.mp4'), options: { threads: 2, map: 'no-default' } });
    const err = await runChain(c);
    expect(err).toBeInstanceOf(GpacError);
    expect(String((err as Error).message)).toMatch(/no-default-map\.ts: its default export must be a function/);
  });
});
