// The runtime of a plugin worker: receives GPAC's callbacks from the native side (one Call per callback,
// docs/architecture.md §4), runs the plugin's method, settles the call, and keeps the JS mirror of the filter's
// PIDs and prefetched packets.
//
// Failure policy (README "Plugins"): an exception thrown (or a promise rejected) by configurePid,
// process, processEvent, reconfigureOutput or packetRelease fails the session: run() rejects with a
// GpacError carrying the plugin's message, stack and file. A callback that neither returns nor calls into
// GPAC for `timeoutMs` fails it with a timeout naming the plugin and the callback.
import { markAsUntransferable, type MessagePort } from 'node:worker_threads';
import type { PropertyInput, PropertyType } from '../properties.js';
import type { FilterCustom } from './filter-custom.js';
import { FilterEvent } from './filter-event.js';
import { FilterPacket, isDetached } from './filter-packet.js';
import { FilterPid } from './filter-pid.js';
import { Pck, type DispatchKind, type NativePluginWorker } from './native-worker.js';
import { translatingErrors } from '../errors.js';
import { describe, isPromiseLike } from '../hook/runtime.js';
import { gpacErrorName } from '../../generated/errors.js';

/** What the main thread applies when the plugin loads (native pluginSetup). */
export interface PluginSetup {
  name: string | undefined;
  caps: [string | number, PropertyInput | null, number, number, PropertyType | undefined][];
  callbacks: { configure: boolean; event: boolean; reconfigure: boolean };
  maxPids?: number;
  sticky?: boolean;
  preventBlocking?: boolean;
  blockEos?: boolean;
}

interface SharedEntry {
  data: Uint8Array;
  pck: FilterPacket;
  pid: FilterPid;
}

interface CallContext {
  kind: DispatchKind;
  seq: number;
  pid?: FilterPid;
  isRemove?: boolean;
  isNew?: boolean;
}

const RUNTIME_KEY = Symbol.for('gpac-ts.constructingPluginRuntime');

/** The runtime of the plugin being constructed (shared through globalThis so that a plugin importing
 *  FilterCustom from another copy of gpac-ts still finds it). */
export function constructingRuntime(): PluginRuntime | undefined {
  return (globalThis as Record<symbol, PluginRuntime | undefined>)[RUNTIME_KEY];
}

/** A callback's value as the native side takes it; throws a TypeError for anything else. */
function resultCode(kind: DispatchKind, method: string, v: unknown): number {
  if (kind === 'event') {
    if (v === undefined || v === null) return 0;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new TypeError(`${method} must return true (stop the event here), false/undefined (let it go on), or a Promise of those; received ${describe(v)}`);
  }
  if (v === undefined || v === null) return 0;
  // Only codes this GPAC defines: anything else would reach GPAC as an unknown error (or, out of 32 bits, another one).
  if (typeof v === 'number' && Number.isInteger(v) && gpacErrorName(v) !== undefined) return v;
  throw new TypeError(
    `${method} must return a GF_Err (0 or nothing for success, GF_EOS (1), or a negative GF_* error code of generated/errors.ts), or a Promise of one; received ${describe(v)}`,
  );
}

const METHOD: Record<Exclude<DispatchKind, 'release'>, string> = {
  configure: 'configurePid()',
  process: 'process()',
  event: 'processEvent()',
  reconfigure: 'reconfigureOutput()',
};

export class PluginRuntime {
  readonly #native: NativePluginWorker;
  /**
   * The hottest intents (forward, drop, send), recorded here rather than by one native call each and
   * handed over in one call: before any other native call (the `native` getter), at the end of the
   * callback, or at the next microtask outside callbacks. Their order with every other call is kept.
   */
  readonly tape: number[] = [];
  readonly port: MessagePort | null;
  name: string;
  filter: FilterCustom | null = null;
  readonly setup: PluginSetup = { name: undefined, caps: [], callbacks: { configure: false, event: false, reconfigure: false } };
  #setupDone = false;
  readonly pids = new Map<number, FilterPid>();
  /** Input payload views borrowed during the current callback: detached when it ends. */
  #borrowed: FilterPacket[] = [];
  #depth = 0;
  readonly #shared = new Map<number, SharedEntry>();
  #nextShared = 1;
  /** GC backstop: a packet the plugin forgot is released by the GPAC thread (queued, never done here). */
  readonly finalizers: FinalizationRegistry<number>;

  constructor(native: NativePluginWorker, port: MessagePort | null, name: string) {
    // GF_Err failures of the native calls reach the plugin as GpacError, as on the main thread.
    this.#native = translatingErrors(native);
    this.port = port;
    this.name = name;
    this.finalizers = new FinalizationRegistry<number>((id) => {
      try {
        this.native.pckRelease(id);
      } catch {
        // the session is gone: GPAC released everything
      }
    });
  }

