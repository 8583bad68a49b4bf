// Entry of a hook plugin's worker thread (started by load.ts): imports the plugin module, constructs its
// default export, makes the runtime of its kind, and attaches to the hook the main thread bound, so that
// GPAC's calls (which wait for it meanwhile) reach the plugin.
import { parentPort, workerData } from 'node:worker_threads';
import { native, type NativeHookWorker } from '../native.js';
import { serializeError } from '../plugin/protocol.js';
import { DashRuntime } from './dash-runtime.js';
import { FileIORuntime } from './file-io-runtime.js';
import type { FileIOFactory } from './file-io.js';
import { HttpRuntime } from './http-runtime.js';
import type { HTTPOutRequest } from './http-request.js';
import type { DASHCustomAlgorithm } from './dash-algorithm.js';
import type { FromHookWorker, HookKind, HookWorkerData, ToHookWorker } from './protocol.js';
import { hookDispatch, isPromiseLike, type HookRuntime } from './runtime.js';

const data = workerData as HookWorkerData;
const port = parentPort!;
const post = (m: FromHookWorker) => port.postMessage(m);

let nw: NativeHookWorker | undefined;

// An error escaping the plugin outside a callback (a timer, a stray promise) ends the worker; the session
// learns it with the original message first, then that the worker exited.
process.on('uncaughtException', (err) => {
  try {
    nw?.reportError(err, 'worker');
  } finally {
    process.exit(1);
  }
});
process.on('unhandledRejection', (err) => {
  try {
    nw?.reportError(err, 'worker (unhandled rejection)');
  } finally {
    process.exit(1);
  }
});

interface KindInfo {
  brand: string;
  base: string;
  runtime: (Cls: new (options: unknown) => unknown, options: unknown) => HookRuntime;
}

const KINDS: Record<HookKind, KindInfo> = {
  dash: { brand: 'gpac-ts.DASHCustomAlgorithm', base: 'DASHCustomAlgorithm', runtime: (C, o) => new DashRuntime(new C(o) as DASHCustomAlgorithm) },
  fileio: { brand: 'gpac-ts.FileIOFactory', base: 'FileIOFactory', runtime: (C, o) => new FileIORuntime(C as new (options: unknown) => FileIOFactory, o) },
  http: { brand: 'gpac-ts.HTTPOutRequest', base: 'HTTPOutRequest', runtime: (C, o) => new HttpRuntime(C as new (options: unknown) => HTTPOutRequest, o) },
};

// The owner's HookPlugin.call(): a method of the plugin's instance, its result structured-cloned back.
function ownerCall(instance: object, m: ToHookWorker): void {
  const answer = (ok: boolean, v: unknown) => {
    try {
      post(ok ? { type: 'result', seq: m.seq, ok: true, value: v } : { type: 'result', seq: m.seq, ok: false, error: serializeError(v) });
    } catch (err) {
      post({ type: 'result', seq: m.seq, ok: false, error: serializeError(err) }); // not cloneable
    }
  };
  try {
    const fn = (instance as Record<string, unknown>)[m.method];
    if (typeof fn !== 'function') throw new TypeError(`the plugin's ${instance.constructor.name} has no method ${m.method}()`);
    const r: unknown = fn.apply(instance, m.args);
    if (isPromiseLike(r)) r.then((v) => answer(true, v), (err: unknown) => answer(false, err));
    else answer(true, r);
  } catch (err) {
    answer(false, err);
  }
}

function isClassOf(v: unknown, brand: string): v is new (options: unknown) => unknown {
  if (typeof v !== 'function') return false;
  // A brand rather than instanceof: the plugin may import the base class from another copy of gpac-ts.
  for (let p: unknown = v; p; p = Object.getPrototypeOf(p)) if ((p as Record<symbol, unknown>)[Symbol.for(brand)]) return true;
  return false;
}

try {
  const kind = KINDS[data.kind];
  const mod = (await import(data.url)) as Record<string, unknown>;
  const Cls = mod.default;
  if (!isClassOf(Cls, kind.brand)) {
    throw new TypeError(
      `plugin ${data.file}: the default export must be a class extending ${kind.base} (received ${Cls === undefined ? 'no default export' : typeof Cls})`,
    );
  }
  const runtime = kind.runtime(Cls, data.options);
  const addon = native();
  nw = addon.attachHook(data.id, hookDispatch(runtime, () => nw!), runtime.methods);
  port.on('message', (m: ToHookWorker) => ownerCall(runtime.instance, m));
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'error', error: serializeError(err) });
  nw?.close();
  process.exit(1);
}
