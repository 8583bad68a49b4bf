// Runs a remux on a 2-thread session with GPAC's scheduler logs (sched@info) on (stderr), so that the parent can read
// the thread ids GPAC itself prints ("Thread %u Posted task …"): gf_th_id() as libgpac resolves it.
import { join } from 'node:path';
import { FilterSession, libraryInfo, setLogs } from '../../../src/index.js';

const [src, outDir] = process.argv.slice(2);
setLogs('sched@info');
const fs = new FilterSession({ threads: 2 });
fs.loadSrc(src);
fs.loadDst(join(outDir, 'out.mp4'));
await fs.run();
fs.close();
setLogs('all@warning', true);
console.log(JSON.stringify({ threadIds: libraryInfo().threadIds }));
