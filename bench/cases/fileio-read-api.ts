// fileio-read case, gpac-ts side: `gpac -i IN -o /dev/null:ext=264` with IN read through a FileIO plugin
// (plugins/fileio-directory.ts: fs/promises reads into the block GPAC's thread lends). The worker's start
// counts; `info` gives the in-process comparison without it (fileio-run.ts).
import { basename, dirname } from 'node:path';
import { done, ioArgs, stop } from './report.js';
import { compareRuns, fileIOApi } from './fileio-run.js';

const { input } = ioArgs('bench/cases/fileio-read-api.ts');
const api = await fileIOApi();
const fio = await api.createFileIO(basename(input), { root: dirname(input) });
const SINK = '/dev/null:ext=264';
await api.run(fio.url, SINK);
stop();
const info = await compareRuns(api, [input, SINK], [fio.url, SINK]);
await fio.close();
done(info);
