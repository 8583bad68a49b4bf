// dash-algorithm case, gpac-ts side: dashin → inspect with a DASH algorithm plugin that keeps the quality
// (bench/cases/dash-keep.ts), one call per segment. After the measured run, the same run() without and
// with the algorithm (bound before the clock starts, so its worker's start is not counted), five times
// each in this process: their difference over the calls made is the cost of one algorithm call (snapshot,
// hand-off to the worker and back), printed in `info`.
import { done, importApi, ioArgs, stop, unavailable } from './report.js';

interface Hook {
  stats(): { calls: number };
}
interface Session {
  bindDashAlgorithm(spec: string): Promise<Hook>;
  loadSrc(url: string): unknown;
  load(desc: string): unknown;
  run(): Promise<unknown>;
  close(): void;
}
type SessionCtor = new () => Session;

const { input, output } = ioArgs('bench/cases/dash-algorithm-api.ts');
const api = await importApi();
const MaybeSession = api.FilterSession as SessionCtor | undefined;
if (typeof MaybeSession !== 'function' || typeof MaybeSession.prototype.bindDashAlgorithm !== 'function')
  unavailable('src/index.js has no FilterSession.bindDashAlgorithm');
const FilterSession: SessionCtor = MaybeSession;
// Compiled with this script (dist/bench/cases/*.js) or run from source.
const ALGO = new URL(import.meta.url.endsWith('.ts') ? './dash-keep.ts' : './dash-keep.js', import.meta.url).pathname;

/** One play; returns the calls made and how long run() took (the worker's start is not in it). */
async function play(withAlgo: boolean, out: string): Promise<{ calls: number; runMs: number }> {
  const fs = new FilterSession();
  try {
    const hook = withAlgo ? await fs.bindDashAlgorithm(ALGO) : undefined;
    fs.loadSrc(input);
    fs.load(`inspect:deep:log=${out}`);
    const t = performance.now();
    await fs.run();
    return { calls: hook?.stats().calls ?? 0, runMs: performance.now() - t };
  } finally {
    fs.close();
  }
}

const { calls } = await play(true, output);
stop();
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const without: number[] = [];
const withAlgo: number[] = [];
for (let i = 0; i < 5; i++) {
  without.push((await play(false, '/dev/null')).runMs);
  withAlgo.push((await play(true, '/dev/null')).runMs);
}
done({
  calls,
  'run without (ms)': Number(med(without).toFixed(1)),
  'run with (ms)': Number(med(withAlgo).toFixed(1)),
  'per call (µs)': Number((((med(withAlgo) - med(without)) * 1000) / calls).toFixed(0)),
});
