// Runs a synchronous function of a TypeScript module in a worker thread and resolves with its result, so
// that a test can call code that blocks for seconds (the generator's introspection compiles and runs a C
// probe with spawnSync) without blocking its vitest fork's event loop (test/helpers/run.ts says why).
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tsxEsmApi } from '../../src/plugin/tsx.js';

const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.tsx)
  .then((m) => m.register())
  .then(() => import(workerData.module))
  .then((mod) => {
    const fn = mod[workerData.name];
    if (typeof fn !== 'function') throw new TypeError(workerData.module + ' exports no function ' + workerData.name);
    return fn(...workerData.args);
  })
  .then(
    (value) => parentPort.postMessage({ ok: true, value }),
    (err) => parentPort.postMessage({ ok: false, error: { name: err && err.name, message: String(err && err.message || err), stack: err && err.stack, props: { ...err } } }),
  );
`;

/** `module`'s export `name`, called with `args` (structured-cloneable) in a worker; its value, or its error. */
export function callInWorker<T>(module: URL, name: string, args: unknown[]): Promise<T> {
  const tsx = tsxEsmApi(`callInWorker(${name})`);
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: { tsx, module: module.href, name, args } });
    let settled = false;
    worker.once('message', (m: { ok: true; value: T } | { ok: false; error: { name: string; message: string; stack: string; props: object } }) => {
      settled = true;
      void worker.terminate();
      if (m.ok) resolve(m.value);
      else reject(Object.assign(new Error(m.error.message), m.error.props, { name: m.error.name, stack: m.error.stack }));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`callInWorker(${fileURLToPath(module)}, ${name}): the worker exited (code ${code}) without an answer`));
    });
  });
}