  /** The native side, with the tape handed over first (so that calls stay in order). */
  get native(): NativePluginWorker {
    if (this.tape.length) this.flushTape();
    return this.#native;
  }

  /** Records a batched intent (see `tape`). */
  record(op: number, a: number, b = 0): void {
    if (this.tape.length === 0 && this.#depth === 0) queueMicrotask(() => this.flushTape());
    this.tape.push(op, a, b);
  }

  flushTape(): void {
    if (!this.tape.length) return;
    const t = Float64Array.from(this.tape);
    this.tape.length = 0;
    this.#native.applyTape(t);
  }

  /** Constructs the plugin class, recording what its constructor asks for. */
  construct(Cls: new (options: unknown) => FilterCustom, options: unknown): FilterCustom {
    const g = globalThis as Record<symbol, PluginRuntime | undefined>;
    g[RUNTIME_KEY] = this;
    try {
      const f = new Cls(options) as unknown;
      if (isPromiseLike(f))
        throw new TypeError(
          'the plugin class\'s constructor returned a Promise: a constructor cannot be async. Do asynchronous set-up in configurePid() or process() (they may be async), or with a top-level await in the module',
        );
      if (this.filter !== f) throw new TypeError('the plugin class must call super() (FilterCustom) in its constructor');
      return f as FilterCustom;
    } finally {
      g[RUNTIME_KEY] = undefined;
    }
  }

  /** Called by the FilterCustom constructor. */
  bind(filter: FilterCustom, name: string | undefined): void {
    if (this.filter) throw new Error('a plugin worker hosts one FilterCustom');
    this.filter = filter;
    if (name !== undefined) {
      if (typeof name !== 'string' || !name) throw new TypeError(`FilterCustom: the name must be a non-empty string, received ${describe(name)}`);
      this.setup.name = name;
    }
  }

