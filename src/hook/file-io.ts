// FileIO: libgpac.py's FileIO. `await FileIO.create(url, spec)` wraps `url` in a gfio:// URL served by a
// plugin module whose default export extends FileIOFactory, run in a worker thread of its own; each file
// GPAC opens through it (a manifest and its segments are many) gets a new instance of that class
// (file-io-runtime.ts; the native side is native/src/hook/file_io.cc).
import { startHook, type HookPlugin, type HookPluginOptions } from './load.js';
import type { Maybe } from './runtime.js';

/** The methods a FileIO plugin's class defines (libgpac.py's factory object); any may be async. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface FileIOFactory {
  /** Whether `url` exists (GPAC probes before opening); default: false. */
  exists?(url: string): boolean | Promise<boolean>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class FileIOFactory {
  /** Opens `url` in fopen's `mode` ('rb', 'wb', 'r+' …) for this instance; false (or a throw) refuses it. */
  abstract open(url: string, mode: string): Maybe<boolean | void>;
  abstract close(): Maybe<void>;
  /** Fills `buffer` (GPAC's read-ahead block, lent for the call) from the current position; returns the bytes read (0 at the end). */
  abstract read(buffer: Uint8Array): Maybe<number>;
  /** Writes `buffer` at the current position; returns the bytes written. */
  abstract write(buffer: Uint8Array): Maybe<number>;
  /** `whence`: 0 from the start, 1 from the current position, 2 from the end. */
  abstract seek(pos: number, whence: number): Maybe<void>;
  abstract tell(): Maybe<number>;
  abstract eof(): Maybe<boolean>;
}
Object.defineProperty(FileIOFactory, Symbol.for('gpac-ts.FileIOFactory'), { value: true });

export class FileIO {
  readonly #hook: HookPlugin;
  /** The gfio:// URL to give loadSrc / loadDst (with `:options` appended as needed). */
  readonly url: string;

  private constructor(hook: HookPlugin) {
    this.#hook = hook;
    this.url = hook._url!;
  }

  static async create(url: string, spec: string | URL, options: HookPluginOptions = {}): Promise<FileIO> {
    if (typeof url !== 'string' || !url) throw new TypeError(`FileIO.create: expected the URL to wrap, received ${typeof url}`);
    const hook = await startHook('FileIO.create', 'fileio', spec, options, () => undefined, undefined, { url });
    return new FileIO(hook);
  }

  /** The plugin's worker and statistics. */
  get plugin(): HookPlugin {
    return this.#hook;
  }

  /** Flushes what is pending, deletes the gfio:// objects and stops the worker: after every session using it. */
  close(): Promise<void> {
    return this.#hook.terminate();
  }
}
