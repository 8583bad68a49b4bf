// FilterSession.loadPlugin(): a plugin whose code runs in a worker thread of its own.
//
// The main thread creates the filter in the session (gf_fs_new_filter, with its GPAC callbacks), starts
// the worker (worker.ts) which binds the addon in its own environment, attaches to the filter by id,
// imports the plugin module and constructs its default export; the worker reports what the constructor
// asked for (capabilities, max PIDs …) and the main thread applies it before the session runs. From then
// on GPAC's threads hand each callback to the worker and wait (native/src/plugin/plugin_core.h).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { call, GpacError, stateError } from '../errors.js';
import type { Filter } from '../session/filter.js';
import { native, nativeLibrary, type NativePluginStats, type NativeFilter, type NativeSession } from '../native.js';
import { reviveError, serializeError, type FromWorker, type ToWorker, type WorkerData } from './protocol.js';
import { isTypeScript, RUNNING_TS, tsxEsmApi } from './tsx.js';
import { GF_SCRIPT_ERROR } from '../../generated/errors.js';

export interface LoadPluginOptions {
  /** Given to the plugin class's constructor (structured-cloneable). */
  options?: unknown;
  /** The filter's name (default: what the plugin passes to super(), else the module's file name). */
  name?: string;
  /** Longest time (ms) a callback may go without returning or calling into GPAC; default 10000. */
  timeoutMs?: number;
  /**
   * Longest time (ms) the plugin may take to load: start its worker, import its module and construct its
   * class; default 30000. A module whose top-level await never settles, or that loops at import or in its
   * constructor, is stopped then and loadPlugin() rejects.
   */
  loadTimeoutMs?: number;
  /** Input packets the GPAC thread prefetches per PID before each process() hand-off; default 512. */
  prefetch?: number;
  /** … and payload bytes it holds per PID at most (one packet at least); default 8 MiB. */
  prefetchBytes?: number;
  /**
   * Buffer (µs) asked of each compressed input PID's source (a BUFFER_REQ), so that several packets queue
   * per process() hand-off; default 5000000 (5 s), 0 for GPAC's own buffering. Raw media keep GPAC's. A
   * plugin's own BUFFER_REQ overrides it.
   */
  inputBuffer?: number;
  /**
   * Pipelined process() calls (default true): a process() call bringing new packets runs in the worker while
   * GPAC's thread goes on demuxing and muxing, instead of waiting for it (README "Plugins", hand-off). Its
   * return value reaches GPAC with the next call. false waits for every call.
   */
  pipeline?: boolean;
  /**
   * Heap limits of the plugin's worker (node:worker_threads ResourceLimits, e.g. `{ maxOldGenerationSizeMb:
   * 256 }`). A plugin that needs more is stopped (ERR_WORKER_OUT_OF_MEMORY) and the session fails with that
   * error, naming the plugin; the process goes on. Default: Node's limits, as large as the main thread's.
   */
  resourceLimits?: ResourceLimits;
  /** Messages the plugin posts (FilterCustom.postMessage). */
  onMessage?: (message: unknown) => void;
}

/** How a plugin's worker ended. */
interface WorkerExit {
  code: number;
  error: Error | undefined;
}

/** A loaded plugin: its filter in the session, and its worker. */
export class Plugin {
  readonly filter: Filter;
  readonly worker: Worker;
  /** The plugin module, as resolved. */
  readonly file: string;
  readonly #id: number;
  #ping = 0;
  readonly #pongs = new Map<number, (ok: boolean) => void>();
  readonly #listeners = new Set<(message: unknown) => void>();
  #exited = false;
  /** The worker's 'error' event (out of memory, an uncaught error), if any. */
  #workerError: Error | undefined;
  #onExit!: (why: WorkerExit) => void;
  readonly #exit = new Promise<WorkerExit>((resolve) => (this.#onExit = resolve));

  /** @internal */
  constructor(id: number, filter: Filter, worker: Worker, file: string) {
    this.#id = id;
    this.filter = filter;
    this.worker = worker;
    this.file = file;
  }

