// FilterSession: libgpac.py's FilterSession, camelCased. run() runs gf_fs_run on a native thread (GPAC's
// "main thread" for the session) and resolves when the session ends: the event loop keeps turning.
// Callbacks GPAC makes (posted tasks, onFilterNew/onFilterDel) run on this JavaScript thread; an error
// thrown by one ends the session and run() rejects with it.
import { setTimeout as delay } from 'node:timers/promises';
import { call, captureCallSite, GpacError, reviveFailure, stateError } from '../errors.js';
import { GF_FILTER_NOT_FOUND, GF_SCRIPT_ERROR, gpacErrorName } from '../../generated/errors.js';
import { eventTypeValue, type FilterEventInit } from './events.js';
import { Filter } from './filter.js';
import { gpacConstant, native, type NativeEvent, type NativeFailure, type NativeFilter, type NativeSession } from '../native.js';
import { optionsToGpacString, urlOptionsToGpacString, validateFilterString, type UrlOptions } from '../options.js';
import { GF_FilterSchedulerType, type GF_FilterSessionFlags, type GF_FSFlushType } from '../../generated/session.js';
import type { FilterName, FilterOptionsMap } from '../../generated/filter-options.js';
import type { TaskLike, TaskResult } from './task.js';
import { loadPlugin, type LoadPluginOptions, type Plugin } from '../plugin/load.js';
import { liveHooksOf, startHook, type HookPlugin, type HookPluginOptions } from '../hook/load.js';

/** A GF_FS_FLAG_* name (generated: GF_FilterSessionFlags). */
export type SessionFlagName = keyof typeof GF_FilterSessionFlags;
/** A GF_FS_SCHEDULER_* name (generated: GF_FilterSchedulerType). */
export type SchedulerName = keyof typeof GF_FilterSchedulerType;
/** A GF_FS_FLUSH_* name (generated: GF_FSFlushType). */
export type FlushMode = keyof typeof GF_FSFlushType;

export interface FilterSessionOptions {
  /** GF_FS_FLAG_* as a bit mask or a list of names. */
  flags?: number | readonly SessionFlagName[];
  /** Filters to disable (a comma-separated string or a list); a leading '-' makes it a whitelist. */
  blacklist?: string | readonly string[];
  /** Extra GPAC worker threads (0: none, -1: one per core minus one). */
  threads?: number;
  /**
   * GPAC's scheduler (the CLI's `-sched`). Default: GF_FS_SCHEDULER_LOCK when `threads` is not 0 (GPAC's
   * lock-free packet queues can lose their head when a thread is preempted inside them: README "Known
   * issues"), GPAC's own default (GF_FS_SCHEDULER_LOCK_FREE) otherwise, where one thread runs every filter.
   */
  scheduler?: number | SchedulerName;
  /** How long a GPAC thread waits for a JavaScript callback before failing the session (ms, default 30000). */
  callbackTimeout?: number;
  /**
   * How long an aborted run may take to stop (ms, default 5000). GPAC's scheduler can stay asleep when a
   * session is aborted while it is still building its graph (the gpac CLI hangs the same way with
   * -runfor): after this delay run() rejects and the session is abandoned to GPAC (never deleted).
   */
  abortTimeout?: number;
  /**
   * How long a run may go without progress while an output PID is connected to no filter (ms, default
   * 10000; 0: never). GPAC then spins forever (a filter loaded without setSource() took the input meant for
   * another, or a filter was offered more PIDs than it accepts): the run is aborted and run() rejects with a
   * GpacError (GF_FILTER_NOT_FOUND) naming the PIDs. "Without progress": no filter processed or sent a packet
   * while GPAC kept running tasks; a JavaScript task in progress, or a pipeline waiting for input with every
   * output linked, is never counted.
   */
  stallTimeout?: number;
}

export type FilterListener = (filter: Filter) => void | Promise<void>;


