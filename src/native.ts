// Loads the addon (build/Release/gpac_ts.node) and binds it to a libgpac found by discovery.ts, once per
// thread: the addon is context-aware, each worker thread gets its own instance, and they share the one
// libgpac the process loaded first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAbi, likelyLibgpac, loadLibgpac, type Abi, type LoadedLibrary, type ThreadIds } from './discovery.js';
import type { PluginSetup } from './plugin/runtime.js';

/** Native error extras; src/errors.ts turns errors carrying gfCode into GpacError. */
export interface NativeErrorFields {
  gfCode?: number;
  gfName?: string;
  operation?: string;
  code?: string;
}

export interface NativeFailure {
  origin: string;
  name: string;
  message: string;
  stack: string;
  /** The plugin module, when the failing callback was a plugin's. */
  file?: string;
  /** The plugin's worker went away under the callback: its own error and exit code tell why. */
  workerExit?: boolean;
}

export interface NativeRunResult {
  code: number;
  failure: NativeFailure | undefined;
  closed: boolean;
  /** > 0 when GPAC did not stop that many ms after an abort (the session is then abandoned). */
  stuckAfterMs: number;
  /** Set when the stall watch aborted the run: what it found (an output PID connected to no filter). */
  stalled?: string;
  /** Output PIDs GPAC dropped during the run (it found no filter chain for them and removed their filter). */
  dropped?: string[];
}

export interface NativeStepResult {
  code: number;
  lastTask: boolean;
  failure: NativeFailure | undefined;
}

export type NativeEvent =
  | { kind: 'task'; id: number }
  | { kind: 'filterNew'; filter: NativeFilter }
  | { kind: 'filterDel'; filter: NativeFilter };

/** A filter option as the addon reads it (Filter.options()). */
export interface NativeOptionInfo {
  name: string;
  /** GPAC's type name: 'uint', 'str', 'frac' … */
  type: string;
  description: string | null;
  default: string | null;
  minMaxEnum: string | null;
  /** GF_FS_ARG_* flags. */
  flags: number;
  /** The current value (enum options by name). */
  value: unknown;
  /** The current value as GPAC prints it. */
  text: string | null;
}

/** [name, value, type name, 4CC code (0 for user-defined)] */
export type NativePropEntry = [string, unknown, string, number];

export interface NativeFilter {
  readonly serial: number;
  readonly alive: boolean;
  readonly name: string;
  readonly id: string | null;
  readonly nbIpid: number;
  readonly nbOpid: number;
  readonly status: string | null;
  readonly bytesDone: bigint;
  pidProp(input: boolean, idx: number, name: string): unknown;
  pidProps(input: boolean, idx: number): NativePropEntry[];
  pidName(input: boolean, idx: number): string | null;
  pidStats(input: boolean, idx: number, mode: number): Record<string, unknown>;
  ipidSource(idx: number): NativeFilter | null;
  opidSinks(idx: number): NativeFilter[];
  getInfo(name: string): unknown;
  statistics(): Record<string, unknown>;
  options(): NativeOptionInfo[];
  getArg(name: string): unknown;
  update(name: string, text: string, propagateMask: number): void;
  remove(): void;
  setSource(src: NativeFilter, linkArgs: string | undefined, restricted: boolean): void;
  reconnect(opidIdx: number): void;
  requireSourceId(): void;
  probeLink(opidIdx: number, description: string): string[] | null;
  destinations(opidIdx: number): string[] | null;
}

export interface NativeSessionOptions {
  threads: number;
  scheduler: number;
  flags: number;
  blacklist: string | undefined;
}

export interface NativeSession {
  loadSrc(url: string, parent?: string): NativeFilter;
  loadDst(url: string, parent?: string): NativeFilter;
  load(description: string): NativeFilter;
  run(): Promise<NativeRunResult>;
  step(): NativeStepResult;
  /** The failure recorded since the last run (a plugin that failed while GPAC loaded a filter). */
  takeFailure(): NativeFailure | undefined;
  readonly lastTask: boolean;
  reporting(on: boolean): void;
  abort(flush: number): void;
  post(id: number, name: string): void;
  readonly nbFilters: number;
  getFilter(idx: number): NativeFilter;
  printGraph(): void;
  printStats(): void;
  isSupportedMime(mime: string): boolean;
  isSupportedSource(url: string, parent?: string): boolean;
  fireEvent(event: Record<string, unknown>, target: NativeFilter | undefined, upstream: boolean): boolean;
  readonly httpBitrate: number;
  httpMaxBitrate: number;
  setFilterEvents(filterNew: boolean, filterDel: boolean): void;
  setCallbackTimeout(ms: number): void;
  setAbortTimeout(ms: number): void;
  setStallTimeout(ms: number): void;
  readonly abandoned: boolean;
  readonly running: boolean;
  readonly queuedCalls: number;
  readonly closed: boolean;
  close(): void;
}

