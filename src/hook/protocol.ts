// Messages between the main thread (load.ts) and a hook plugin's worker (worker.ts).
import type { SerializedError } from '../plugin/protocol.js';

/** The kinds of hook plugin (native/src/hook/hook_loader.cc's newHook). */
export type HookKind = 'dash' | 'fileio' | 'http';

export interface HookWorkerData {
  /** Hook id (native registry). */
  id: number;
  kind: HookKind;
  /** Plugin module URL, as imported. */
  url: string;
  /** Plugin module, for messages. */
  file: string;
  name: string;
  options: unknown;
  entry: string;
  tsx: string | undefined;
}

export type FromHookWorker =
  | { type: 'ready' }
  | { type: 'error'; error: SerializedError }
  | { type: 'result'; seq: number; ok: true; value: unknown }
  | { type: 'result'; seq: number; ok: false; error: SerializedError };

/** The owner calling a method of the plugin's instance (HookPlugin.call). */
export type ToHookWorker = { type: 'call'; seq: number; method: string; args: unknown[] };