function flagsValue(flags: FilterSessionOptions['flags']): number {
  if (flags === undefined) return 0;
  if (typeof flags === 'number') {
    if (!Number.isInteger(flags) || flags < 0) throw new TypeError(`FilterSession: flags must be a non-negative integer mask (received ${flags})`);
    return flags;
  }
  if (!Array.isArray(flags)) throw new TypeError('FilterSession: flags must be a number or a list of GF_FS_FLAG_* names');
  return flags.reduce((m: number, n: string) => m | gpacConstant(n), 0);
}

// FilterOwner (what a Filter needs of its session) is met structurally: it is internal, left out of the declarations.
export class FilterSession {
  readonly #native: NativeSession;
  /** Filter handles by native serial: getFilter(0) === the handle loadSrc returned. */
  readonly #filters = new Map<number, WeakRef<Filter>>();
  readonly #gone = new FinalizationRegistry<number>((serial) => {
    const ref = this.#filters.get(serial);
    if (ref && ref.deref() === undefined) this.#filters.delete(serial);
  });
  readonly #tasks = new Map<number, TaskLike>();
  #nextTask = 1;
  readonly #plugins = new Map<Filter, Plugin>();
  /** DASH algorithms … bound to this session or its filters: their workers end with it. */
  readonly #hooks = new Set<HookPlugin>();
  /** Aborted by close(): plugins still loading stop and their loadPlugin() rejects. */
  readonly #closing = new AbortController();
  #onFilterNew: FilterListener | undefined;
  #onFilterDel: FilterListener | undefined;

  constructor(options: FilterSessionOptions = {}) {
    checkSessionOptions(options);
    const threads = options.threads ?? 0;
    if (!Number.isInteger(threads) || threads < -1) throw new TypeError(`FilterSession: threads must be an integer >= -1 (received ${threads})`);
    // GPAC's lock-free packet queues are unsafe when a thread is preempted inside them (README "Known issues").
    const defaultScheduler = gpacConstant(threads !== 0 ? 'GF_FS_SCHEDULER_LOCK' : 'GF_FS_SCHEDULER_LOCK_FREE');
    const scheduler = typeof options.scheduler === 'string' ? gpacConstant(options.scheduler) : (options.scheduler ?? defaultScheduler);
    const blacklist = Array.isArray(options.blacklist) ? options.blacklist.join(',') : (options.blacklist as string | undefined);
    const flags = flagsValue(options.flags);
    const addon = native();
    this.#native = call(() => new addon.Session({ threads, scheduler, flags, blacklist }, (ev) => this.#dispatch(ev)));
    if (options.callbackTimeout !== undefined) call(() => this.#native.setCallbackTimeout(options.callbackTimeout!));
    if (options.abortTimeout !== undefined) call(() => this.#native.setAbortTimeout(options.abortTimeout!));
    if (options.stallTimeout !== undefined) call(() => this.#native.setStallTimeout(options.stallTimeout!));
  }

  // ------------------------------------------------------------------ loading

  /**
   * gf_fs_load_source: a source filter for `url`. Options may follow `:` in the URL as on the gpac command
   * line, or be given as an object: GPAC passes them to the filters it loads for the URL, so each must be
   * an option of some filter of this GPAC build (typed and checked before GPAC sees it: UrlOptions).
   */
  loadSrc(url: string, parentUrl?: string): Filter;
  loadSrc(url: string, options: UrlOptions, parentUrl?: string): Filter;
  loadSrc(url: string, optionsOrParent?: UrlOptions | string, parentUrl?: string): Filter {
    const [u, parent] = withUrlOptions('loadSrc', url, optionsOrParent, parentUrl);
    return this.#loaded('loadSrc', () => this.#native.loadSrc(u, parent));
  }
  /** gf_fs_load_destination; options as for loadSrc (`loadDst('out.mpd', { segdur: 2 })` reaches the dasher). */
  loadDst(url: string, parentUrl?: string): Filter;
  loadDst(url: string, options: UrlOptions, parentUrl?: string): Filter;
  loadDst(url: string, optionsOrParent?: UrlOptions | string, parentUrl?: string): Filter {
    const [u, parent] = withUrlOptions('loadDst', url, optionsOrParent, parentUrl);
    return this.#loaded('loadDst', () => this.#native.loadDst(u, parent));
  }
  /**
   * gf_fs_load_filter: with a filter name and typed options, checked against the filter's schema before
   * GPAC sees them: `load('dasher', { segdur: 2 })`; or GPAC's own string form, `load('dasher:segdur=2')`,
   * passed as it is once its options are checked against the same schema (`dasher:segdur=abc` is a
   * FilterOptionsError; what follows a `::` escape is left to GPAC).
   */
  load<N extends FilterName>(name: N, options?: FilterOptionsMap[N]): Filter<N>;
  load(description: string): Filter;
  load(description: string, options?: Record<string, unknown>): Filter {
    if (typeof description !== 'string') throw new TypeError(`load: expected a filter name or description string, received ${typeof description}`);
    let desc = description;
    if (options !== undefined) {
      if (description.includes(':')) throw new TypeError(`load: give either "${description}" with options in the string, or a bare filter name with an options object`);
      desc = optionsToGpacString(description, options);
    } else {
      validateFilterString(description);
    }
    return this.#loaded('load', () => this.#native.load(desc));
  }

  /** A filter GPAC loaded; when it could not, the plugin failure behind it, if any (a FileIO's open that threw). */
  #loaded(op: string, load: () => NativeFilter): Filter {
    try {
      return this.wrapFilter(call(load));
    } catch (e) {
      const failure = this.#native.takeFailure();
      if (failure) this.#throwIfFailed(GF_SCRIPT_ERROR, failure, op, captureCallSite());
      throw e;
    }
  }

  /**
   * Loads a plugin: a module (path, file URL or package name) whose default export extends
   * FilterCustom. It runs in a worker thread of its own; the returned Filter links like any other
   * (setSource). Call before run(). See the README's "Plugins" section.
   */
  async loadPlugin(spec: string | URL, options: LoadPluginOptions = {}): Promise<Filter> {
    if (this.closed) throw stateError('loadPlugin: the session is closed', 'ERR_GPAC_CLOSED');
    const plugin = await loadPlugin(this.#native, (nf) => this.wrapFilter(nf), spec, options, this.#closing.signal);
    this.#plugins.set(plugin.filter, plugin);
    return plugin.filter;
  }

  /**
   * Runs a DASH adaptation algorithm plugin (a module whose default export extends DASHCustomAlgorithm) for
   * every `dashin` filter this session creates from now on: bound as GPAC creates the filter, before it reads
   * its manifest (GPAC's own test scenario). Call before run(). Resolves once the plugin's worker is ready;
   * dashin's first calls wait for it. See the README's "DASH algorithm plugins".
   */
  async bindDashAlgorithm(spec: string | URL, options: HookPluginOptions = {}): Promise<HookPlugin> {
    if (this.closed) throw stateError('bindDashAlgorithm: the session is closed', 'ERR_GPAC_CLOSED');
    return this.#keepHook(
      startHook('bindDashAlgorithm', 'dash', spec, options, (id) => native().hookBindSession(this.#native, id), this.#closing.signal),
    );
  }

  /**
   * Runs an HTTP request handler plugin (a module whose default export extends HTTPOutRequest) for every
   * `httpout` filter this session creates from now on, bound as GPAC creates it. Call before run(). See the
   * README's "HTTP request handler plugins".
   */
  async bindHttpHandler(spec: string | URL, options: HookPluginOptions = {}): Promise<HookPlugin> {
    if (this.closed) throw stateError('bindHttpHandler: the session is closed', 'ERR_GPAC_CLOSED');
    return this.#keepHook(
      startHook('bindHttpHandler', 'http', spec, options, (id) => native().hookBindSession(this.#native, id), this.#closing.signal),
    );
  }

  /** @internal Filter.bind(): a hook plugin bound to `filter` now (dashin or httpout, before run() or from onFilterNew). */
  bindFilterHook(filter: Filter, kind: 'dash' | 'http', spec: string | URL, options: HookPluginOptions = {}): Promise<HookPlugin> {
    if (this.closed) return Promise.reject(stateError('bind: the session is closed', 'ERR_GPAC_CLOSED'));
    return this.#keepHook(startHook('bind', kind, spec, options, (id) => native().hookBindFilter(this.#native, filter.native, id), this.#closing.signal));
  }

  async #keepHook(loading: Promise<HookPlugin>): Promise<HookPlugin> {
    const hook = await loading;
    if (this.closed) {
      await hook.terminate();
      throw stateError('the session was closed while the plugin was loading', 'ERR_GPAC_CLOSED');
    }
    this.#hooks.add(hook);
    return hook;
  }

  /** The hook plugins bound to this session and its filters (DASH algorithms …). */
  get hooks(): HookPlugin[] {
    return [...this.#hooks];
  }

  /** The plugin behind a filter loadPlugin() returned (its worker, messages, statistics). */
  plugin(filter: Filter): Plugin | undefined {
    return this.#plugins.get(filter);
  }

  // ------------------------------------------------------------------ running

  /** Runs the session to its end on GPAC's threads. Rejects with a GpacError when it fails. */
  async run(): Promise<void> {
    const site = captureCallSite();
    const res = await call(() => this.#native.run());
    if (res.closed) throw stateError('run: the session was closed while it was running', 'ERR_GPAC_CLOSED', { callSite: site });
    const { failure, cause } = res.failure?.workerExit ? await this.#explainWorkerExit(res.failure) : { failure: res.failure, cause: undefined };
    this.#throwIfFailed(res.failure ? res.code : 0, failure, 'run', site, cause);
    if (res.stalled !== undefined) {
      const abandoned = res.stuckAfterMs > 0 ? ` GPAC then did not stop within ${res.stuckAfterMs} ms: the session was abandoned to GPAC (close() it).` : '';
      throw new GpacError(GF_FILTER_NOT_FOUND, 'run', `run: ${res.stalled}.${abandoned}`, { callSite: site });
    }
    if (res.stuckAfterMs > 0)
      throw new GpacError(
        res.code,
        'run',
        `GPAC did not stop within ${res.stuckAfterMs} ms after the session was aborted (GPAC's scheduler can stay asleep when a ` +
          'session is aborted while it builds its graph; the gpac CLI hangs the same way). The session was abandoned to GPAC: close() it.',
        { callSite: site },
      );
    if (res.code < 0) this.#throwIfReturned(res.code, site);
    this.#throwIfFailed(res.code, undefined, 'run', site);
    // gf_fs_run returns GF_OK then: what those PIDs carried never reached a sink.
    if (res.dropped?.length)
      throw new GpacError(
        GF_FILTER_NOT_FOUND,
        'run',
        `run: GPAC found no filter chain for ${res.dropped.join(', ')} and removed that filter (and those feeding it) during ` +
          'the run: what it carried reached no sink. Link it to a filter that accepts it, or leave it out of the graph',
        { callSite: site },
      );
  }

  /** The session ended with an error code one of its plugins returned from a callback: say which. */
  #throwIfReturned(code: number, site: string): void {
    for (const p of this.#plugins.values()) {
      const r = p._returned();
      if (r?.code !== code) continue;
      let name: string;
      try {
        name = p.filter.name;
      } catch {
        name = p.file;
      }
      throw new GpacError(
        code,
        'run',
        `run failed: ${native().errorToString(code)}: plugin '${name}' ${r.callback} (${p.file}) returned ${gpacErrorName(code) ?? 'GF_Err'} (${code})`,
        { callSite: site, file: p.file },
      );
    }
  }

  /**
   * One non-blocking step (the session must have GF_FS_FLAG_NON_BLOCKING): runs what is ready on this
   * thread and returns. Returns lastTask.
   */
  step(): boolean {
    const res = call(() => this.#native.step());
    this.#throwIfFailed(res.code, res.failure, 'step', captureCallSite());
    return res.lastTask;
  }

  /**
   * A plugin's worker went away under a callback (out of memory, process.exit(), terminate()): the native
   * side only saw its JavaScript stop. Node tells this thread why, in the worker's error and exit events;
   * wait for them briefly and report that instead.
   */
  async #explainWorkerExit(f: NativeFailure): Promise<{ failure: NativeFailure; cause: Error | undefined }> {
    // The first of this module's plugins whose worker exits (several plugins may share a module).
    const own = [...this.#plugins.values(), ...this.#hooks].filter((p) => p.file === f.file);
    const exits = (own.length ? own : liveHooksOf(f.file ?? '')).map((p) => p._exit);
    // The timer keeps the process alive meanwhile (the exiting worker no longer does), and is cleared after.
    const timeout = new AbortController();
    const why = await Promise.race([...exits, delay(2000, undefined, { signal: timeout.signal }).catch(() => undefined)]);
    timeout.abort();
    if (why) {
      if (why.error) {
        const code = (why.error as NodeJS.ErrnoException).code;
        const message = `${why.error.message} (the plugin's worker stopped under the callback)`;
        return { failure: { ...f, name: code ?? why.error.name, message, stack: why.error.stack ?? '' }, cause: why.error };
      }
      return { failure: { ...f, message: `the plugin's worker exited with code ${why.code} under the callback` }, cause: undefined };
    }
    return { failure: f, cause: undefined };
  }

  #throwIfFailed(code: number, failure: NativeFailure | undefined, op: string, site: string, cause = failure && reviveFailure(failure)): void {
    if (failure) {
      const where = failure.file ? ` (${failure.file})` : '';
      const msg = `${failure.origin}${where} failed: ${failure.name}: ${failure.message}`;
      const err = new GpacError(GF_SCRIPT_ERROR, op, msg, { cause, callSite: site, ...(failure.file ? { file: failure.file } : {}) });
      if (failure.stack) err.stack += `\nCaused by: ${failure.stack}`;
      throw err;
    }
    if (code < 0) throw new GpacError(code, op, `${op} failed: ${native().errorToString(code)}`, { callSite: site });
  }

  /**
   * True when the session has no task left but the one running (gf_fs_is_last_task): a posted task that sees
   * it returns -1, as in libgpac.py. Other posted tasks count as pending; gpac-ts's own do not.
   */
  get lastTask(): boolean {
    return call(() => this.#native.lastTask);
  }

  /** gf_fs_enable_reporting: filters report their status while they run (Filter.status, statistics.status). */
  reporting(on: boolean): void {
    call(() => this.#native.reporting(on));
  }

  /** gf_fs_abort: ends a running session (flush: none, all (flush pending data), or fast). */
  abort(flush: FlushMode | number = 'GF_FS_FLUSH_NONE'): void {
    const mode = typeof flush === 'number' ? flush : gpacConstant(flush);
    call(() => this.#native.abort(mode));
  }

  /** Posts a task (gf_fs_post_user_task); its execute() is called until it returns -1/undefined. */
  post(task: TaskLike): void {
    if (!task || typeof task.execute !== 'function' || typeof task.name !== 'string')
      throw new TypeError('post: expected a FilterTask (or an object with a name and an execute() method)');
    const id = this.#nextTask++;
    this.#tasks.set(id, task);
    try {
      call(() => this.#native.post(id, task.name));
    } catch (err) {
      this.#tasks.delete(id);
      throw err;
    }
    task.session = this;
  }

  // ------------------------------------------------------------------ callbacks

  /** Called for each filter GPAC creates, whatever thread creates it. May be async. */
  get onFilterNew(): FilterListener | undefined {
    return this.#onFilterNew;
  }
  set onFilterNew(fn: FilterListener | undefined) {
    if (fn !== undefined && typeof fn !== 'function') throw new TypeError('onFilterNew: expected a function or undefined');
    this.#onFilterNew = fn;
    call(() => this.#native.setFilterEvents(this.#onFilterNew !== undefined, this.#onFilterDel !== undefined));
  }
  /** Called for each filter GPAC destroys (the handle then has alive === false, its name and id). */
  get onFilterDel(): FilterListener | undefined {
    return this.#onFilterDel;
  }
  set onFilterDel(fn: FilterListener | undefined) {
    if (fn !== undefined && typeof fn !== 'function') throw new TypeError('onFilterDel: expected a function or undefined');
    this.#onFilterDel = fn;
    call(() => this.#native.setFilterEvents(this.#onFilterNew !== undefined, this.#onFilterDel !== undefined));
  }

  #dispatch(ev: NativeEvent): unknown {
    switch (ev.kind) {
      case 'task':
        return this.#runTask(ev.id);
      case 'filterNew':
        return this.#onFilterNew?.(this.wrapFilter(ev.filter));
      case 'filterDel':
        return this.#onFilterDel?.(this.wrapFilter(ev.filter));
    }
  }

  #runTask(id: number): TaskResult | Promise<TaskResult> {
    const task = this.#tasks.get(id);
    if (!task) return -1;
    const finished = (r: TaskResult) => {
      if (r === undefined || r === null || (typeof r === 'number' && (r < 0 || Number.isNaN(r)))) {
        this.#tasks.delete(id);
        task.session = null;
      }
      return r;
    };
    let r: TaskResult | Promise<TaskResult>;
    try {
      r = task.execute();
    } catch (err) {
      this.#tasks.delete(id);
      throw err;
    }
    if (r instanceof Promise) {
      return r.then(finished, (err: unknown) => {
        this.#tasks.delete(id);
        throw err;
      });
    }
    return finished(r);
  }

  /** @internal one handle per filter, as long as the application holds it. */
  wrapFilter(nf: NativeFilter): Filter {
    const serial = nf.serial;
    const known = this.#filters.get(serial)?.deref();
    if (known) return known;
    const f = Filter.create(this, nf);
    this.#filters.set(serial, new WeakRef(f));
    this.#gone.register(f, serial);
    return f;
  }

  // ------------------------------------------------------------------ inspection

  get nbFilters(): number {
    return call(() => this.#native.nbFilters);
  }
  getFilter(index: number): Filter {
    return this.wrapFilter(call(() => this.#native.getFilter(index)));
  }
  /** Every filter of the session, in GPAC's order. */
  get filters(): Filter[] {
    const out: Filter[] = [];
    for (let i = 0, n = this.nbFilters; i < n; i++) {
      try {
        out.push(this.getFilter(i));
      } catch (err) {
        if (err instanceof RangeError) break; // a filter went away while listing
        throw err;
      }
    }
    return out;
  }
  /** gf_fs_print_connections (to stderr). */
  printGraph(): void {
    call(() => this.#native.printGraph());
  }
  /** gf_fs_print_stats (to stderr). */
  printStats(): void {
    call(() => this.#native.printStats());
  }
  isSupportedMime(mime: string): boolean {
    return call(() => this.#native.isSupportedMime(mime));
  }
  isSupportedSource(url: string, parentUrl?: string): boolean {
    return call(() => this.#native.isSupportedSource(url, parentUrl));
  }
  /**
   * gf_fs_fire_event: sends `event` to `filter` (or every filter accepting it), towards the sinks when
   * `upstream`, else towards the sources. Returns whether it was sent.
   */
  fireEvent(event: FilterEventInit, filter?: Filter, upstream = false): boolean {
    const type = eventTypeValue(event.type);
    return call(() => this.#native.fireEvent({ ...event, type }, filter?.native, upstream));
  }
  /** Current cumulated HTTP download rate, bits per second. */
  get httpBitrate(): number {
    return call(() => this.#native.httpBitrate);
  }
  /** HTTP download rate cap, bits per second (0: none). */
  get httpMaxBitrate(): number {
    return call(() => this.#native.httpMaxBitrate);
  }
  set httpMaxBitrate(rate: number) {
    call(() => {
      this.#native.httpMaxBitrate = rate;
    });
  }

  get running(): boolean {
    return this.#native.running;
  }
  /**
   * How many calls made on this session from another thread while it ran were queued for GPAC's thread
   * (sessions with `threads: 0`, whose task list GPAC keeps lock-free: README "Threading model"). Diagnostic.
   */
  get queuedCalls(): number {
    return this.#native.queuedCalls;
  }
  /** True when GPAC did not stop after an abort (see abortTimeout): the session can only be closed. */
  get abandoned(): boolean {
    return this.#native.abandoned;
  }
  get closed(): boolean {
    return this.#native.closed;
  }

  /** Deletes the session (gf_fs_del). A run in progress is aborted first and its promise rejects. */
  close(): void {
    call(() => this.#native.close());
    this.#closing.abort();
    // After the session: its callbacks no longer wait on the workers, and their filters are gone.
    for (const p of this.#plugins.values()) void p.terminate();
    this.#plugins.clear();
    for (const h of this.#hooks) void h.terminate();
    this.#hooks.clear();
    for (const t of this.#tasks.values()) t.session = null;
    this.#tasks.clear();
  }
  [Symbol.dispose](): void {
    this.close();
  }
}

/** The URL with the options object appended in GPAC syntax, and the parent URL (the overloads' second argument). */
function withUrlOptions(op: string, url: string, optionsOrParent: UrlOptions | string | undefined, parentUrl: string | undefined): [string, string | undefined] {
  if (typeof url !== 'string') throw new TypeError(`${op}: expected a URL string, received ${typeof url}`);
  if (optionsOrParent === undefined || typeof optionsOrParent === 'string') return [url, optionsOrParent ?? parentUrl];
  return [url + urlOptionsToGpacString(op, optionsOrParent as Record<string, unknown>), parentUrl];
}

const SESSION_OPTIONS: readonly (keyof FilterSessionOptions)[] = ['flags', 'blacklist', 'threads', 'scheduler', 'callbackTimeout', 'abortTimeout', 'stallTimeout'];

/** The options object itself: known keys only, a known scheduler, a blacklist of strings (a typo must not pass silently). */
function checkSessionOptions(options: FilterSessionOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`FilterSession: options must be an object (received ${options === null ? 'null' : typeof options})`);
  for (const k of Object.keys(options)) {
    if (!(SESSION_OPTIONS as readonly string[]).includes(k))
      throw new TypeError(`FilterSession: unknown option ${JSON.stringify(k)} (options: ${SESSION_OPTIONS.join(', ')})`);
  }
  const { scheduler, blacklist } = options;
  if (typeof scheduler === 'number' && !(Object.values(GF_FilterSchedulerType) as number[]).includes(scheduler))
    throw new TypeError(`FilterSession: scheduler must be a GF_FS_SCHEDULER_* name or value (${Object.entries(GF_FilterSchedulerType).map(([n, v]) => `${n}=${v}`).join(', ')}), received ${scheduler}`);
  if (blacklist !== undefined && typeof blacklist !== 'string') {
    if (!Array.isArray(blacklist)) throw new TypeError(`FilterSession: blacklist must be a string or a list of filter names (received ${typeof blacklist})`);
    const bad = blacklist.findIndex((b) => typeof b !== 'string');
    if (bad >= 0) throw new TypeError(`FilterSession: blacklist[${bad}] must be a filter name (received ${typeof blacklist[bad]})`);
  }
}
