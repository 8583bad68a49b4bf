// What every hook plugin's worker runs (worker.ts): a kind's runtime (DASH algorithm …) answers GPAC's calls;
// this file hands each call to it and settles the call with the plugin's answer, now or when its promise
// settles. A thrown error or a rejected promise fails the call, and GPAC's thread reports it to the session.
import type { HookDispatch, NativeHookWorker } from '../native.js';

/** What a plugin's method returns: a value, or a Promise of it (GPAC's thread waits either way). */
export type Maybe<T> = T | Promise<T>;

/** A libgpac call of the hook's kind (httpout's send()), run by the GPAC thread that waits on the call being
 *  answered; returns its result. Valid until that call settles. */
export type HookRequestFn = (op: string, args?: unknown) => unknown;

/** A kind's worker runtime: the plugin's callbacks, and the answer to each of GPAC's calls. */
export interface HookRuntime {
  /** Callbacks GPAC may call (others are answered natively, without a hand-off). */
  readonly methods: string[];
  /** GPAC's call `method(...args)`: the value for GPAC, or a promise of it. Throws for a wrong answer. */
  call(method: string, args: unknown[], request: HookRequestFn): unknown;
  /** The plugin's object whose methods the owner calls (HookPlugin.call). */
  readonly instance: object;
}

export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/** `then` applied now to a plain value, or when a promise settles. */
export function after<T, R>(v: T | PromiseLike<T>, then: (v: T) => R): R | PromiseLike<R> {
  return isPromiseLike(v) ? v.then(then) : then(v);
}

/** The native dispatch function for `runtime`, settling calls through `nw()` (attached after this is made). */
export function hookDispatch(runtime: HookRuntime, nw: () => NativeHookWorker): HookDispatch {
  return (seq, method, ...args) => {
    let r: unknown;
    try {
      r = runtime.call(method, args, (op, a) => nw().request(seq, op, a));
    } catch (err) {
      nw().fail(seq, err);
      return;
    }
    if (isPromiseLike(r))
      r.then(
        (v) => nw().complete(seq, v),
        (err: unknown) => nw().fail(seq, err),
      );
    else nw().complete(seq, r);
  };
}

/** A value as an error message names it: `string "x"`, `number 7`, `an instance of Map`. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return v === null ? 'null' : `an instance of ${(v as object).constructor?.name ?? 'Object'}`;
  return `${typeof v} ${String(v)}`;
}