  /** The setup record, while it may still change (the constructor). */
  setupOnly(op: string): PluginSetup {
    if (this.#setupDone)
      throw new Error(`${op}: capabilities are applied when the plugin loads; call ${op}() in the plugin's constructor`);
    return this.setup;
  }

  /** A filter setting: recorded for the setup while constructing, applied by an intent afterwards. */
  setupOr<K extends 'maxPids' | 'sticky' | 'preventBlocking' | 'blockEos'>(key: K, value: PluginSetup[K], later: () => void): void {
    if (this.#setupDone) later();
    else this.setup[key] = value;
  }

  /** The setup was sent to the main thread. */
  sealSetup(): PluginSetup {
    const f = this.filter as (FilterCustom & Record<string, unknown>) | null;
    this.setup.callbacks = {
      configure: typeof f?.configurePid === 'function',
      event: typeof f?.processEvent === 'function',
      reconfigure: typeof f?.reconfigureOutput === 'function',
    };
    this.#setupDone = true;
    return this.setup;
  }

  newOutputPid(): FilterPid {
    const pid = FilterPid.make(this, this.native.newPid(), false);
    this.pids.set(pid._id, pid);
    this.filter?.opids.push(pid);
    return pid;
  }

  outputRemoved(pid: FilterPid): void {
    this.pids.delete(pid._id);
    const o = this.filter?.opids;
    if (o) {
      const i = o.indexOf(pid);
      if (i >= 0) o.splice(i, 1);
    }
  }

  newShared(pid: FilterPid, data: Uint8Array): FilterPacket {
    const buf = data.buffer;
    if (isDetached(buf)) throw new TypeError('newPckShared: the buffer is detached (it was transferred away); lend a buffer this worker still owns');
    if ((buf as ArrayBuffer & { resizable?: boolean }).resizable)
      throw new TypeError('newPckShared: a resizable ArrayBuffer could shrink while GPAC reads it; lend a fixed-length buffer (or copy into newPck(size))');
    // GPAC reads the buffer until its packet is destroyed: a postMessage() transfer list now copies it instead of
    // moving it away (for good: Node has no way to undo the mark). A SharedArrayBuffer cannot be moved at all.
    if (!(typeof SharedArrayBuffer !== 'undefined' && buf instanceof SharedArrayBuffer)) markAsUntransferable(buf);
    const sid = this.#nextShared++;
    const id = this.native.newPckShared(pid._id, data, sid);
    const pck = FilterPacket.output(this, id, pid);
    pck._lend(data);
    // Pinned: GPAC reads the buffer until its destructor posts `sid` back ('release').
    this.#shared.set(sid, { data, pck, pid });
    return pck;
  }

  /** An input payload view made now: detached when the current (or next) callback ends. */
  borrowed(p: FilterPacket): void {
    this.#borrowed.push(p);
  }

  postMessage(message: unknown): void {
    this.port?.postMessage({ type: 'message', data: message });
  }

  // ------------------------------------------------------------------ dispatch (native → JS)

  readonly dispatch = (kind: DispatchKind, seq: number, a?: unknown, b?: unknown, c?: unknown): void => {
    if (kind === 'release') {
      this.#release(seq);
      return;
    }
    const f = this.filter;
    const ctx: CallContext = { kind, seq };
    if (!f) {
      this.native.fail(seq, new Error('the plugin is not constructed'));
      return;
    }
    this.#depth++;
    let result: unknown;
    try {
      switch (kind) {
        case 'process':
          this.#ingest(a as Float64Array | null, b as Float64Array);
          result = f.process?.();
          break;
        case 'configure': {
          const id = a as number;
          let pid = this.pids.get(id);
          if (!pid) {
            pid = FilterPid.make(this, id, true);
            this.pids.set(id, pid);
          }
          ctx.pid = pid;
          ctx.isRemove = b as boolean;
          ctx.isNew = c as boolean;
          result = f.configurePid?.(pid, ctx.isRemove);
          break;
        }
        case 'event': {
          const pid = this.pids.get(b as number) ?? null;
          result = f.processEvent?.(FilterEvent.fromNative(a as Record<string, unknown>, pid));
          break;
        }
        case 'reconfigure': {
          const pid = this.pids.get(a as number);
          if (!pid) throw new Error(`reconfigureOutput on an unknown output PID (${String(a)})`);
          result = f.reconfigureOutput?.(pid);
          break;
        }
      }
    } catch (err) {
      this.#settle(ctx, undefined, err, true);
      return;
    }
    if (isPromiseLike(result)) {
      result.then(
        (v) => this.#settle(ctx, v, undefined, false),
        (err: unknown) => this.#settle(ctx, undefined, err, true),
      );
    } else {
      this.#settle(ctx, result, undefined, false);
    }
  };

  #ingest(batch: Float64Array | null, pids: Float64Array): void {
    if (batch) {
      for (let o = 0; o < batch.length; o += Pck.Fields) {
        const pid = this.pids.get(batch[o + Pck.Pid] as number);
        const pck = FilterPacket.input(this, batch, o);
        if (pid && !pid._removed) pid._push(pck);
        else pck._dropped();
      }
    }
    for (let i = 0; i < pids.length; i += 2) {
      const pid = this.pids.get(pids[i] as number);
      if (pid) pid._eos = pids[i + 1] === 1;
    }
  }

  #settle(ctx: CallContext, value: unknown, error: unknown, failed: boolean): void {
    this.#depth--;
    let code = 0;
    if (!failed) {
      try {
        code = resultCode(ctx.kind, METHOD[ctx.kind as Exclude<DispatchKind, 'release'>], value);
      } catch (e) {
        failed = true;
        error = e;
      }
    }
    try {
      if (ctx.kind === 'configure' && ctx.pid) {
        const pid = ctx.pid;
        const ipids = this.filter?.ipids;
        if (ctx.isRemove) {
          pid._remove();
          this.pids.delete(pid._id);
          if (ipids) {
            const i = ipids.indexOf(pid);
            if (i >= 0) ipids.splice(i, 1);
          }
        } else if (ctx.isNew && !failed && code >= 0 && ipids && !ipids.includes(pid)) {
          ipids.push(pid);
        } else if (ctx.isNew && (failed || code < 0)) {
          this.pids.delete(pid._id);
        }
      }
      if (this.#depth === 0 && this.#borrowed.length) {
        const views = this.#borrowed;
        this.#borrowed = [];
        for (const p of views) p._callbackEnded();
      }
    } catch (e) {
      if (!failed) {
        failed = true;
        error = e;
      }
    }
    if (failed) this.native.fail(ctx.seq, error);
    else this.native.complete(ctx.seq, code);
  }

  #release(sid: number): void {
    const e = this.#shared.get(sid);
    if (!e) return;
    this.#shared.delete(sid);
    e.pck._sharedReleased();
    // Moved away while lent by what markAsUntransferable does not stop (ArrayBuffer.prototype.transfer()):
    // GPAC may have read memory the buffer no longer owned, so the output cannot be trusted.
    if (isDetached(e.data.buffer)) {
      this.native.reportError(
        new TypeError('a buffer lent to GPAC with newPckShared() was detached (transferred) before GPAC released it: the output may be corrupt'),
        'newPckShared()',
      );
    }
    const f = this.filter;
    if (!f?.packetRelease) return;
    try {
      const r = (f.packetRelease as (pid: FilterPid, pck: FilterPacket) => unknown).call(f, e.pid, e.pck);
      if (isPromiseLike(r)) r.then(undefined, (err: unknown) => this.native.reportError(err, 'packetRelease()'));
    } catch (err) {
      this.native.reportError(err, 'packetRelease()');
    }
  }
}
