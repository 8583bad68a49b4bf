// A child process of the native tests (run with tsx): a run GPAC never ends (a plugin offered two PIDs, the
// stall watch off), closed without abort(). Prints how long close() held this thread, then exits: the
// abandoned session's GPAC threads spin until the process ends, so this is not done in a test fork.
import { FilterSession } from '../../../src/session/session.js';

const [, , src, plugin, out, threads] = process.argv;
const fs = new FilterSession({ threads: Number(threads), stallTimeout: 0 });
fs.loadSrc(src!);
await fs.loadPlugin(plugin!);
fs.loadDst(out!);
const running = fs.run().then(
  () => 'resolved',
  (e: Error) => e.message,
);
await new Promise((r) => setTimeout(r, 500));
const t0 = performance.now();
fs.close();
const closeMs = performance.now() - t0;
console.log(JSON.stringify({ closeMs, abandoned: fs.abandoned, run: await running }));
process.exit(0);
