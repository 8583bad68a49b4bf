// Shared by the fileio-read and fileio-write cases (gpac-ts side): one session reading SRC and writing
// DST, either or both a FileIO's gfio:// URL, and the in-process comparison printed in `info` — the same
// run() with and without the FileIO, after the worker has started, medians of five each — which is the
// FileIO's own cost, apart from the worker's start and the binding's import.
import { importApi, unavailable } from './report.js';

export interface FileIO {
  readonly url: string;
  close(): Promise<void>;
}
interface Session {
  loadSrc(url: string): unknown;
  loadDst(url: string): unknown;
  run(): Promise<unknown>;
  close(): void;
}

export interface Api {
  createFileIO(url: string, options: object): Promise<FileIO>;
  run(src: string, dst: string): Promise<number>;
}

export async function fileIOApi(): Promise<Api> {
  const api = await importApi();
  const FileIOApi = api.FileIO as { create(url: string, spec: string, o: object): Promise<FileIO> } | undefined;
  const FilterSession = api.FilterSession as (new () => Session) | undefined;
  if (typeof FileIOApi?.create !== 'function' || typeof FilterSession !== 'function') unavailable('src/index.js has no FileIO.create');
  // Compiled with this script (dist/bench/cases/*.js) or run from source.
  const store = new URL(import.meta.url.endsWith('.ts') ? '../../plugins/fileio-directory.ts' : '../../plugins/fileio-directory.js', import.meta.url).pathname;
  return {
    createFileIO: (url, options) => FileIOApi.create(url, store, { options }),
    async run(src, dst) {
      const t = performance.now();
      const fs = new FilterSession();
      try {
        fs.loadSrc(src);
        fs.loadDst(dst);
        await fs.run();
      } finally {
        fs.close();
      }
      return performance.now() - t;
    },
  };
}

/** `info` for the report: run() through the FileIO against run() without it, in this process. */
export async function compareRuns(api: Api, direct: [string, string], viaFileIO: [string, string]): Promise<Record<string, number>> {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const d: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < 5; i++) {
    d.push(await api.run(...direct));
    f.push(await api.run(...viaFileIO));
  }
  return {
    'run direct (ms)': Number(med(d).toFixed(1)),
    'run via FileIO (ms)': Number(med(f).toFixed(1)),
    'FileIO / direct': Number((med(f) / med(d)).toFixed(2)),
  };
}
