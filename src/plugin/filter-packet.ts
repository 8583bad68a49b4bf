// FilterPacket: libgpac.py's FilterPacket, camelCased, in a plugin worker.
//
// Input packets are prefetched by the GPAC thread before it hands process() over (their attributes come
// in one record, no round trip per attribute). Their payload (`data`) is a zero-copy view of GPAC's
// memory, made in this worker on first access and *borrowed*: it is detached when the callback that made
// it ends or the packet is dropped, so a view kept too long has byteLength 0 instead of pointing at freed
// memory. Keep a packet with ref()/unref() (or `using p = pck.retain()`): its view then lives until the
// last unref. Input packets are read-only by contract (a JS view cannot be made read-only).
//
// Output packets (newPck, newPckRef, newPckCopy, newPckClone, newPckShared) are GPAC's: their attributes
// are set by intents applied on the GPAC thread in call order; newPck(size) and copies give a writable view
// of GPAC's own buffer, detached at send()/discard().
import type { NativePropEntry, PckFieldName } from '../native.js';
import type { PropertyInputOf, PropertyMap, PropertyOf, PropertyType } from '../properties.js';
import type { PluginRuntime } from './runtime.js';
import { Pck, PckFlag, Tape } from './native-worker.js';
import type { FilterPid } from './filter-pid.js';
import { enumerateProps, propsObject, type PropEnumCallback } from '../prop-enum.js';
import { stateError } from '../errors.js';

const TOKEN = Symbol('gpac-ts FilterPacket');

const enum State {
  Queued, // input, in its PID's queue
  Held, // input, dropped but ref()'d
  Output, // made by this filter, not sent yet
  Dangling, // clone(): a copy in JS memory, detached from GPAC
  Released,
}

export class FilterPacket {
  /** @internal native packet id */
  readonly _id: number;
  readonly #runtime: PluginRuntime;
  #rec: Float64Array | null;
  #off: number;
  #state: State;
  #refs = 0;
  #view: Uint8Array | null = null;
  #viewKey = 0;
  #registered = false;
  /** The output PID of an output packet. */
  readonly #opid: FilterPid | null;
  /** A clone's own payload and properties (it has no GPAC packet). */
  #own: Uint8Array | null = null;
  #ownProps: NativePropEntry[] = [];
  /** The buffer lent to GPAC (newPckShared). */
  #lent: Uint8Array | null = null;

  /** @internal */
  private constructor(token: symbol, runtime: PluginRuntime, id: number, kind: 'input' | 'output' | 'dangling', rec: Float64Array | null, off: number, opid: FilterPid | null) {
    if (token !== TOKEN) throw new TypeError('FilterPacket objects come from FilterPid.getPacket() and the newPck* methods');
    this.#runtime = runtime;
    this._id = id;
    this.#rec = rec;
    this.#off = off;
    this.#opid = opid;
    this.#state = kind === 'input' ? State.Queued : kind === 'output' ? State.Output : State.Dangling;
    if (kind === 'output') this.#register();
  }

  /** @internal */
  static input(runtime: PluginRuntime, rec: Float64Array, off: number): FilterPacket {
    return new FilterPacket(TOKEN, runtime, rec[off + Pck.Id] as number, 'input', rec, off, null);
  }
  /** @internal */
  static output(runtime: PluginRuntime, id: number, opid: FilterPid | null): FilterPacket {
    return new FilterPacket(TOKEN, runtime, id, 'output', null, 0, opid);
  }

  // ------------------------------------------------------------------ attributes

  #field(f: number): number {
    if (this.#state === State.Released) throw this.#released('read an attribute of');
    if (!this.#rec) {
      this.#rec = this.#runtime.native.pckInfo(this._id);
      this.#off = 0;
    }
    return this.#rec[this.#off + f] as number;
  }

  #set(field: PckFieldName, value: number | boolean | null, value2?: boolean): void {
    if (this.#state === State.Released) throw this.#released(`set ${field} of`);
    if (this.#state === State.Queued || this.#state === State.Held)
      throw new TypeError(`${field}: input packets are read-only (make an output packet with newPckRef/newPckCopy/newPckClone and set it there)`);
    this.#runtime.native.pckSet(this._id, field, value, value2);
    this.#rec = null; // re-read after the intent is applied
  }

  #ts(f: number): number | null {
    const v = this.#field(f);
    return v < 0 ? null : v;
  }

