// fileio-write case, gpac-ts side: `gpac -i IN -o DIR/live.mpd:segdur=2` with the manifest and every
// segment written through a FileIO plugin (plugins/fileio-directory.ts, files under DIR). The worker's
// start counts; `info` gives the in-process comparison without it (fileio-run.ts).
import { dirname, join } from 'node:path';
import { done, ioArgs, stop } from './report.js';
import { compareRuns, fileIOApi } from './fileio-run.js';

const { input, output } = ioArgs('bench/cases/fileio-write-api.ts');
const api = await fileIOApi();
const root = join(dirname(output), 'api-dash');
const fio = await api.createFileIO('live.mpd', { root });
await api.run(input, `${fio.url}:segdur=2`);
stop();
const info = await compareRuns(api, [input, join(dirname(output), 'api-direct-dash', 'live.mpd:segdur=2')], [input, `${fio.url}:segdur=2`]);
await fio.close();
done(info);
