// FilterCustom: libgpac.py's FilterCustom, camelCased — the base class of custom filter plugins. A plugin
// module's default export extends it; FilterSession.loadPlugin() runs it in a worker thread of its own,
// and GPAC's threads hand it configurePid / process / processEvent / reconfigureOutput (which may be async).
//
//   export default class Forward extends FilterCustom {
//     constructor(options: { label?: string }) {
//       super('forward');
//       this.pushCap('StreamType', 'Audio', GF_CAPS_INPUT_OUTPUT);
//     }
//     configurePid(pid: FilterPid, isRemove: boolean) { … }
//     process() { … }
//   }
//
// The constructor runs before the filter is linked: capabilities, setMaxPids, makeSticky, preventBlocking and
// blockEos given there are applied when the plugin loads. Everything else is recorded and applied by the
// GPAC thread running the filter, in call order (see runtime.ts).
import type { PropertyInputOf, PropertyType } from '../properties.js';
import type { FilterEvent } from './filter-event.js';
import type { FilterPacket } from './filter-packet.js';
import type { FilterPid } from './filter-pid.js';
import { constructingRuntime, type PluginRuntime } from './runtime.js';
import type { NativePluginStats } from './native-worker.js';

/** What configurePid/process/reconfigureOutput return: a GF_Err (0 or nothing: OK), possibly later. */
export type CallbackResult = number | void | undefined | Promise<number | void | undefined>;

