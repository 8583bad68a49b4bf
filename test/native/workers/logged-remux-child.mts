// Remuxes argv[2] into argv[3]/out.mp4 on a session made with the options in argv[5] (JSON), with GPAC's logs
// set to argv[4] (they go to stderr), so that the parent can read what libgpac itself reports: the thread ids
// its scheduler prints (sched@info), the mutexes it takes (mutex@debug). Prints one JSON line: libraryInfo's
// threadIds.
import { join } from 'node:path';
import { FilterSession, libraryInfo, setLogs, type FilterSessionOptions } from '../../../src/index.js';

const [src, outDir, logs, json] = process.argv.slice(2);
setLogs(logs!);
const fs = new FilterSession(JSON.parse(json!) as FilterSessionOptions);
fs.loadSrc(src!);
fs.loadDst(join(outDir!, 'out.mp4'));
await fs.run();
fs.close();
setLogs('all@warning', true);
console.log(JSON.stringify({ threadIds: libraryInfo().threadIds }));
