// FilterPid: libgpac.py's FilterPid, camelCased, in a plugin worker — an input PID of the plugin
// (given to configurePid) or an output PID (from newPid()).
//
// Input PIDs: getPacket()/dropPacket() work on the packets the GPAC thread prefetched before handing
// process() over (no round trip per packet). Buffer levels add those prefetched packets to what GPAC still
// queues, so they read as GPAC's would without prefetching.
// Output PIDs: forward() and the six ways to make a packet; property writes are intents applied in order.
import type { PidQueryName } from '../native.js';
import type { PropertyInputOf, PropertyMap, PropertyOf, PropertyType } from '../properties.js';
import type { FilterEvent } from './filter-event.js';
import { checkLivePacket, FilterPacket } from './filter-packet.js';
import type { PluginRuntime } from './runtime.js';
import { Tape } from './native-worker.js';
import { stateError } from '../errors.js';
import { enumerateProps, propsObject, type PropEnumCallback } from '../prop-enum.js';

const TOKEN = Symbol('gpac-ts FilterPid');

/** gf_filter_pid_get_buffer_occupancy. */
export interface BufferOccupancy {
  maxUnits: number;
  nbPck: number;
  maxDur: number;
  dur: number;
  isFinalFlush: boolean;
}

export class FilterPid {
  /** @internal native PID id */
  readonly _id: number;
  /** True for an input PID of this filter, false for an output PID. */
  readonly isInput: boolean;
  readonly #runtime: PluginRuntime;
  /** @internal prefetched packets (from _head on) */
  _queue: FilterPacket[] = [];
  /** @internal */
  _head = 0;
  /** @internal GPAC's end-of-stream state when process() was handed over */
  _eos = false;
  /** @internal */
  _removed = false;
  /** @internal output: end of stream was signalled and no packet was sent since */
  _eosSet = false;

  /** @internal */
  private constructor(token: symbol, runtime: PluginRuntime, id: number, isInput: boolean) {
    if (token !== TOKEN) throw new TypeError('FilterPid objects come from configurePid() and FilterCustom.newPid()');
    this.#runtime = runtime;
    this._id = id;
    this.isInput = isInput;
  }

  /** @internal */
  static make(runtime: PluginRuntime, id: number, isInput: boolean): FilterPid {
    return new FilterPid(TOKEN, runtime, id, isInput);
  }

  // ------------------------------------------------------------------ input packets

  /** The first packet of this input PID, or null when none is queued. */
  getPacket(): FilterPacket | null {
    this.#inputOnly('getPacket');
    return this._head < this._queue.length ? (this._queue[this._head] as FilterPacket) : null;
  }

  /** Drops the first packet (it is released unless ref()'d). */
  dropPacket(): void {
    this.#inputOnly('dropPacket');
    if (this._head >= this._queue.length) return;
    const p = this._queue[this._head] as FilterPacket;
    this._queue[this._head++] = undefined as unknown as FilterPacket;
    if (this._head > 64 && this._head * 2 > this._queue.length) {
      this._queue = this._queue.slice(this._head);
      this._head = 0;
    }
    p._dropped();
  }

  /** @internal packets the GPAC thread prefetched for this PID */
  _push(p: FilterPacket): void {
    this._queue.push(p);
  }

  /** @internal the PID is gone: its queued packets are released */
  _remove(): void {
    while (this._head < this._queue.length) this.dropPacket();
    this._queue = [];
    this._head = 0;
    this._removed = true;
  }

