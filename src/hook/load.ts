// Hook plugins (DASH algorithms …): a plugin module run in a worker thread of its own, whose callbacks GPAC
// calls from inside one of its filters (dashin's rate adaptation …) rather than as a filter of its own.
//
// The main thread makes the hook's native core and binds it at once (to a filter, or to every filter of its
// kind a session creates), then starts the worker (worker.ts), which imports the module, constructs its
// default export and attaches. GPAC's calls made meanwhile wait for it (loadTimeoutMs), so none is missed.
import { basename } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { call, GpacError, stateError } from '../errors.js';
import { native, nativeLibrary, type NativeHookStats } from '../native.js';
import { loadError, loadTimeoutError, resolvePluginSpec, WORKER_BOOT } from '../plugin/load.js';
import { reviveError, serializeError } from '../plugin/protocol.js';
import { isTypeScript, RUNNING_TS, tsxEsmApi } from '../plugin/tsx.js';
import { GF_SCRIPT_ERROR } from '../../generated/errors.js';
import type { FromHookWorker, HookKind, HookWorkerData, ToHookWorker } from './protocol.js';

export interface HookPluginOptions {
  /** Given to the plugin class's constructor (structured-cloneable). */
  options?: unknown;
  /** The plugin's name in messages (default: the module's file name). */
  name?: string;
  /** Longest time (ms) GPAC's thread waits for one callback; default 10000. Then the session fails, naming it. */
  timeoutMs?: number;
  /**
   * Longest time (ms) the plugin may take to load (start its worker, import its module, construct its class);
   * default 30000. GPAC's calls made meanwhile wait for it.
   */
  loadTimeoutMs?: number;
  /** Heap limits of the plugin's worker (node:worker_threads ResourceLimits). */
  resourceLimits?: ResourceLimits;
}

/** Hook plugins whose worker is running or exited lately, wherever they were made (a FileIO is made apart from sessions). */
const live = new Set<HookPlugin>();

/** @internal The hook plugins of module `file` not ended by their owner: a session whose call failed with a
 *  worker gone, and which has no plugin of that module of its own (a FileIO), asks them why. */
export function liveHooksOf(file: string): HookPlugin[] {
  return [...live].filter((h) => h.file === file && !h._terminated);
}

const KIND_NAME: Record<HookKind, string> = { dash: 'DASH algorithm', fileio: 'FileIO', http: 'HTTP handler' };

/** A loaded hook plugin: its worker, statistics and end. */
export class HookPlugin {
  readonly kind: HookKind;
  /** The plugin module, as resolved. */
  readonly file: string;
  readonly name: string;
  readonly worker: Worker;
  readonly #id: number;
  #exited = false;
  #terminated = false;
  #workerError: Error | undefined;
  #onExit!: (why: { code: number; error: Error | undefined }) => void;
  readonly #exit = new Promise<{ code: number; error: Error | undefined }>((resolve) => (this.#onExit = resolve));
  readonly #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextCall = 1;

  /** @internal A FileIO's gfio:// URL. */
  readonly _url: string | undefined;

  /** @internal */
  constructor(id: number, kind: HookKind, file: string, name: string, worker: Worker, url?: string) {
    this._url = url;
    this.#id = id;
    this.kind = kind;
    this.file = file;
    this.name = name;
    this.worker = worker;
  }