/** Callbacks a plugin may define (libgpac.py's configure_pid, process, process_event …). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface FilterCustom {
  /** A PID connects (isRemove false, first time: not yet in `ipids`), is reconfigured, or goes away. */
  configurePid?(pid: FilterPid, isRemove: boolean): CallbackResult;
  /** Called when there is work: input packets (getPacket), or a reschedule(). */
  process?(): CallbackResult;
  /** An event reached the filter; return true to stop it here, false to let it go on. */
  processEvent?(evt: FilterEvent): boolean | void | Promise<boolean | void>;
  /** A destination asks this output PID for other properties (capability negotiation). */
  reconfigureOutput?(pid: FilterPid): CallbackResult;
  /** GPAC released a packet made with newPckShared: its buffer may be reused. */
  packetRelease?(pid: FilterPid, pck: FilterPacket): void;
  /** A message from the main thread (Plugin.postMessage). */
  onMessage?(message: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class FilterCustom {
  /** Input PIDs, in connection order (a PID joins after its first configurePid). */
  readonly ipids: FilterPid[] = [];
  /** Output PIDs made with newPid(). */
  readonly opids: FilterPid[] = [];
  readonly #runtime: PluginRuntime;

  /** `name` names the filter in GPAC's graph and logs (default: loadPlugin's `name`, or the module's file name). */
  constructor(name?: string) {
    const runtime = constructingRuntime();
    if (!runtime) {
      throw new Error(
        'FilterCustom subclasses run in a worker thread: load the plugin module with `await session.loadPlugin(spec)`, do not construct it',
      );
    }
    this.#runtime = runtime;
    runtime.bind(this, name);
  }

  /** The filter's name. */
  get name(): string {
    return this.#runtime.name;
  }

  // ------------------------------------------------------------------ setup (constructor)

  /**
   * Adds a capability (gf_filter_push_caps), in the constructor. `name` is a property name or code;
   * `flags` GF_CAPS_*; a null value with flags 0 starts a new bundle. `type` types a user-defined property.
   */
  pushCap<K extends string | number>(name: K, value: PropertyInputOf<K> | null, flags: number, priority = 0, type?: PropertyType): void {
    if (typeof name !== 'string' && typeof name !== 'number') throw new TypeError(`pushCap: expected a property name or code, received ${typeof name}`);
    if (!Number.isInteger(flags) || flags < 0) throw new TypeError(`pushCap: flags must be GF_CAPS_* (an integer), received ${String(flags)}`);
    if (!Number.isInteger(priority) || priority < 0 || priority > 255) throw new RangeError(`pushCap: priority must be an integer in [0, 255], received ${String(priority)}`);
    this.#runtime.setupOnly('pushCap').caps.push([name, value, flags, priority, type]);
  }
  /**
   * Number of extra input PIDs accepted (gf_filter_set_max_extra_input_pids); -1: no limit (libgpac.py's
   * meaning, and the default). GPAC cannot make a second instance of a plugin, so a PID beyond the limit fails
   * the session with an error naming it.
   */
  setMaxPids(maxPids: number): void {
    if (!Number.isInteger(maxPids) || maxPids < -1 || maxPids > 0xffffffff)
      throw new TypeError(`setMaxPids: expected -1 (no limit) or a count in [0, 4294967295], received ${String(maxPids)}`);
    this.#runtime.setupOr('maxPids', maxPids, () => this.#runtime.native.filterCall('maxPids', maxPids));
  }
  /** Keeps the filter when its inputs go (gf_filter_make_sticky). */
  makeSticky(): void {
    this.#runtime.setupOr('sticky', true, () => this.#runtime.native.filterCall('sticky'));
  }
  preventBlocking(enable: boolean): void {
    this.#runtime.setupOr('preventBlocking', !!enable, () => this.#runtime.native.filterCall('preventBlocking', !!enable));
  }
  blockEos(enable: boolean): void {
    this.#runtime.setupOr('blockEos', !!enable, () => this.#runtime.native.filterCall('blockEos', !!enable));
  }

  // ------------------------------------------------------------------ running

  /** A new output PID. */
  newPid(): FilterPid {
    return this.#runtime.newOutputPid();
  }
  /**
   * Asks for process() again in `us` microseconds (0: as soon as possible); negative: just post a process
   * task. Outside callbacks this is how a plugin gets called again (e.g. from a timer).
   */
  reschedule(us = 0): void {
    this.#runtime.native.filterCall('reschedule', us);
  }
  /** Status text and progress (per 10000). */
  updateStatus(status: string, percent = 0): void {
    this.#runtime.native.filterCall('status', String(status), percent);
  }
  /** Reports a failure (GF_SETUP_ERROR: setup failure; GF_NOTIF_ERROR[_AND_DISCONNECT]: notification). */
  notifyFailure(err: number, errorType = 0): void {
    this.#runtime.native.filterCall('failure', err, errorType);
  }
  /** gf_filter_hint_single_clock: a clock time (µs) and the matching media time. */
  hintClock(clockUs: number, mediaTime: { num: number | bigint; den: number | bigint }): void {
    this.#runtime.native.filterCall('hintClock', clockUs, Number(mediaTime.num), Number(mediaTime.den));
  }
  /** Sends a message to the main thread (the `onMessage` of loadPlugin's options). */
  postMessage(message: unknown): void {
    this.#runtime.postMessage(message);
  }
  /** Hand-off counters: GPAC callbacks, packets prefetched, requests served, intents applied. */
  stats(): NativePluginStats {
    return this.#runtime.native.stats();
  }

  // ------------------------------------------------------------------ status (requests: during callbacks)

  get blockEnabled(): boolean {
    return this.#runtime.native.filterQuery('blockEnabled') as boolean;
  }
  get outputBuffer(): number {
    return this.#runtime.native.filterQuery('outputBuffer') as number;
  }
  get playoutBuffer(): number {
    return this.#runtime.native.filterQuery('playoutBuffer') as number;
  }
  get sinksDone(): boolean {
    return this.#runtime.native.filterQuery('sinksDone') as boolean;
  }
  get nbEvtsQueued(): number {
    return this.#runtime.native.filterQuery('nbEvtsQueued') as number;
  }
  get clockHintTime(): number {
    return this.#runtime.native.filterQuery('clockHintTime') as number;
  }
  get clockHintMediatime(): { num: bigint; den: bigint } {
    return this.#runtime.native.filterQuery('clockHintMediatime') as { num: bigint; den: bigint };
  }
  get connectionsPending(): boolean {
    return this.#runtime.native.filterQuery('connectionsPending') as boolean;
  }
}

/** Brand checked by the worker runtime (a plugin may import FilterCustom from another copy of gpac-ts). */
Object.defineProperty(FilterCustom, Symbol.for('gpac-ts.FilterCustom'), { value: true });