  /** Number of prefetched packets. */
  get #queued(): number {
    return this._queue.length - this._head;
  }

  // ------------------------------------------------------------------ state

  /**
   * Input: end of stream reached and no packet left. Output: set it to signal end of stream; reads true
   * until a packet is sent again.
   */
  get eos(): boolean {
    if (!this.isInput) return this._eosSet;
    return this.#queued === 0 && this._eos;
  }
  set eos(v: boolean) {
    if (this.isInput) throw new TypeError('eos: end of stream is set on output PIDs');
    this.#live('eos');
    if (v) {
      this.#runtime.native.pidSet(this._id, 'eos');
      this._eosSet = true;
    }
  }
  /** End of stream was seen upstream but has not reached this filter yet. */
  get hasSeenEos(): boolean {
    return this.#q('hasSeenEos') as boolean;
  }
  /** End of stream was received but packets are still pending. */
  get eosReceived(): boolean {
    return this.#q('eosReceived') as boolean;
  }
  get wouldBlock(): boolean {
    return this.#q('wouldBlock') as boolean;
  }
  get sparse(): boolean {
    return this.#q('sparse') as boolean;
  }
  /** Maximum buffer of the PID, microseconds. */
  get maxBuffer(): number {
    return this.#q('maxBuffer') as number;
  }
  set maxBuffer(us: number) {
    this.#live('maxBuffer');
    this.#runtime.native.pidSet(this._id, 'maxBuffer', us);
  }
  /** Buffered duration, microseconds (input: GPAC's queue plus the prefetched packets). */
  get buffer(): number {
    return (this.#q('buffer') as number) + this.#prefetchedUs();
  }
  get bufferFull(): boolean {
    return this.#q('bufferFull') as boolean;
  }
  get bufferTotal(): number {
    return (this.#q('bufferTotal') as number) + this.#prefetchedUs();
  }
  /** No packet pending. */
  get firstEmpty(): boolean {
    if (this.isInput && this.#queued > 0) return false;
    return this.#q('firstEmpty') as boolean;
  }
  /** CTS of the first pending packet, or null. */
  get firstCts(): number | null {
    const p = this.isInput ? this.getPacket() : null;
    if (p) return p.cts;
    return this.#q('firstCts') as number | null;
  }
  /** Packets queued on this input PID (GPAC's and prefetched). */
  get nbPckQueued(): number {
    return (this.#q('nbPckQueued') as number) + (this.isInput ? this.#queued : 0);
  }
  get timescale(): number {
    return this.#q('timescale') as number;
  }
  get minPckDur(): number {
    return this.#q('minPckDur') as number;
  }
  get playing(): boolean {
    return this.#q('playing') as boolean;
  }
  get nextTs(): number {
    return this.#q('nextTs') as number;
  }
  get name(): string {
    return this.#q('name') as string;
  }
  set name(v: string) {
    if (typeof v !== 'string') throw new TypeError(`name: expected a string, received ${typeof v}`);
    this.#live('name');
    this.#runtime.native.pidSet(this._id, 'name', v);
  }
  /** Name of the filter owning the PID. */
  get filterName(): string {
    return this.#q('filterName') as string;
  }

  #prefetchedUs(): number {
    if (!this.isInput) return 0;
    let us = 0;
    for (let i = this._head; i < this._queue.length; i++) {
      const p = this._queue[i] as FilterPacket;
      const ts = p.timescale;
      if (ts) us += (p.dur * 1e6) / ts;
    }
    return Math.round(us);
  }

  #q(what: PidQueryName, a?: unknown, b?: unknown, c?: unknown): unknown {
    return this.#runtime.native.pidQuery(this._id, what, a, b, c);
  }

  #inputOnly(op: string): void {
    if (!this.isInput) throw new TypeError(`${op}: only for input PIDs`);
  }
  #outputOnly(op: string): void {
    if (this.isInput) throw new TypeError(`${op}: only for output PIDs`);
    this.#live(op);
  }
  /** A call on a PID that is gone would otherwise do nothing, silently (GPAC ignores it). */
  #live(op: string): void {
    if (this._removed)
      throw stateError(`${op}: this ${this.isInput ? 'input PID was removed by its source' : 'output PID was removed (remove())'}`, 'ERR_GPAC_PID_GONE');
  }

  // ------------------------------------------------------------------ properties

  /** A property by name or 4CC, or undefined; built-in properties are typed by name (PropertyValueTypes). */
  getProp<K extends string | number>(name: K): PropertyOf<K> | undefined {
    return this.#runtime.native.pidProp(this._id, name, false) as PropertyOf<K> | undefined;
  }
  /** A property looked up along the chain (gf_filter_pid_get_info). */
  getInfo<K extends string | number>(name: K): PropertyOf<K> | undefined {
    return this.#runtime.native.pidProp(this._id, name, true) as PropertyOf<K> | undefined;
  }
  /** Every property, by name. */
  get props(): PropertyMap {
    return propsObject(this.#runtime.native.pidProps(this._id));
  }
  /** libgpac.py's enum_props: cb(name, value, type) or cb.onPropEnum(name, value, type). */
  enumProps(cb: PropEnumCallback): void {
    enumerateProps(this.#runtime.native.pidProps(this._id), cb);
  }
  /**
   * Sets (null: removes) a property of this output PID; built-in properties take the generated input type
   * (PropertyInputTypes), `type` is for user-defined ones ('uint', 'str' …).
   */
  setProp<K extends string | number>(name: K, value: PropertyInputOf<K> | null, type?: PropertyType): void {
    this.#outputOnly('setProp');
    this.#runtime.native.pidSetProp(this._id, name, value, type, false);
  }
  /** Sets an info property (not triggering reconfiguration downstream). */
  setInfo<K extends string | number>(name: K, value: PropertyInputOf<K> | null, type?: PropertyType): void {
    this.#outputOnly('setInfo');
    this.#runtime.native.pidSetProp(this._id, name, value, type, true);
  }
  /** Copies every property of `src` (an input PID) onto this output PID. */
  copyProps(src: FilterPid): void {
    this.#outputOnly('copyProps');
    const from = checkPid(src, 'copyProps');
    from.#live('copyProps (source)');
    this.#runtime.native.pidCopyProps(this._id, from._id);
  }
  resetProps(): void {
    this.#outputOnly('resetProps');
    this.#runtime.native.pidResetProps(this._id);
  }

  // ------------------------------------------------------------------ events and control

  sendEvent(evt: FilterEvent): void {
    if (!evt || typeof (evt as { toNative?: unknown }).toNative !== 'function') throw new TypeError('sendEvent: expected a FilterEvent');
    this.#live('sendEvent');
    this.#runtime.native.pidSendEvent(this._id, evt.toNative());
  }
  /** Removes this output PID. */
  remove(): void {
    this.#outputOnly('remove');
    this.#runtime.native.pidSet(this._id, 'remove');
    this._removed = true;
    this.#runtime.outputRemoved(this);
  }
  clearEos(allPids = false): void {
    this.#live('clearEos');
    this.#runtime.native.pidSet(this._id, 'clearEos', allPids);
  }
  /** The PID's properties match the filter's capabilities. */
  checkCaps(): boolean {
    return this.#q('checkCaps') as boolean;
  }
  discardBlock(): void {
    this.#live('discardBlock');
    this.#runtime.native.pidSet(this._id, 'discardBlock');
  }
  allowDirectDispatch(): void {
    this.#live('allowDirectDispatch');
    this.#runtime.native.pidSet(this._id, 'allowDirectDispatch');
  }
  getClockType(): number {
    return this.#q('clockType') as number;
  }
  getClockTimestamp(): { num: bigint; den: bigint } {
    return this.#q('clockTimestamp') as { num: bigint; den: bigint };
  }
  getBufferOccupancy(): BufferOccupancy {
    return this.#q('bufferOccupancy') as BufferOccupancy;
  }
  looseConnect(): void {
    this.#live('looseConnect');
    this.#runtime.native.pidSet(this._id, 'looseConnect');
  }
  setFraming(framed: boolean): void {
    this.#live('setFraming');
    this.#runtime.native.pidSet(this._id, 'framing', !!framed);
  }
  setClockMode(mode: boolean): void {
    this.#live('setClockMode');
    this.#runtime.native.pidSet(this._id, 'clockMode', !!mode);
  }
  setDiscard(discard: boolean): void {
    this.#live('setDiscard');
    this.#runtime.native.pidSet(this._id, 'discard', !!discard);
  }
  requireSourceId(): void {
    this.#live('requireSourceId');
    this.#runtime.native.pidSet(this._id, 'requireSourceId');
  }
  recomputeDts(on: boolean): void {
    this.#live('recomputeDts');
    this.#runtime.native.pidSet(this._id, 'recomputeDts', !!on);
  }
  /** A capability the destination of this output PID asks for, or null. */
  queryCap<K extends string | number>(name: K): PropertyOf<K> | null {
    this.#outputOnly('queryCap');
    return this.#runtime.native.pidQueryCap(this._id, name) as PropertyOf<K> | null;
  }
  /** Asks the source of this input PID for another value of a property (capability negotiation). */
  negotiateCap<K extends string | number>(name: K, value: PropertyInputOf<K>, type?: PropertyType): void {
    this.#inputOnly('negotiateCap');
    this.#live('negotiateCap');
    this.#runtime.native.pidNegotiateCap(this._id, name, value, type);
  }
  /** Resolves a file template ($Number$, $RepresentationID$ …) for this PID. */
  resolveTemplate(template: string, fileIndex = 0, suffix?: string): string {
    if (typeof template !== 'string') throw new TypeError(`resolveTemplate: expected a string, received ${typeof template}`);
    return this.#q('resolveTemplate', template, fileIndex, suffix) as string;
  }

  // ------------------------------------------------------------------ output packets

  /** Forwards an input packet unchanged (data shared, properties copied). */
  forward(pck: FilterPacket): void {
    this.#outputOnly('forward');
    this.#runtime.record(Tape.Forward, this._id, checkLivePacket(pck, 'forward', true)._id);
    this._eosSet = false;
  }
  /** A new packet referencing `pck`'s data (all of it, or `size` bytes from `offset`). */
  newPckRef(pck: FilterPacket, size = 0, offset = 0): FilterPacket {
    this.#outputOnly('newPckRef');
    return FilterPacket.output(this.#runtime, this.#runtime.native.newPckRef(this._id, checkLivePacket(pck, 'newPckRef')._id, size, offset), this);
  }
  /** A new packet of `size` bytes allocated by GPAC; `data` is a writable view of that memory. */
  newPck(size = 0): FilterPacket {
    this.#outputOnly('newPck');
    return FilterPacket.output(this.#runtime, this.#runtime.native.newPck(this._id, size), this);
  }
  /**
   * A new packet whose data is `data` itself (no copy): the buffer is kept alive until GPAC releases the
   * packet, then the filter's packetRelease(pid, pck) is called. It cannot be moved away meanwhile: it is marked
   * untransferable (worker_threads.markAsUntransferable, for good), so a postMessage() transfer list copies it; a
   * detached or resizable buffer is refused, and one detached by other means fails send() or the session.
   */
  newPckShared(data: Uint8Array): FilterPacket {
    this.#outputOnly('newPckShared');
    if (!(data instanceof Uint8Array)) throw new TypeError(`newPckShared: expected a Uint8Array, received ${data === null ? 'null' : typeof data}`);
    return this.#runtime.newShared(this, data);
  }
  /** A new packet with a copy of `pck`'s data and properties. */
  newPckCopy(pck: FilterPacket): FilterPacket {
    this.#outputOnly('newPckCopy');
    return FilterPacket.output(this.#runtime, this.#runtime.native.newPckCopy(this._id, checkLivePacket(pck, 'newPckCopy')._id, false), this);
  }
  /** A new packet cloning `pck`: its data is moved when nothing else uses it (write in place), else copied. */
  newPckClone(pck: FilterPacket): FilterPacket {
    this.#outputOnly('newPckClone');
    return FilterPacket.output(this.#runtime, this.#runtime.native.newPckCopy(this._id, checkLivePacket(pck, 'newPckClone')._id, true), this);
  }
}

/** @internal */
export function checkPid(p: unknown, op: string): FilterPid {
  if (!(p instanceof FilterPid)) throw new TypeError(`${op}: expected a FilterPid, received ${p === null ? 'null' : typeof p}`);
  return p;
}