  /** Decoding timestamp in `timescale` units, or null (GF_FILTER_NO_TS). */
  get dts(): number | null {
    return this.#ts(Pck.Dts);
  }
  set dts(v: number | null) {
    this.#set('dts', tsArg('dts', v));
  }
  /** Composition timestamp, or null. */
  get cts(): number | null {
    return this.#ts(Pck.Cts);
  }
  set cts(v: number | null) {
    this.#set('cts', tsArg('cts', v));
  }
  /** SAP type (GF_FILTER_SAP_*). */
  get sap(): number {
    return this.#field(Pck.Sap);
  }
  set sap(v: number) {
    this.#set('sap', intArg('sap', v, 0, 6));
  }
  /** Duration in `timescale` units. */
  get dur(): number {
    return this.#field(Pck.Dur);
  }
  set dur(v: number) {
    this.#set('dur', intArg('dur', v, 0, 0xffffffff));
  }
  /** Payload size in bytes. */
  get size(): number {
    return this.#field(Pck.Size);
  }
  get start(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.Start) !== 0;
  }
  set start(v: boolean) {
    this.#set('framing', !!v, this.end);
  }
  get end(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.End) !== 0;
  }
  set end(v: boolean) {
    this.#set('framing', this.start, !!v);
  }
  get timescale(): number {
    return this.#field(Pck.Timescale);
  }
  get interlaced(): number {
    return this.#field(Pck.Interlaced);
  }
  set interlaced(v: number) {
    this.#set('interlaced', intArg('interlaced', v, 0, 2));
  }
  get corrupted(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.Corrupted) !== 0;
  }
  set corrupted(v: boolean) {
    this.#set('corrupted', !!v);
  }
  get seek(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.Seek) !== 0;
  }
  set seek(v: boolean) {
    this.#set('seek', !!v);
  }
  /** Byte offset in the source, or null (GF_FILTER_NO_BO). */
  get byteOffset(): number | null {
    return this.#ts(Pck.ByteOffset);
  }
  set byteOffset(v: number | null) {
    this.#set('byteOffset', tsArg('byteOffset', v));
  }
  get roll(): number {
    return this.#field(Pck.Roll);
  }
  set roll(v: number) {
    this.#set('roll', intArg('roll', v, -32768, 32767));
  }
  get crypt(): number {
    return this.#field(Pck.Crypt);
  }
  set crypt(v: number) {
    this.#set('crypt', intArg('crypt', v, 0, 255));
  }
  /** Clock type (GF_FILTER_CLOCK_*). */
  get clock(): number {
    return this.#field(Pck.Clock);
  }
  set clock(v: number) {
    this.#set('clock', intArg('clock', v, 0, 2));
  }
  get carousel(): number {
    return this.#field(Pck.Carousel);
  }
  set carousel(v: number) {
    this.#set('carousel', intArg('carousel', v, 0, 255));
  }
  get seqnum(): number {
    return this.#field(Pck.Seqnum);
  }
  set seqnum(v: number) {
    this.#set('seqnum', intArg('seqnum', v, 0, 0xffffffff));
  }
  get deps(): number {
    return this.#field(Pck.Deps);
  }
  set deps(v: number) {
    this.#set('deps', intArg('deps', v, 0, 255));
  }
  /** The packet carries a frame interface (GPU frame, no data). */
  get frameIfce(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.FrameIfce) !== 0;
  }
  /** Its frame interface gives OpenGL textures. */
  get frameIfceGl(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.FrameIfceGl) !== 0;
  }
  get hasProperties(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.HasProps) !== 0;
  }
  /** A blocking reference: holding it stalls its producer (drop it soon). */
  get blockingRef(): boolean {
    return (this.#field(Pck.Flags) & PckFlag.BlockingRef) !== 0;
  }
  /** True for packets of an input PID. */
  get isInput(): boolean {
    return this.#state === State.Queued || this.#state === State.Held || (this.#state === State.Released && this.#opid === null && this.#rec !== null);
  }

  /**
   * The payload: a view of GPAC's memory (no copy), or null when the packet has none. Input payloads are
   * read-only and detached when the callback ends (unless ref()'d) or the packet is dropped; output payloads
   * are writable until send()/discard().
   */
  get data(): Uint8Array | null {
    if (this.#state === State.Released) throw this.#released('read the data of');
    if (this.#state === State.Dangling) return this.#own;
    if (this.#view && this.#view.byteLength > 0) return this.#view;
    if (this.#rec && (this.#field(Pck.Flags) & PckFlag.HasData) === 0) return null;
    const r = this.#runtime.native.pckView(this._id);
    if (!r) return null;
    this.#view = new Uint8Array(r[0]);
    this.#viewKey = r[1];
    if (this.#state === State.Queued || this.#state === State.Held) this.#runtime.borrowed(this);
    return this.#view;
  }

  /**
   * A debugging aid that shows views are not copies: `gpac` is the payload address GPAC reports for this
   * packet now (gf_filter_pck_get_data), `view` the memory the current `data` view reads (null without a
   * view; or of `of`, e.g. the buffer given to newPckShared). A GPAC thread answers: call it during callbacks.
   */
  debugAddress(of?: Uint8Array): { gpac: bigint; view: bigint | null } {
    if (this.#state === State.Released) throw this.#released('read the address of');
    if (this.#state === State.Dangling) throw new TypeError('debugAddress: a clone lives in JavaScript memory, not GPAC\'s');
    const v = of ?? (this.#view && this.#view.byteLength > 0 ? this.#view : null);
    const r = this.#runtime.native.pckAddress(this._id, v ? (v.buffer as ArrayBuffer) : undefined);
    if (r.view !== null && v) r.view += BigInt(v.byteOffset);
    return r;
  }

  // ------------------------------------------------------------------ properties

  /** A packet property by name or 4CC, or undefined. */
  getProp<K extends string | number>(name: K): PropertyOf<K> | undefined {
    if (this.#state === State.Released) throw this.#released('read a property of');
    if (this.#state === State.Dangling) {
      const e = this.#ownProps.find(([n, , , code]) => n === name || (typeof name === 'number' && code === name));
      return e?.[1] as PropertyOf<K> | undefined;
    }
    return this.#runtime.native.pckProp(this._id, name) as PropertyOf<K> | undefined;
  }
  /** Every property, by name. */
  get props(): PropertyMap {
    if (this.#state === State.Released) throw this.#released('read the properties of');
    return propsObject(this.#state === State.Dangling ? this.#ownProps : this.#runtime.native.pckProps(this._id));
  }
  /** libgpac.py's enum_props: cb(name, value, type) or cb.onPropEnum(name, value, type) per property. */
  enumProps(cb: PropEnumCallback): void {
    if (this.#state === State.Released) throw this.#released('read the properties of');
    enumerateProps(this.#state === State.Dangling ? this.#ownProps : this.#runtime.native.pckProps(this._id), cb);
  }
  /** Sets (or with null removes) a property of an output packet. `type` for user-defined ones ('uint', 'str' …). */
  setProp<K extends string | number>(name: K, value: PropertyInputOf<K> | null, type?: PropertyType): void {
    this.#outputOnly('setProp');
    this.#runtime.native.pckSetProp(this._id, name, value, type);
  }
  /** Copies the properties of `src` into this output packet (gf_filter_pck_merge_properties). */
  copyProps(src: FilterPacket): void {
    this.#outputOnly('copyProps');
    this.#runtime.native.pckMergeProps(checkPacket(src, 'copyProps')._id, this._id);
  }

  // ------------------------------------------------------------------ lifetime

  /** Keeps this input packet (and its payload view) beyond drop and the callback, until unref(). */
  ref(): this {
    if (this.#state === State.Released) throw this.#released('ref');
    if (this.#state === State.Output) throw new TypeError('ref: output packets are kept until send() or discard()');
    this.#refs++;
    this.#register();
    return this;
  }
  /** `using pck = ipck.retain()`: ref() released at the end of the scope. */
  retain(): this {
    return this.ref();
  }
  unref(): void {
    if (this.#refs === 0) throw new Error('unref: the packet was not ref()\'d');
    this.#refs--;
    if (this.#refs > 0) return;
    if (this.#state === State.Held) this.#release();
    else if (this.#state === State.Dangling) this.#end();
  }
  [Symbol.dispose](): void {
    if (this.#refs > 0) this.unref();
  }

  /** Sends this output packet on its PID. */
  send(): void {
    this.#outputOnly('send');
    if (this.#lent && isDetached(this.#lent.buffer))
      throw new TypeError('send: the buffer lent with newPckShared() was detached (transferred) since: GPAC would read memory it no longer owns; discard() the packet');
    this.#detachView();
    this.#runtime.record(Tape.Send, this._id);
    if (this.#opid) this.#opid._eosSet = false;
    this.#end();
  }
  /** Destroys an output packet (or a clone) without sending it. */
  discard(): void {
    if (this.#state !== State.Output && this.#state !== State.Dangling)
      throw new TypeError(this.#state === State.Released ? 'discard: the packet was already released' : 'discard: input packets are dropped with pid.dropPacket()');
    if (this.#state === State.Output) {
      this.#detachView();
      this.#runtime.native.pckOp(this._id, 'discard');
    }
    this.#end();
  }
  /**
   * Marks the data of a packet made with newPckShared or newPckRef read-only for the filters downstream
   * (GPAC's mark for memory it does not own). Any other packet's memory is GPAC's: a TypeError.
   */
  readonly(): void {
    this.#outputOnly('readonly');
    this.#runtime.native.pckOp(this._id, 'readonly');
  }
  /** Truncates an output packet's payload to `size` bytes. */
  truncate(size: number): void {
    this.#outputOnly('truncate');
    this.#detachView();
    this.#runtime.native.pckOp(this._id, 'truncate', intArg('truncate', size, 0, 0xffffffff));
    this.#rec = null;
  }
  /**
   * A copy of this packet detached from GPAC: attributes, properties and payload copied into JavaScript
   * memory, to keep as long as wanted (libgpac.py's clone(); `cached` is accepted for compatibility and
   * ignored). A frame-interface packet (GPU frame) has no payload to copy: its clone's data is null.
   */
  clone(cached?: FilterPacket): FilterPacket {
    if (this.#state === State.Released) throw this.#released('clone');
    if (cached) checkPacket(cached, 'clone');
    const c = new FilterPacket(TOKEN, this.#runtime, 0, 'dangling', this.#record(), 0, null);
    const d = this.data;
    c.#own = d ? d.slice() : null;
    c.#ownProps = this.#state === State.Dangling ? this.#ownProps : this.#runtime.native.pckProps(this._id);
    return c;
  }

  #record(): Float64Array {
    if (!this.#rec) {
      this.#rec = this.#runtime.native.pckInfo(this._id);
      this.#off = 0;
    }
    return this.#rec.slice(this.#off, this.#off + Pck.Fields);
  }

  // ------------------------------------------------------------------ internals

  /** @internal pid.dropPacket(): out of the queue; released unless ref()'d. */
  _dropped(): void {
    if (this.#state !== State.Queued) return;
    if (this.#refs > 0) {
      this.#state = State.Held;
      this.#runtime.record(Tape.Drop, this._id, 0);
    } else {
      this.#detachView();
      this.#runtime.record(Tape.Drop, this._id, 1);
      this.#state = State.Released;
    }
  }

  /** @internal the callback that made the view ended. */
  _callbackEnded(): void {
    if (this.#refs === 0) this.#detachView();
  }

  /** @internal newPckShared: the buffer this packet's payload is. */
  _lend(data: Uint8Array): void {
    this.#lent = data;
  }

  /** @internal the shared buffer's packet was released by GPAC. */
  _sharedReleased(): void {
    this.#end();
  }

  #release(): void {
    this.#detachView();
    this.#runtime.native.pckRelease(this._id);
    this.#end();
  }

  #end(): void {
    this.#state = State.Released;
    this.#view = null;
    this.#lent = null;
    if (this.#registered) this.#runtime.finalizers.unregister(this);
    this.#registered = false;
  }

  #register(): void {
    // GC backstop for packets the plugin forgets: the release is queued to the GPAC thread, never done here.
    if (this.#registered) return;
    this.#registered = true;
    this.#runtime.finalizers.register(this, this._id, this);
  }

  #detachView(): void {
    if (!this.#view) return;
    this.#runtime.native.pckDetach(this.#view.buffer as ArrayBuffer, this.#viewKey);
    this.#view = null;
  }

  #outputOnly(op: string): void {
    if (this.#state === State.Released) throw this.#released(op);
    if (this.#state !== State.Output)
      throw new TypeError(`${op}: only for output packets (made with newPck, newPckRef, newPckCopy, newPckClone or newPckShared)`);
  }

  /** @internal Throws the released-packet error when this packet was released. */
  _checkLive(op: string): void {
    if (this.#state === State.Released) throw this.#released(op);
  }

  #released(op: string): Error {
    return stateError(`cannot ${op} a packet that was released (dropped, sent, discarded or unref'd)`, 'ERR_GPAC_PACKET_RELEASED');
  }
}

/** @internal A buffer moved away (transferred): reading it gives nothing, and GPAC would read memory it no longer owns. */
export function isDetached(b: ArrayBufferLike): boolean {
  if (b.byteLength !== 0) return false;
  try {
    new Uint8Array(b);
    return false;
  } catch {
    return true;
  }
}

function tsArg(what: string, v: number | null): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new TypeError(`${what}: expected a non-negative safe integer or null, received ${String(v)}`);
  return v;
}

function intArg(what: string, v: number, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what}: expected an integer in [${lo}, ${hi}], received ${String(v)}`);
  return v;
}

/** @internal */
export function checkPacket(p: unknown, op: string): FilterPacket {
  if (!(p instanceof FilterPacket)) throw new TypeError(`${op}: expected a FilterPacket, received ${p === null ? 'null' : typeof p}`);
  return p;
}

/**
 * @internal A packet GPAC still holds for this filter: not released (dropped, sent, discarded, unref'd), so that
 * forward() and newPck{Ref,Copy,Clone}() never act silently on nothing; with `inputOnly`, an input packet
 * (forward() of an output packet would hand GPAC a packet it then owns twice).
 */
export function checkLivePacket(p: unknown, op: string, inputOnly = false): FilterPacket {
  const pck = checkPacket(p, op);
  pck._checkLive(op);
  if (inputOnly && !pck.isInput) throw new TypeError(`${op}: expected an input packet (from getPacket()), received an output packet: send() it instead`);
  return pck;
}
