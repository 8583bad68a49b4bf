// http-handler case, gpac-ts side: requests per second answered by httpout with an HTTP handler plugin
// (plugins/http-handler.ts, adding headers while GPAC serves a small file) against httpout alone — GPAC's
// own (a gpac CLI child process) and gpac-ts's without a handler — under the same client load: Node's fetch,
// REQUESTS GETs, CONCURRENCY at a time, after a warm-up. Figures in `info`; the case's time is the handler run.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { done, importApi, ioArgs, stop, unavailable } from './report.js';

interface Session {
  bindHttpHandler(spec: string): Promise<unknown>;
  load(desc: string): unknown;
  run(): Promise<unknown>;
  abort(): void;
  close(): void;
}
const REQUESTS = 3000;
const CONCURRENCY = 16;

const { output } = ioArgs('bench/cases/http-handler-api.ts');
const api = await importApi();
const MaybeSession = api.FilterSession as (new () => Session) | undefined;
if (typeof MaybeSession !== 'function' || typeof MaybeSession.prototype.bindHttpHandler !== 'function') unavailable('src/index.js has no FilterSession.bindHttpHandler');
const FilterSession: new () => Session = MaybeSession;
const HANDLER = new URL(import.meta.url.endsWith('.ts') ? '../../plugins/http-handler.ts' : '../../plugins/http-handler.js', import.meta.url).pathname;
const root = join(dirname(output), 'http-www');
mkdirSync(root, { recursive: true });
writeFileSync(join(root, 'small.txt'), 'x'.repeat(1000));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
const httpout = (port: number) => `httpout:port=${port}:ifce=127.0.0.1:rdirs=${root}:maxc=0:maxp=0`;

async function waitUp(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await (await fetch(`${base}/small.txt`)).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`no server on ${base}`);
}

/** Requests per second for REQUESTS GETs, CONCURRENCY in flight. */
async function load(base: string): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const r = await fetch(`${base}/small.txt`);
        if (r.status !== 200 || (await r.arrayBuffer()).byteLength !== 1000) throw new Error(`bad answer ${r.status}`);
      }
    }),
  );
  return REQUESTS / ((performance.now() - t) / 1000);
}

async function inProcess(withHandler: boolean): Promise<number> {
  const port = await freePort();
  const fs = new FilterSession();
  if (withHandler) await fs.bindHttpHandler(HANDLER);
  fs.load(httpout(port));
  const running = fs.run().catch(() => undefined);
  const base = `http://127.0.0.1:${port}`;
  await waitUp(base);
  await load(base); // warm-up
  const rps = await load(base);
  fs.abort();
  await running;
  fs.close();
  return rps;
}

const withHandler = await inProcess(true);
stop();
const without = await inProcess(false);
const port = await freePort();
const cli = spawn('gpac', [httpout(port)], { stdio: 'ignore' });
let cliRps = 0;
try {
  await waitUp(`http://127.0.0.1:${port}`);
  await load(`http://127.0.0.1:${port}`);
  cliRps = await load(`http://127.0.0.1:${port}`);
} finally {
  cli.kill('SIGKILL');
}
done({
  'req/s gpac CLI httpout': Math.round(cliRps),
  'req/s gpac-ts httpout': Math.round(without),
  'req/s with handler': Math.round(withHandler),
  'handler / CLI': Number((withHandler / cliRps).toFixed(2)),
  'handler / no handler': Number((withHandler / without).toFixed(2)),
});
