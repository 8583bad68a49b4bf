// Remuxes a file on a session made with the given options (JSON argv[4]) with GPAC's mutex logs on (stderr),
// so that the parent can see which of GPAC's locks the session took: the lock scheduler creates a
// "Filter<name>Packets" mutex per filter, the lock-free one none.
import { join } from 'node:path';
import { FilterSession, setLogs, type FilterSessionOptions } from '../../../src/index.js';

const [src, outDir, json] = process.argv.slice(2);
const options = JSON.parse(json!) as FilterSessionOptions;
setLogs('mutex@debug');
const fs = new FilterSession(options);
fs.loadSrc(src!);
fs.loadDst(join(outDir!, 'out.mp4'));
await fs.run();
fs.close();
setLogs('all@warning', true);
