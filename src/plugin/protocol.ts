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
    // Each field on its own: a getter that throws (a hostile or broken `stack`) must not lose the others.
    const name = readString(err, 'name') ?? 'Error';
    const message = readString(err, 'message') ?? '(its message could not be read)';
    const code = read(err, 'code');
    return {
      name,
      message,
      stack: readString(err, 'stack') ?? '',
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  let text: string;
  try {
    text = String(err);
  } catch {
    text = `a value of type ${typeof err} that cannot be printed`;
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${text}`, stack: '' };
}

function read(o: object, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function readString(o: object, key: string): string | undefined {
  const v = read(o, key);
  return typeof v === 'string' ? v : undefined;
}

export function reviveError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = e.stack || `${e.name}: ${e.message}`;
  if (e.code !== undefined) (err as Error & { code?: string | number }).code = e.code;
  return err;
}
