// dash-algorithm case, gpac-ts side: dashin → inspect with a DASH algorithm plugin that keeps the quality
// (bench/cases/dash-keep.ts), one call per segment. After the measured run, the same play without and
// with the algorithm, five times each in this process: their difference over the calls made is the cost
// of one algorithm call (hand-off to the worker and back), printed in `info`.
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
const ALGO = new URL('./dash-keep.ts', import.meta.url).pathname;

async function play(withAlgo: boolean, out: string): Promise<number> {
  const fs = new FilterSession();
  try {
    const hook = withAlgo ? await fs.bindDashAlgorithm(ALGO) : undefined;
    fs.loadSrc(input);
    fs.load(`inspect:deep:log=${out}`);
    await fs.run();
    return hook?.stats().calls ?? 0;
  } finally {
    fs.close();
  }
}

const calls = await play(true, output);
stop();
const time = async (withAlgo: boolean) => {
  const t = performance.now();
  await play(withAlgo, '/dev/null');
  return performance.now() - t;
};
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const without: number[] = [];
const withAlgo: number[] = [];
for (let i = 0; i < 5; i++) {
  without.push(await time(false));
  withAlgo.push(await time(true));
}
done({
  calls,
  'play without (ms)': Number(med(without).toFixed(1)),
  'play with (ms)': Number(med(withAlgo).toFixed(1)),
  'per call (µs)': Number((((med(withAlgo) - med(without)) * 1000) / calls).toFixed(0)),
});
