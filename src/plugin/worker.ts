// Entry of a plugin's worker thread (started by load.ts): binds the addon in this thread's environment,
// attaches to the plugin the main thread made, imports the plugin module, constructs its default
// export and reports what the constructor asked for (capabilities …) so the main thread applies it.
import { parentPort, workerData } from 'node:worker_threads';
import { native } from '../native.js';
import { PluginRuntime } from './runtime.js';
import type { FilterCustom } from './filter-custom.js';
import type { Dispatch } from '../native.js';
import { serializeError, type WorkerData, type FromWorker, type ToWorker } from './protocol.js';

const data = workerData as WorkerData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

let runtime: PluginRuntime | undefined;

// An error escaping the plugin outside a callback (a timer, a stray promise) ends the worker; the session
// learns it with the original message (reportError) first, then that the worker exited.
process.on('uncaughtException', (err) => {
  try {
    runtime?.native.reportError(err, 'worker');
  } finally {
    process.exit(1);
  }
});
process.on('unhandledRejection', (err) => {
  try {
    runtime?.native.reportError(err, 'worker (unhandled rejection)');
  } finally {
    process.exit(1);
  }
});

function isPluginClass(v: unknown): v is new (options: unknown) => FilterCustom {
  if (typeof v !== 'function') return false;
  // A brand rather than instanceof: the plugin may import FilterCustom from another copy of gpac-ts.
  for (let p: unknown = v; p; p = Object.getPrototypeOf(p)) if ((p as Record<symbol, unknown>)[Symbol.for('gpac-ts.FilterCustom')]) return true;
  return false;
}

try {
  const addon = native();
  let dispatch: Dispatch = () => undefined;
  const nw = addon.attachPlugin(data.id, (kind, seq, a, b, c) => dispatch(kind, seq, a, b, c));
  runtime = new PluginRuntime(nw, port, data.name);
  dispatch = runtime.dispatch;
  const mod = (await import(data.url)) as Record<string, unknown>;
  const Cls = mod.default;
  if (!isPluginClass(Cls)) {
    throw new TypeError(
      `plugin ${data.file}: the default export must be a class extending FilterCustom (received ${Cls === undefined ? 'no default export' : typeof Cls})`,
    );
  }
  runtime.construct(Cls, data.options);
  post({ type: 'ready', setup: runtime.sealSetup() });
} catch (err) {
  post({ type: 'error', error: serializeError(err) });
  runtime?.native.close();
  process.exit(1);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'ping') {
    post({ type: 'pong', n: m.n });
  } else if (m.type === 'message') {
    const f = runtime?.filter;
    if (f?.onMessage) f.onMessage(m.data);
  }
});
