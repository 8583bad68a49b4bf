// Library-level calls (libgpac.py's module functions): version, init, setArgs, setLogs, close, errorToString.
import { call } from './errors.js';
import type { ThreadIds } from './discovery.js';
import { native, nativeLibrary } from './native.js';

export interface LibraryInfo {
  /** The libgpac file in use (the first one that loaded in this process). */
  path: string;
  /** Where discovery found it: GPAC_LIB, GPAC_HOME, pkg-config or the loader's paths. */
  source: string;
  /** gf_gpac_version(), e.g. "26.08-DEV-rev…". */
  version: string;
  abi: { major: number; minor: number; micro: number };
  /**
   * How libgpac tells threads apart. 'unique': its gf_th_id() is answered by gpac-ts's
   * gpac_ts_thread_id.node, one distinct id per thread. 'gpac': by libgpac's own, which truncates the thread
   * address to 32 bits — in a Node process two live threads can then share an id and GPAC's recursive
   * mutexes let both in (happens only when libgpac was loaded into the process before gpac-ts).
   */
  threadIds: ThreadIds;
  /** The GPAC the bindings were generated from. */
  generatedFor: { version: string; abi: { major: number; minor: number; micro: number } };
}

/** GPAC's version string (gf_gpac_version). */
export function version(): string {
  return nativeLibrary().library.version;
}

export function libraryInfo(): LibraryInfo {
  const { addon, library } = nativeLibrary();
  return {
    path: library.path,
    source: library.source,
    version: library.version,
    abi: library.abi,
    threadIds: library.threadIds ?? 'gpac',
    generatedFor: addon.generated(),
  };
}

export type MemTracker = boolean | 'none' | 'simple' | 'backtrace';

export interface InitOptions {
  /** GPAC memory tracking (only effective when GPAC was built with it). */
  memTracker?: MemTracker;
  /** GPAC profile name (configuration directory), see `gpac -p`. */
  profile?: string;
}

const MEM_TRACKERS: Record<string, number> = { none: 0, simple: 1, backtrace: 2 };

/**
 * gf_sys_init with options. libgpac is initialised implicitly by the first FilterSession; call this
 * before any session exists (afterwards it throws), e.g. to pick a profile or turn memory tracking on.
 */
export function init(options: InitOptions = {}): void {
  const mt = options.memTracker ?? false;
  const mode = typeof mt === 'boolean' ? (mt ? 1 : 0) : MEM_TRACKERS[mt];
  if (mode === undefined) throw new TypeError(`init: memTracker must be a boolean, 'none', 'simple' or 'backtrace' (received ${JSON.stringify(mt)})`);
  if (options.profile !== undefined && typeof options.profile !== 'string')
    throw new TypeError(`init: profile must be a string (received ${typeof options.profile})`);
  call(() => native().init(mode, options.profile));
}

/** gf_sys_set_args: GPAC's global options, as on the gpac command line. The first string is the program name (ignored). */
export function setArgs(args: readonly string[]): void {
  call(() => native().setArgs([...args]));
}

/** gf_log_set_tools_levels, e.g. setLogs('filter@info:container@debug'). */
export function setLogs(logs: string, reset = false): void {
  call(() => native().setLogs(logs, reset));
}

/**
 * Closes every session of this thread and releases libgpac for it (gf_sys_close once no thread uses it).
 * Any later call from this thread throws a clear error.
 */
export function close(): void {
  call(() => native().close());
}

/** gf_error_to_string. */
export function errorToString(code: number): string {
  return call(() => native().errorToString(code));
}
