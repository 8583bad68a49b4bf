// Corrupt input, made here from av.mp4: GPAC's own error reaches run() as a GpacError (code and name),
// what GPAC could still write is written — the same bytes the gpac CLI writes from that input — and the
// process carries on.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { GpacError } from '../../src/errors.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, gpacCliPath, itGpac, itGpacCli } from '../helpers/gpac.js';
import { runProcess } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV, remux } from './_media.js';

/** av.mp4 variants: its first half (the moov, at the end, is lost); bytes that are no MP4 at all; and the
 *  whole file with bytes of its mdat (at the start) flipped, so that the moov is intact but samples are not. */
function corruptInputs(dir: string): { half: string; garbage: string; scribbled: string } {
  const src = readFileSync(AV);
  const mdat = src.indexOf('mdat');
  expect(mdat).toBeGreaterThan(0);
  expect(src.indexOf('moov')).toBeGreaterThan(src.length / 2); // what makes the first half unreadable
  const scribbled = Buffer.from(src);
  for (let i = mdat + 2000; i < mdat + 40000; i += 97) scribbled[i]! ^= 0x5a;
  const files = { half: `${dir}/half.mp4`, garbage: `${dir}/garbage.mp4`, scribbled: `${dir}/scribbled.mp4` };
  writeFileSync(files.half, src.subarray(0, src.length >> 1));
  writeFileSync(files.garbage, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(files.scribbled, scribbled);
  return files;
}

async function runRejection(src: string, dst: string, threads: number): Promise<GpacError> {
  const fs = new FilterSession({ threads });
  try {
    fs.loadSrc(src);
    fs.loadDst(dst);
    const err = await fs.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, `${src}: run() rejects`).toBeInstanceOf(GpacError);
    return err as GpacError;
  } finally {
    fs.close();
  }
}

describeGpac('corrupt input', () => {
  for (const threads of [0, 2]) {
    itGpac(`an MP4 without its moov, and bytes that are no MP4: GF_ISOM_INVALID_FILE, then a clean remux works (threads ${threads})`, async () => {
      const dir = tmpDir();
      const files = corruptInputs(dir.path);
      for (const src of [files.half, files.garbage]) {
        const err = await runRejection(src, dir.file('out.ts'), threads);
        expect(err.name).toBe('GF_ISOM_INVALID_FILE');
        expect(err.code).toBe(-20);
        expect(err.operation).toBe('run');
        expect(err.message).toContain('Invalid IsoMedia File');
        expect(err.stack).toContain('corrupt.test.ts');
      }
      await remux(AV, dir.file('clean.mp4'), threads);
      expect(statSync(dir.file('clean.mp4')).size).toBeGreaterThan(80_000);
    });
  }

  itGpacCli('an MP4 whose samples are scribbled over: GF_NON_COMPLIANT_BITSTREAM, and the TS written is the gpac CLI\'s, byte for byte', async () => {
    const dir = tmpDir();
    const { scribbled } = corruptInputs(dir.path);
    // pcr_init=0: GPAC's TS muxer otherwise starts the PCR at a random value (seeded by the time).
    const err = await runRejection(scribbled, `${dir.file('api.ts')}:pcr_init=0`, 0);
    expect(err.name).toBe('GF_NON_COMPLIANT_BITSTREAM');
    expect(err.code).toBe(-10);
    // The gpac CLI fails the same way (exit 1) and writes the same file.
    const cli = await runProcess(gpacCliPath!, ['-i', scribbled, '-o', `${dir.file('cli.ts')}:pcr_init=0`]);
    expect(cli.code, cli.stderr).toBe(1);
    const api = readFileSync(dir.file('api.ts'));
    expect(api.equals(readFileSync(dir.file('cli.ts')))).toBe(true);
    // Most of the file is there: what GPAC could rewrite before and after the bad samples.
    await remux(AV, dir.file('clean.ts'));
    expect(api.length).toBeGreaterThan(0.9 * statSync(dir.file('clean.ts')).size);
  });
});