  /** Sends a message to the plugin (its onMessage method). */
  postMessage(message: unknown): void {
    this.worker.postMessage({ type: 'message', data: message } satisfies ToWorker);
  }
  /** Adds a listener for the plugin's postMessage(). */
  onMessage(fn: (message: unknown) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
  /**
   * Resolves true once every message the plugin posted before now has been delivered here; false if the
   * worker exited, or did not answer within `timeoutMs` (it may be stuck in a loop).
   */
  flush(timeoutMs = 5000): Promise<boolean> {
    if (this.#exited) return Promise.resolve(false);
    const n = ++this.#ping;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pongs.delete(n);
        resolve(false);
      }, timeoutMs);
      this.#pongs.set(n, (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      });
      this.worker.postMessage({ type: 'ping', n } satisfies ToWorker);
    });
  }
  /** Hand-off counters: GPAC callbacks handed to the worker (pipelined among them), packets prefetched, requests, intents. */
  stats(): NativePluginStats {
    return native().pluginStats(this.#id);
  }
  /** Stops the worker (the session's close() does it). */
  async terminate(): Promise<void> {
    if (this.#exited) return;
    await this.worker.terminate();
  }

  /** @internal The first error code (< 0) one of its callbacks returned to GPAC, and which callback. */
  _returned(): { code: number; callback: string } | undefined {
    return native().pluginReturned(this.#id);
  }

  /** @internal */
  _message(m: FromWorker): void {
    if (m.type === 'message') for (const fn of this.#listeners) fn(m.data);
    else if (m.type === 'pong') {
      this.#pongs.get(m.n)?.(true);
      this.#pongs.delete(m.n);
    }
  }
  /** @internal */
  _workerError(err: Error): void {
    this.#workerError ??= err;
  }
  /** @internal */
  _exited(code: number): void {
    this.#exited = true;
    for (const r of this.#pongs.values()) r(false);
    this.#pongs.clear();
    this.#onExit({ code, error: this.#workerError });
  }
  /** @internal Settles when the worker has exited: its exit code and error event (e.g. ERR_WORKER_OUT_OF_MEMORY). */
  get _exit(): Promise<WorkerExit> {
    return this.#exit;
  }
}

/** Resolves a plugin spec (path, file URL or package name) to a module URL and a file for messages. */
export function resolvePluginSpec(spec: string | URL, base = process.cwd()): { url: string; file: string } {
  if (spec instanceof URL || (typeof spec === 'string' && spec.startsWith('file:'))) {
    const file = fileURLToPath(spec);
    if (!existsSync(file)) throw new Error(`loadPlugin: ${String(spec)} does not exist`);
    return { url: pathToFileURL(file).href, file };
  }
  if (typeof spec !== 'string' || !spec) throw new TypeError(`loadPlugin: expected a path, a file URL or a package name, received ${typeof spec}`);
  const looksLikePath = isAbsolute(spec) || spec.startsWith('.') || /\.[cm]?[jt]sx?$/.test(spec);
  if (looksLikePath) {
    const file = isAbsolute(spec) ? spec : resolvePath(base, spec);
    if (!existsSync(file)) throw new Error(`loadPlugin: ${file} does not exist (resolved from "${spec}" against ${base})`);
    return { url: pathToFileURL(file).href, file };
  }
  try {
    const file = createRequire(resolvePath(base, 'package.json')).resolve(spec);
    return { url: pathToFileURL(file).href, file };
  } catch (e) {
    throw new Error(`loadPlugin: cannot resolve the package "${spec}" from ${base} (${(e as Error).message.split('\n')[0]})`);
  }
}

// The worker's first code, for plugins and hook plugins alike: loads tsx's loader when TypeScript is involved,
// then the runtime entry (workerData.entry).
export const WORKER_BOOT = `
const { workerData } = require('node:worker_threads');
(workerData.tsx ? import(workerData.tsx).then((m) => m.register()) : Promise.resolve())
  .then(() => import(workerData.entry))
  .catch((err) => setImmediate(() => { throw err; }));
`;

const HERE = import.meta.url;

const DEFAULT_LOAD_TIMEOUT_MS = 30000;

/** @internal FilterSession.loadPlugin */
export async function loadPlugin(
  session: NativeSession,
  wrap: (nf: NativeFilter) => Filter,
  spec: string | URL,
  opts: LoadPluginOptions = {},
  closing?: AbortSignal,
): Promise<Plugin> {
  if (opts.onMessage !== undefined && typeof opts.onMessage !== 'function') throw new TypeError('loadPlugin: onMessage must be a function');
  const loadTimeoutMs = opts.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  if (typeof loadTimeoutMs !== 'number' || !(loadTimeoutMs > 0) || !Number.isFinite(loadTimeoutMs))
    throw new TypeError(`loadPlugin: loadTimeoutMs must be a positive number of milliseconds, received ${String(loadTimeoutMs)}`);
  const { url, file } = resolvePluginSpec(spec);
  const name = opts.name ?? basename(file).replace(/\.[^.]+$/, '');
  const api = native();
  const { id, filter: nf } = call(() =>
    api.newPlugin(session, name, {
      file,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.prefetch !== undefined ? { prefetch: opts.prefetch } : {}),
      ...(opts.prefetchBytes !== undefined ? { prefetchBytes: opts.prefetchBytes } : {}),
      ...(opts.inputBuffer !== undefined ? { inputBufferUs: opts.inputBuffer } : {}),
      ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
    }),
  );
  const filter = wrap(nf);
  const entry = new URL(RUNNING_TS ? './worker.ts' : './worker.js', HERE).href;
  const data: WorkerData & { entry: string; tsx: string | undefined } = {
    id,
    url,
    file,
    name,
    options: opts.options,
    entry,
    tsx: RUNNING_TS || isTypeScript(file) ? tsxEsmApi(`loadPlugin: ${file}`) : undefined,
  };
  let worker: Worker;
  try {
    // GPAC_LIB: the worker binds the libgpac this process already uses, without searching again.
    const env = { ...process.env, GPAC_LIB: nativeLibrary().library.path };
    worker = new Worker(WORKER_BOOT, {
      eval: true,
      workerData: data,
      env,
      name: `gpac-ts plugin ${name}`,
      ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    });
  } catch (e) {
    api.pluginWorkerGone(id, serializeError(e), true);
    throw e;
  }
  const plugin = new Plugin(id, filter, worker, file);
  if (opts.onMessage) plugin.onMessage(opts.onMessage);

  let ready = false;
  await new Promise<void>((resolve, reject) => {
    // A worker spinning at import or in the constructor never answers: the timeout and the session's close()
    // end it (terminate() stops running JavaScript too).
    const timer = setTimeout(() => fail(loadTimeoutError('loadPlugin', `plugin ${file}`, loadTimeoutMs)), loadTimeoutMs);
    const onClose = () => fail(stateError(`loadPlugin: the session was closed while plugin ${file} was loading`, 'ERR_GPAC_CLOSED'));
    closing?.addEventListener('abort', onClose, { once: true });
    const done = () => {
      clearTimeout(timer);
      closing?.removeEventListener('abort', onClose);
    };
    const fail = (err: Error) => {
      if (ready) return;
      ready = true;
      done();
      api.pluginWorkerGone(id, undefined, true);
      void worker.terminate();
      reject(err);
    };
    if (closing?.aborted) {
      onClose();
      return;
    }
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready' && !ready) {
        try {
          const setup = { ...m.setup, ...(opts.name === undefined && m.setup.name ? { rename: m.setup.name } : {}) };
          call(() => api.pluginSetup(id, setup));
        } catch (e) {
          // What the constructor asked for, refused (a capability GPAC does not take …): name the plugin.
          fail(loadError('loadPlugin', `plugin ${file}`, e as Error));
          return;
        }
        ready = true;
        done();
        resolve();
      } else if (m.type === 'error') {
        fail(loadError('loadPlugin', `plugin ${file}`, reviveError(m.error)));
      } else {
        plugin._message(m);
      }
    });
    worker.on('error', (err) => {
      plugin._workerError(err);
      if (!ready) fail(loadError('loadPlugin', `plugin ${file}`, err));
      else api.pluginWorkerGone(id, serializeError(err));
    });
    worker.on('exit', (code) => {
      plugin._exited(code);
      if (!ready) fail(new GpacError(GF_SCRIPT_ERROR, 'loadPlugin', `loadPlugin: the worker of plugin ${file} exited (code ${code}) before it was ready`));
      else api.pluginWorkerGone(id);
    });
  });
  // A loaded plugin does not keep the process alive by itself: a running session does.
  worker.unref();
  return plugin;
}

/** @internal `op` (loadPlugin, bindDashAlgorithm …) failed because `what` (the plugin and its file) did not load. */
export function loadError(op: string, what: string, cause: Error): GpacError {
  const err = new GpacError(GF_SCRIPT_ERROR, op, `${op}: ${what} failed to load: ${cause.name}: ${cause.message}`, { cause });
  if (cause.stack) err.stack = `${err.stack ?? ''}\nCaused by: ${cause.stack}`;
  return err;
}

/** @internal `what` did not load within `ms` (loadTimeoutMs): its worker is being stopped. */
export function loadTimeoutError(op: string, what: string, ms: number): GpacError {
  return new GpacError(
    GF_SCRIPT_ERROR,
    op,
    `${op}: ${what} did not load within ${ms} ms (a top-level await that never settles, or a loop at import or in its constructor?); its worker was stopped (loadTimeoutMs)`,
  );
}
