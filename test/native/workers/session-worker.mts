// A worker thread of the native tests (started through bootstrap.mjs): loads the addon in its own environment
// and does what workerData.mode says, reporting back what it saw.
import { parentPort, workerData } from 'node:worker_threads';
import { GpacError } from '../../../src/errors.js';
import { close, libraryInfo } from '../../../src/library.js';
import { FilterSession } from '../../../src/session/session.js';

interface Job {
  mode: 'remux' | 'use-after-close' | 'exit-while-running';
  src: string;
  out: string;
  threads?: number;
}

const job = workerData as Job;
const post = (m: unknown) => parentPort!.postMessage(m);

function describeError(e: unknown) {
  const g = e as Error & { code?: unknown };
  return { ctor: g?.constructor?.name, name: g?.name, message: g?.message, code: g?.code };
}

try {
  if (job.mode === 'remux') {
    const fs = new FilterSession({ threads: job.threads ?? 0 });
    fs.loadSrc(job.src);
    fs.loadDst(job.out);
    let ticks = 0;
    const iv = setInterval(() => ticks++, 1);
    await fs.run();
    clearInterval(iv);
    const names = fs.filters.map((f) => f.name);
    fs.close();
    const { path, source } = libraryInfo();
    post({ ok: true, names, ticks, library: { path, source } });
  } else if (job.mode === 'use-after-close') {
    const fs = new FilterSession();
    const src = fs.loadSrc(job.src);
    close(); // closes fs too
    const seen: unknown[] = [];
    for (const attempt of [() => new FilterSession(), () => fs.loadSrc(job.src), () => fs.run(), () => src.nbOpid]) {
      try {
        const r = attempt();
        if (r instanceof Promise) await r;
        seen.push({ threw: false });
      } catch (e) {
        seen.push({ threw: true, ...describeError(e) });
      }
    }
    post({ ok: true, seen, srcAlive: src.alive, srcName: src.name, isGpacError: seen.map((s) => s instanceof GpacError) });
  } else if (job.mode === 'exit-while-running') {
    // A paced 3 s session; the parent terminates this worker while it runs.
    const fs = new FilterSession({ threads: job.threads ?? 0 });
    fs.loadSrc(job.src);
    fs.load('reframer:rt=on');
    fs.loadDst(job.out);
    const done = fs.run();
    post({ ok: true, running: fs.running });
    await done;
  }
} catch (e) {
  post({ ok: false, error: describeError(e), stack: (e as Error)?.stack });
}
