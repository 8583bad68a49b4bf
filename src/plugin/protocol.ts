// Messages between the main thread (load.ts) and a plugin worker (worker.ts). Errors are serialized
// explicitly: structured clone keeps an Error's message but drops custom classes and properties.
import type { PluginSetup } from './runtime.js';

export interface WorkerData {
  /** Plugin id (native registry). */
  id: number;
  /** Plugin module URL, as imported. */
  url: string;
  /** Plugin module, for messages (a path or the spec given). */
  file: string;
  name: string;
  options: unknown;
}

export interface SerializedError {
  name: string;
  message: string;
  stack: string;
  code?: string | number;
}

export type FromWorker =
  | { type: 'ready'; setup: PluginSetup }
  | { type: 'error'; error: SerializedError }
  | { type: 'message'; data: unknown }
  | { type: 'pong'; n: number };

export type ToWorker = { type: 'ping'; n: number } | { type: 'message'; data: unknown };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      stack: err.stack ?? '',
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${String(err)}`, stack: '' };
}

export function reviveError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = e.stack || `${e.name}: ${e.message}`;
  if (e.code !== undefined) (err as Error & { code?: string | number }).code = e.code;
  return err;
}
