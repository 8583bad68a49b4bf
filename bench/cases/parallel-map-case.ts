// Shared by the parallel-map cases: IN (H.264) -> GPAC's decoder -> the blur plugin (plugins/blur.ts, a
// ParallelMapFilter) -> raw frames discarded (/dev/null), with a pool of `pool` threads (0: serial, in the
// plugin's worker). The CLI column decodes the same file to /dev/null: what remains is the blur's cost.
import { availableParallelism } from 'node:os';
import { done, importApi, ioArgs, unavailable } from './report.js';

interface Session {
  loadSrc(url: string): unknown;
  loadDst(url: string): { setSource(f: unknown): void };
  loadPlugin(spec: string, options?: Record<string, unknown>): Promise<{ setSource(f: unknown): void }>;
  run(): Promise<unknown>;
  close(): void;
}
type SessionCtor = new (o?: { threads?: number }) => Session;

/** Blur passes per frame: enough work per packet for a pool to matter (about 20 ms per 720p frame here). */
export const PASSES = 2;

export async function runParallelMapCase(script: string, pool: number | 'auto'): Promise<void> {
  const { input } = ioArgs(script);
  const api = await importApi();
  const FilterSession = api.FilterSession as SessionCtor | undefined;
  if (typeof FilterSession !== 'function') unavailable('src/index.js does not export FilterSession');
  const threads = pool === 'auto' ? availableParallelism() : pool;
  // GPAC's own threads decode; the pool's blur.
  const fs = new FilterSession({ threads: Number(process.env.BENCH_THREADS ?? 2) });
  const src = fs.loadSrc(input);
  const spec = new URL(`../../plugins/blur.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).pathname;
  const t0 = performance.now();
  const f = await fs.loadPlugin(spec, { options: { threads, passes: PASSES } });
  f.setSource(src);
  fs.loadDst('/dev/null:ext=yuv').setSource(f);
  await fs.run();
  const runMs = performance.now() - t0;
  fs.close();
  done({ pool: threads, passes: PASSES, runMs: Math.round(runMs) });
}