// ------------------------------------------------------------------ plugins (native/src/plugin/plugin_*.cc)

/** The plugin's options, as newPlugin takes them (native PluginOptions). */
export interface NativePluginOptions {
  /** The plugin module, for messages. */
  file: string;
  timeoutMs?: number;
  prefetch?: number;
  prefetchBytes?: number;
  inputBufferUs?: number;
  pipeline?: boolean;
}

export type DispatchKind = 'configure' | 'process' | 'event' | 'reconfigure' | 'release';

/** What GPAC's thread hands to a plugin's worker (native pluginCallJs → dispatch). */
export type Dispatch = (kind: DispatchKind, seqOrShared: number, a?: unknown, b?: unknown, c?: unknown) => void;

export interface NativePluginStats {
  /** GPAC callbacks handed to the worker … */
  calls: number;
  /** … of which process() calls GPAC's thread did not wait for (pipelined). */
  pipelined: number;
  packets: number;
  requests: number;
  intents: number;
}

// The names of the name-selected native operations, as the native tables list them (NamedOp tables in
// plugin_worker.cc, pid.cc, packet.cc). Native code refuses any other name with a TypeError listing these;
// test/native/boundary.test.ts checks that both lists agree.
export const FILTER_CALLS = ['reschedule', 'status', 'failure', 'sticky', 'preventBlocking', 'blockEos', 'maxPids', 'hintClock'] as const;
export const FILTER_QUERIES = [
  'blockEnabled',
  'outputBuffer',
  'playoutBuffer',
  'sinksDone',
  'nbEvtsQueued',
  'clockHintTime',
  'clockHintMediatime',
  'connectionsPending',
] as const;
export const PID_QUERIES = [
  'eos',
  'hasSeenEos',
  'eosReceived',
  'wouldBlock',
  'sparse',
  'maxBuffer',
  'buffer',
  'bufferTotal',
  'bufferFull',
  'firstEmpty',
  'firstCts',
  'nbPckQueued',
  'timescale',
  'minPckDur',
  'playing',
  'nextTs',
  'name',
  'filterName',
  'clockType',
  'clockTimestamp',
  'bufferOccupancy',
  'checkCaps',
  'resolveTemplate',
] as const;
export const PID_SETTERS = [
  'name',
  'eos',
  'maxBuffer',
  'framing',
  'clockMode',
  'discard',
  'looseConnect',
  'requireSourceId',
  'recomputeDts',
  'allowDirectDispatch',
  'discardBlock',
  'clearEos',
  'remove',
] as const;
export const PCK_FIELDS = [
  'dts',
  'cts',
  'sap',
  'dur',
  'framing',
  'interlaced',
  'corrupted',
  'seek',
  'byteOffset',
  'roll',
  'crypt',
  'clock',
  'carousel',
  'seqnum',
  'deps',
] as const;
export const PCK_OPS = ['discard', 'readonly', 'truncate'] as const;
export type FilterCallName = (typeof FILTER_CALLS)[number];
export type FilterQueryName = (typeof FILTER_QUERIES)[number];
export type PidQueryName = (typeof PID_QUERIES)[number];
export type PidSetterName = (typeof PID_SETTERS)[number];
export type PckFieldName = (typeof PCK_FIELDS)[number];
export type PckOpName = (typeof PCK_OPS)[number];

/**
 * The native half of a plugin, as its worker sees it (native/src/plugin/plugin_worker.cc, pid.cc, packet.cc). Every
 * method either records an intent (applied later, in order, by the GPAC thread running the filter) or makes a
 * request (answered by that thread while it waits on the current callback).
 */
export interface NativePluginWorker {
  complete(seq: number, value: number): void;
  fail(seq: number, error: unknown): void;
  reportError(error: unknown, origin: string): void;
  stats(): NativePluginStats;
  close(): void;

  newPid(): number;
  filterCall(op: FilterCallName, a?: unknown, b?: unknown, c?: unknown): void;
  filterQuery(what: FilterQueryName): unknown;

  pidQuery(pid: number, what: PidQueryName, a?: unknown, b?: unknown, c?: unknown): unknown;
  pidSet(pid: number, what: PidSetterName, a?: unknown): void;
  pidProp(pid: number, key: string | number, info: boolean): unknown;
  pidProps(pid: number): NativePropEntry[];
  pidSetProp(pid: number, key: string | number, value: unknown, type: string | undefined, info: boolean): void;
  pidCopyProps(dst: number, src: number): void;
  pidResetProps(pid: number): void;
  pidSendEvent(pid: number, event: Record<string, unknown>): void;
  pidQueryCap(pid: number, key: string | number): unknown;
  pidNegotiateCap(pid: number, key: string | number, value: unknown, type: string | undefined): void;

