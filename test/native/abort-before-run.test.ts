// abort() before run() (issue 14.7): the run it cancels ends before GPAC runs anything, whatever the flush
// mode and the thread count, every time; the session can then run again. Before, GF_FS_FLUSH_NONE was
// forgotten by gf_fs_run at threads 0 (the whole file was written) and applied at a random point with
// threads, and the flushing modes depended on GPAC disabling sources that had not started.
import { existsSync, statSync } from 'node:fs';
import { expect } from 'vitest';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV, remux } from './_media.js';

describeGpac('abort() before run()', () => {
  for (const threads of [0, 2]) {
    itGpac(`threads=${threads}: every flush mode cancels the run (nothing written, 3 times each), and the session runs again`, async () => {
      const dir = tmpDir();
      const reference = dir.file('reference.mp4');
      await remux(AV, reference, threads);
      const full = statSync(reference).size;
      for (const mode of ['GF_FS_FLUSH_NONE', 'GF_FS_FLUSH_ALL', 'GF_FS_FLUSH_FAST'] as const) {
        for (let i = 0; i < 3; i++) {
          const out = dir.file(`${mode}-${i}.mp4`);
          const fs = new FilterSession({ threads });
          try {
            const src = fs.loadSrc(AV);
            fs.loadDst(out);
            fs.abort(mode);
            await fs.run();
            expect(fs.running).toBe(false);
            expect(existsSync(out), `${mode} #${i}: no output`).toBe(false);
            expect(src.statistics.nbPckSent, `${mode} #${i}: the source sent nothing`).toBe(0n);
            // The abort was for that run only: the next one runs to the end.
            await fs.run();
            expect(statSync(out).size, `${mode} #${i}: the next run writes the whole file`).toBe(full);
          } finally {
            fs.close();
          }
        }
      }
    });
  }
});
