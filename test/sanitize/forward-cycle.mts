// Run under valgrind (`npm run valgrind`): the forwarding plugin cycling through all six ways of making an
// output packet, on sessions with 0 and 4 GPAC threads — GPAC's threads, the plugin's worker and the
// hand-off between them, in one process. Not a vitest file: memcheck makes Node ~30x slower.
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FilterSession } from '../../src/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const threads of [0, 4]) {
  const fs = new FilterSession({ threads });
  const src = fs.loadSrc(join(ROOT, 'test', 'media', 'av.mp4'));
  const f = await fs.loadPlugin(join(ROOT, 'plugins', 'forward.ts'), { options: { mode: 'cycle', report: true } });
  f.setSource(src);
  fs.loadDst(join(tmpdir(), `gpac-ts-valgrind-${process.pid}-${threads}.mp4`)).setSource(f);
  await fs.run();
  await fs.plugin(f)?.flush();
  fs.close();
  console.log(`forward-cycle: threads ${threads} done`);
}