  /** Intents batched in JS — forward, drop, send: [op, a, b] triples (host.ts tape). */
  applyTape(tape: Float64Array): void;
  pckRelease(id: number): void;
  pckView(id: number): [ArrayBuffer, number] | null;
  pckDetach(view: ArrayBuffer, key: number): void;
  pckAddress(id: number, view?: ArrayBuffer): { gpac: bigint; view: bigint | null };
  pckInfo(id: number): Float64Array;
  pckProp(id: number, key: string | number): unknown;
  pckProps(id: number): NativePropEntry[];
  newPck(opid: number, size: number): number;
  newPckRef(opid: number, src: number, size: number, offset: number): number;
  newPckCopy(opid: number, src: number, clone: boolean): number;
  newPckShared(opid: number, data: Uint8Array, sharedId: number): number;
  pckSet(id: number, field: PckFieldName, value: number | boolean | null, value2?: boolean): void;
  pckSetProp(id: number, key: string | number, value: unknown, type: string | undefined): void;
  pckMergeProps(src: number, dst: number): void;
  pckOp(id: number, op: PckOpName, arg?: number): void;
}

/** The worker half of a hook plugin (native/src/hook/hook_worker.cc). */
export interface NativeHookWorker {
  /** Settles call `seq` with what the plugin returned. */
  complete(seq: number, value: unknown): void;
  fail(seq: number, error: unknown): void;
  /** A libgpac call of the hook's kind (httpout's send() …), run by the GPAC thread waiting on call `seq`. */
  request(seq: number, op: string, args?: unknown): unknown;
  reportError(error: unknown, origin: string): void;
  stats(): NativeHookStats;
  close(): void;
}

export interface NativeHookStats {
  /** GPAC callbacks handed to the worker. */
  calls: number;
  /** Requests the worker made during them. */
  requests: number;
}

/** dispatch(seq, method, ...args): one GPAC callback, to settle with complete(seq, v) or fail(seq, e). */
export type HookDispatch = (seq: number, method: string, ...args: unknown[]) => void;

export interface NativeHookOptions {
  name: string;
  file: string;
  timeoutMs?: number;
  loadTimeoutMs?: number;
}

export interface LibraryBinding {
  path: string;
  version: string;
  abi: Abi;
  threadIds: ThreadIds;
  threadIdsError?: string;
}

export interface NativeAddon {
  bind(path: string): LibraryBinding;
  /** The library this process bound already (from any thread), or null. */
  boundPath(): string | null;
  /** Starts loading a library on a native thread (see prefetchLibgpac). */
  prefetch(path: string): void;
  generated(): { version: string; abi: Abi };
  init(memTracker: number, profile?: string): void;
  setArgs(args: string[]): void;
  setLogs(logs: string, reset: boolean): void;
  close(): void;
  isClosed(): boolean;
  errorToString(code: number): string;
  errorName(code: number): string;
  constants(): Record<string, number>;
  propertyInfo(name: string): { code: number; name: string; type: string } | null;
  Session: new (options: NativeSessionOptions, dispatch: (ev: NativeEvent) => unknown) => NativeSession;
  /** Filter handles' class: only the addon makes them (its constructor refuses anything else). */
  Filter: abstract new (token: never) => NativeFilter;

  // plugins: the main thread's side (plugin_loader.cc) …
  /** A plugin in `session` (gf_fs_new_filter) whose callbacks go to a worker attached later. */
  newPlugin(session: NativeSession, name: string, options: NativePluginOptions): { id: number; filter: NativeFilter };
  /** Applies what the plugin's constructor asked for (capabilities, max PIDs …) before the session runs. */
  pluginSetup(id: number, setup: PluginSetup & { rename?: string }): void;
  /** The plugin's worker failed or exited: its callbacks fail from now on (`discard`: the filter leaves the session). */
  pluginWorkerGone(id: number, error?: unknown, discard?: boolean): void;
  pluginStats(id: number): NativePluginStats;
  /** The first error code (< 0) a callback of plugin `id` returned to GPAC, and which callback. */
  pluginReturned(id: number): { code: number; callback: string } | undefined;
  // … and its worker's (plugin_worker.cc)
  attachPlugin(id: number, dispatch: Dispatch): NativePluginWorker;