  /** GPAC callbacks handed to the worker, and requests it made during them. */
  stats(): NativeHookStats {
    return native().hookStats(this.#id);
  }
  /**
   * Calls `method(...args)` on the plugin's instance in its worker (a FileIO's factory, the DASH algorithm)
   * and resolves with its result, structured-cloned: how the owner reads what a plugin keeps (a memory
   * store's files) or tells it something. Rejects with the plugin's error, or if its worker ends first.
   */
  call(method: string, ...args: unknown[]): Promise<unknown> {
    if (this.#exited) return Promise.reject(stateError(`call(${method}): the ${KIND_NAME[this.kind]} plugin '${this.name}' has ended`, 'ERR_GPAC_CLOSED'));
    const seq = this.#nextCall++;
    return new Promise((resolve, reject) => {
      this.#calls.set(seq, { resolve, reject });
      if (this.#calls.size === 1) this.worker.ref(); // an answer pending keeps the process alive
      this.worker.postMessage({ type: 'call', seq, method, args } satisfies ToHookWorker);
    });
  }
  /** @internal The worker's answer to call(). */
  _result(m: Extract<FromHookWorker, { type: 'result' }>): void {
    const c = this.#calls.get(m.seq);
    if (!c) return;
    this.#calls.delete(m.seq);
    if (this.#calls.size === 0) this.worker.unref();
    if (m.ok) c.resolve(m.value);
    else c.reject(reviveError(m.error));
  }

  /** Stops the worker and forgets the hook (the session's close() does it). GPAC's later calls get GPAC's defaults. */
  async terminate(): Promise<void> {
    this.#terminated = true;
    native().hookClose(this.#id);
    if (!this.#exited) await this.worker.terminate();
  }

  /** @internal terminate() was called: its worker's exit is no plugin failure. */
  get _terminated(): boolean {
    return this.#terminated;
  }
  /** @internal */
  _workerError(err: Error): void {
    this.#workerError ??= err;
  }
  /** @internal */
  _exited(code: number): void {
    this.#exited = true;
    for (const c of this.#calls.values()) c.reject(stateError(`the worker of ${KIND_NAME[this.kind]} plugin '${this.name}' exited (code ${code}) before answering`, 'ERR_GPAC_CLOSED'));
    this.#calls.clear();
    this.#onExit({ code, error: this.#workerError });
  }
  /** @internal How the worker ended: its exit code and error event. */
  get _exit(): Promise<{ code: number; error: Error | undefined }> {
    return this.#exit;
  }
}

const HERE = import.meta.url;
const DEFAULT_LOAD_TIMEOUT_MS = 30000;

function positive(op: string, name: string, v: number | undefined): void {
  if (v !== undefined && (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)))
    throw new TypeError(`${op}: ${name} must be a positive number of milliseconds, received ${String(v)}`);
}

/**
 * @internal Makes hook `kind` for plugin `spec`, lets `bind(id)` attach it to GPAC (synchronously: a failure
 * there forgets the hook and throws), then loads the plugin in its worker. Resolves once the worker is ready.
 */
export async function startHook(
  op: string,
  kind: HookKind,
  spec: string | URL,
  opts: HookPluginOptions,
  bind: (id: number) => void,
  closing?: AbortSignal,
  extra: Record<string, unknown> = {},
): Promise<HookPlugin> {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${op}: options must be an object`);
  positive(op, 'timeoutMs', opts.timeoutMs);
  positive(op, 'loadTimeoutMs', opts.loadTimeoutMs);
  if (closing?.aborted) throw stateError(`${op}: the session is closed`, 'ERR_GPAC_CLOSED');
  const { url, file } = resolvePluginSpec(spec);
  const name = opts.name ?? basename(file).replace(/\.[^.]+$/, '');
  const loadTimeoutMs = opts.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const api = native();
  const made = call(() =>
    (api.newHook as (k: HookKind, o: object) => number | { id: number; url: string })(kind, {
      name,
      file,
      loadTimeoutMs,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...extra,
    }),
  );
  const id = typeof made === 'number' ? made : made.id;
  try {
    bind(id);
  } catch (e) {
    api.hookClose(id);
    throw e;
  }
  const data: HookWorkerData = {
    id,
    kind,
    url,
    file,
    name,
    options: opts.options,
    entry: new URL(RUNNING_TS ? './worker.ts' : './worker.js', HERE).href,
    tsx: RUNNING_TS || isTypeScript(file) ? tsxEsmApi(`${op}: ${file}`) : undefined,
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER_BOOT, {
      eval: true,
      workerData: data,
      // GPAC_LIB: the worker binds the libgpac this process already uses, without searching again.
      env: { ...process.env, GPAC_LIB: nativeLibrary().library.path },
      name: `gpac-ts ${KIND_NAME[kind]} ${name}`,
      ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    });
  } catch (e) {
    api.hookWorkerGone(id, serializeError(e), false);
    throw e;
  }
  const hook = new HookPlugin(id, kind, file, name, worker, typeof made === 'number' ? undefined : made.url);
  live.add(hook);
  // Kept a while after its exit: the session whose call it broke asks it why once its run has ended.
  worker.once('exit', () => setTimeout(() => live.delete(hook), 10_000).unref());
  const what = `${KIND_NAME[kind]} ${file}`;
  let settled = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(loadTimeoutError(op, what, loadTimeoutMs)), loadTimeoutMs);
    const onClose = () => fail(stateError(`${op}: the session was closed while ${what} was loading`, 'ERR_GPAC_CLOSED'));
    closing?.addEventListener('abort', onClose, { once: true });
    const done = () => {
      clearTimeout(timer);
      closing?.removeEventListener('abort', onClose);
    };
    // Before it is ready: GPAC's calls waiting for the worker fail with this error, and the caller gets it.
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      done();
      api.hookWorkerGone(id, serializeError(err), false);
      api.hookClose(id);
      void worker.terminate();
      reject(err);
    }
    worker.on('message', (m: FromHookWorker) => {
      if (m.type === 'ready' && !settled) {
        settled = true;
        done();
        resolve();
      } else if (m.type === 'error') {
        fail(loadError(op, what, reviveError(m.error)));
      } else if (m.type === 'result') {
        hook._result(m);
      }
    });
    worker.on('error', (err) => {
      hook._workerError(err);
      if (!settled) fail(loadError(op, what, err));
      else api.hookWorkerGone(id, serializeError(err));
    });
    worker.on('exit', (code) => {
      hook._exited(code);
      if (!settled) fail(new GpacError(GF_SCRIPT_ERROR, op, `${op}: the worker of ${what} exited (code ${code}) before it was ready`));
      else api.hookWorkerGone(id);
    });
  });
  // A loaded plugin does not keep the process alive by itself: a running session does.
  worker.unref();
  return hook;
}
