// GpacError: a GF_Err from libgpac, or an error thrown by JavaScript that GPAC called (then `code` is
// GF_SCRIPT_ERROR and `cause` holds the original error, stack included).
import { native, type NativeErrorFields, type NativeFailure } from './native.js';

export interface GpacErrorOptions {
  cause?: unknown;
  /** Stack frames (without the first "Name: message" line) of the JS call that started the operation. */
  callSite?: string;
  /** The plugin module whose callback failed. */
  file?: string;
}

export class GpacError extends Error {
  /** The GF_Err value (negative). */
  readonly code: number;
  /** What was being done: 'loadSrc', 'run', 'setSource' … */
  readonly operation: string;
  /** The GF_Err name, e.g. 'GF_URL_ERROR'. */
  override readonly name: string;
  /** For a failure in a plugin: its module file. */
  readonly file: string | undefined;

  constructor(code: number, operation: string, message: string, options: GpacErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.operation = operation;
    this.name = errorName(code);
    this.file = options.file;
    if (options.callSite !== undefined) this.stack = `${this.name}: ${message}\n${options.callSite}`;
  }
}

/** GF_Err → its name, from the addon's generated table ("GF_ERROR_<n>" when unknown). */
export function errorName(code: number): string {
  try {
    return native().errorName(code);
  } catch {
    return `GF_ERROR_${code}`;
  }
}

/** The frames of the caller's stack, to put back on errors that surface asynchronously. */
export function captureCallSite(skip = 1): string {
  const stack = new Error().stack ?? '';
  return stack
    .split('\n')
    .slice(1 + skip)
    .join('\n');
}

/**
 * Misuse of the API rather than a GPAC failure (a closed session, a running one, a released packet): an Error
 * whose `code` is one of the ERR_GPAC_* strings listed in docs/errors.md, as the addon's own such errors are.
 */
export function stateError(message: string, code: string, options: { callSite?: string } = {}): Error & { code: string } {
  const e = new Error(message) as Error & { code: string };
  e.code = code;
  if (options.callSite !== undefined) e.stack = `Error: ${message}\n${options.callSite}`;
  return e;
}

/**
 * The native object with every method's errors translated by fromNative (a GF_Err becomes a GpacError):
 * for objects whose methods are called in many places (a plugin's native half), where wrapping each call in
 * call() would be easy to forget.
 */
export function translatingErrors<T extends object>(target: T): T {
  const out = Object.create(null) as Record<string, unknown>;
  for (let proto = Object.getPrototypeOf(target) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key in out) continue;
      const fn = (target as Record<string, unknown>)[key];
      if (typeof fn !== 'function') continue;
      out[key] = (...args: unknown[]) => {
        try {
          return (fn as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          throw fromNative(err);
        }
      };
    }
  }
  return out as T;
}

/** Turns an error thrown by the addon into a GpacError when it carries a GF_Err; others pass unchanged. */
export function fromNative(err: unknown): unknown {
  const e = err as Error & NativeErrorFields;
  if (e instanceof Error && typeof e.gfCode === 'number') {
    const g = new GpacError(e.gfCode, e.operation ?? 'gpac', e.message);
    g.stack = `${g.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1).join('\n')}`;
    return g;
  }
  return err;
}

/** Runs a native call, translating its errors (the stack is the JS caller's: native errors are made synchronously). */
export function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromNative(err);
  }
}

/** Rebuilds a JavaScript error serialized by the native side (a callback GPAC made). */
export function reviveFailure(f: NativeFailure): Error {
  const e = new Error(f.message);
  e.name = f.name;
  if (f.stack) e.stack = f.stack;
  return e;
}