  // hook plugins (DASH algorithms …): the main thread's side (hook_loader.cc) …
  /** A hook's native core, before its worker starts; its id. */
  newHook(kind: 'dash', options: NativeHookOptions): number;
  /** A FileIO factory wrapping `url`: its id and gfio:// URL. */
  newHook(kind: 'fileio', options: NativeHookOptions & { url: string }): { id: number; url: string };
  /** Binds hook `id` to every filter of its kind `session` creates from now on. */
  hookBindSession(session: NativeSession, id: number): void;
  /** Binds hook `id` to `filter` now (a TypeError if the filter is not of the hook's kind). */
  hookBindFilter(session: NativeSession, filter: NativeFilter, id: number): void;
  /** The hook's worker failed or exited: its calls fail from now on (and, `failSession`, its session with `error`). */
  hookWorkerGone(id: number, error?: unknown, failSession?: boolean): void;
  hookStats(id: number): NativeHookStats;
  /** Forgets hook `id`: calls in progress give up, filters bound keep it until their session is deleted. */
  hookClose(id: number): void;
  // … and its worker's (hook_worker.cc): `methods` are the plugin's, calls to others are answered natively.
  attachHook(id: number, dispatch: HookDispatch, methods: string[]): NativeHookWorker;
}

/** The package root: the nearest directory above this file holding gpac-ts's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`gpac-ts: cannot find the package root (binding.gyp) above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let addonOfThread: NativeAddon | undefined;

function loadAddon(): NativeAddon {
  if (addonOfThread) return addonOfThread;
  const root = packageRoot();
  // GPAC_TS_ADDON: another build of the addon, e.g. the sanitizer build of `npm run asan`.
  const override = process.env.GPAC_TS_ADDON;
  const tried = override ? [override] : ['build/Release/gpac_ts.node', 'build/Debug/gpac_ts.node'].map((p) => join(root, p));
  const found = tried.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `gpac-ts: the native addon is not built (looked for ${tried.join(', ')}). ` +
        'Build it with `npm install` (or `npx node-gyp rebuild`) in ' +
        root +
        '; it needs a C++17 compiler and Python, but no GPAC headers.',
    );
  }
  addonOfThread = createRequire(import.meta.url)(found) as NativeAddon;
  return addonOfThread;
}

interface Loaded {
  addon: NativeAddon;
  library: LoadedLibrary;
}

let loaded: Loaded | undefined;
let failed: unknown;

/** The addon of this thread, bound to libgpac (loaded on first use; the first failure is kept and rethrown). */
export function nativeLibrary(): Loaded {
  if (loaded) return loaded;
  if (failed) throw failed;
  try {
    const addon = loadAddon();
    // A worker thread of a process that already bound libgpac uses that library: discovery would only repeat
    // the main thread's work (and spawn pkg-config) in every plugin worker.
    const inProcess = addon.boundPath();
    const library: LoadedLibrary = inProcess ? { ...addon.bind(inProcess), source: 'process' } : loadLibgpac((path) => addon.bind(path));
    const expected = addon.generated();
    checkAbi(library.abi, library.path, expected.abi, expected.version);
    if (library.threadIds !== 'unique' && library.source !== 'process') warnThreadIds(library);
    loaded = { addon, library };
    return loaded;
  } catch (err) {
    failed = err;
    throw err;
  }
}

function warnThreadIds(library: LoadedLibrary): void {
  process.emitWarning(
    `libgpac (${library.path}) identifies threads by the low 32 bits of their address, and gpac-ts could not give ` +
      `it distinct ids (${library.threadIdsError ?? 'libgpac was loaded into this process before gpac-ts'}): two ` +
      'threads of a Node process may then share an id, which breaks GPAC\'s mutexes. Import gpac-ts before anything ' +
      'else loads libgpac.',
    { code: 'GPAC_TS_THREAD_IDS' },
  );
}

/**
 * Starts loading libgpac on a native thread when this module is imported: the dynamic loader's work (tens of
 * milliseconds, as libgpac pulls in FFmpeg and its dependencies) then overlaps the rest of the import and the
 * caller's own start-up instead of delaying the first session. Best effort: nativeLibrary() still chooses
 * the library and reports any problem.
 */
function prefetchLibgpac(): void {
  try {
    const addon = loadAddon();
    if (addon.boundPath()) return; // a worker thread: the process has it already
    const path = likelyLibgpac();
    if (path) addon.prefetch(path);
  } catch {
    // left to nativeLibrary(), which reports it where the library is needed
  }
}
prefetchLibgpac();

export function native(): NativeAddon {
  return nativeLibrary().addon;
}

let constantsCache: Record<string, number> | undefined;

/** A GPAC constant (enum member) by name, from the table the addon was generated with. */
export function gpacConstant(name: string): number {
  constantsCache ??= native().constants();
  const v = constantsCache[name];
  if (v === undefined) throw new Error(`gpac-ts: no GPAC constant ${name} in the addon's generated table (codegen/native-api.json)`);
  return v;
}

export function gpacConstants(): Readonly<Record<string, number>> {
  constantsCache ??= native().constants();
  return constantsCache;
}
