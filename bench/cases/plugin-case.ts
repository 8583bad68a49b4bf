// Shared by the plugin benchmark cases: IN -> forwarding plugin (plugins/forward.ts) -> OUT through the
// package API, as the CLI's `gpac -i IN -o OUT` does without JavaScript. Reports the hand-off counters
// (GPAC callbacks handed to the worker, packets, requests, intents) so round trips per packet can be read.
import { done, importApi, ioArgs, unavailable } from './report.js';

interface PluginLike {
  stats(): { calls: number; pipelined?: number; packets: number; requests: number; intents: number };
  flush(ms?: number): Promise<boolean>;
}
interface Session {
  loadSrc(url: string): { setSource(f: unknown): void };
  loadDst(url: string): { setSource(f: unknown): void };
  loadPlugin(spec: string, options?: Record<string, unknown>): Promise<{ setSource(f: unknown): void }>;
  plugin(f: unknown): PluginLike | undefined;
  run(): Promise<unknown>;
  close(): void;
}
type SessionCtor = new (o?: { threads?: number }) => Session;

export async function runForwardCase(script: string, pluginOptions: Record<string, unknown>): Promise<void> {
  const { input, output } = ioArgs(script);
  const api = await importApi();
  const FilterSession = api.FilterSession as SessionCtor | undefined;
  if (typeof FilterSession !== 'function') unavailable('src/index.js does not export FilterSession');
  const threads = Number(process.env.BENCH_THREADS ?? 0);
  const fs = new FilterSession({ threads });
  if (typeof fs.loadPlugin !== 'function') unavailable('FilterSession has no loadPlugin()');
  const src = fs.loadSrc(input);
  const messages: Array<Record<string, unknown>> = [];
  // The plugin in the same form as this script: plugins/forward.ts under tsx, dist/plugins/forward.js compiled.
  const spec = new URL(`../../plugins/forward.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).pathname;
  const t0 = performance.now();
  // Hand-off tuning, for experiments (the defaults are what users get).
  const inputBuffer = process.env.BENCH_INPUT_BUFFER ? Number(process.env.BENCH_INPUT_BUFFER) : undefined;
  const prefetch = process.env.BENCH_PREFETCH ? Number(process.env.BENCH_PREFETCH) : undefined;
  const pipeline = process.env.BENCH_PIPELINE ? process.env.BENCH_PIPELINE !== '0' : undefined;
  const f = await fs.loadPlugin(spec, {
    options: { ...pluginOptions, report: true },
    onMessage: (m: unknown) => messages.push(m as Record<string, unknown>),
    ...(inputBuffer !== undefined ? { inputBuffer } : {}),
    ...(prefetch !== undefined ? { prefetch } : {}),
    ...(pipeline !== undefined ? { pipeline } : {}),
  });
  const t1 = performance.now();
  f.setSource(src);
  fs.loadDst(output).setSource(f);
  await fs.run();
  const t2 = performance.now();
  const plugin = fs.plugin(f)!;
  await plugin.flush();
  const st = plugin.stats();
  fs.close();
  const last = messages[messages.length - 1] ?? {};
  done({
    threads,
    loadPluginMs: Math.round(t1 - t0),
    runMs: Math.round(t2 - t1),
    packets: Number(last.packets ?? 0),
    ...(pluginOptions.readPayload ? { checksum: Number(last.checksum ?? 0) } : {}),
    callbacks: st.calls,
    pipelined: st.pipelined ?? 0,
    prefetched: st.packets,
    requests: st.requests,
    intents: st.intents,
    packetsPerCallback: st.calls ? Number((st.packets / st.calls).toFixed(2)) : 0,
  });
}
