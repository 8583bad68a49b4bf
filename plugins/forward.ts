// The forwarding filter of libgpac.py's examples, as a gpac-ts plugin: every packet of every input PID goes
// out unchanged on an output PID of its own, made in one of the six ways GPAC offers. `mode` picks one, or
// 'cycle' uses them in turn, packet after packet:
//   forward    opid.forward(pck)                     data and properties shared
//   ref        opid.newPckRef(pck) + copyProps       data referenced
//   alloc      opid.newPck(size), data copied in JS  GPAC's memory, written through the view
//   shared     opid.newPckShared(copy of data)       JS memory lent to GPAC until packetRelease
//   copy       opid.newPckCopy(pck)                  GPAC copies data and properties
//   clone      opid.newPckClone(pck)                 GPAC moves or copies the data
import { FilterCustom, type FilterPacket, type FilterPid } from '../src/plugin/index.js';
import { GF_CAPS_INPUT_OUTPUT } from '../generated/session.js';

export const MODES = ['forward', 'ref', 'alloc', 'shared', 'copy', 'clone'] as const;
export type ForwardMode = (typeof MODES)[number];

export interface ForwardOptions {
  mode?: ForwardMode | 'cycle';
  /** Read every payload byte (a checksum), as the read-payload benchmark does. */
  readPayload?: boolean;
  /** Post a summary to the main thread at the end of each input PID. */
  report?: boolean;
}

export default class Forward extends FilterCustom {
  readonly #mode: ForwardMode | 'cycle';
  readonly #readPayload: boolean;
  readonly #report: boolean;
  readonly #out = new Map<FilterPid, FilterPid>();
  #n = 0;
  #sum = 0;
  readonly #perMode: Record<string, number> = {};
  /** Buffers lent with newPckShared, until GPAC releases them. */
  #lent = 0;
  #released = 0;
  #ended = false;

  constructor(options: ForwardOptions = {}) {
    super('forward');
    this.#mode = options.mode ?? 'forward';
    this.#readPayload = options.readPayload ?? false;
    this.#report = options.report ?? false;
    if (this.#mode !== 'cycle' && !MODES.includes(this.#mode)) throw new TypeError(`forward: unknown mode ${String(this.#mode)}`);
    this.pushCap('StreamType', 'Audio', GF_CAPS_INPUT_OUTPUT);
    this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT);
    this.setMaxPids(8);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      this.#out.get(pid)?.remove();
      this.#out.delete(pid);
      return 0;
    }
    let opid = this.#out.get(pid);
    if (!opid) {
      opid = this.newPid();
      this.#out.set(pid, opid);
    }
    opid.copyProps(pid);
    return 0;
  }

  override process(): number {
    for (const pid of this.ipids) {
      const opid = this.#out.get(pid)!;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        if (this.#readPayload) this.#checksum(pck);
        const mode = this.#mode === 'cycle' ? (MODES[this.#n % MODES.length] as ForwardMode) : this.#mode;
        this.#send(mode, pck, opid);
        this.#perMode[mode] = (this.#perMode[mode] ?? 0) + 1;
        this.#n++;
        pid.dropPacket();
      }
      if (pid.eos && !opid.eos) {
        opid.eos = true;
        this.#ended = this.ipids.every((p) => p.eos);
        if (this.#report) this.postMessage({ packets: this.#n, checksum: this.#sum, perMode: this.#perMode, lent: this.#lent, released: this.#released });
      }
    }
    return 0;
  }

  #send(mode: ForwardMode, pck: FilterPacket, opid: FilterPid): void {
    switch (mode) {
      case 'forward':
        opid.forward(pck);
        return;
      case 'ref': {
        const o = opid.newPckRef(pck);
        o.copyProps(pck);
        o.send();
        return;
      }
      case 'alloc': {
        const o = opid.newPck(pck.size);
        const src = pck.data;
        if (src) o.data!.set(src);
        copyAttributes(o, pck);
        o.send();
        return;
      }
      case 'shared': {
        const src = pck.data;
        const o = opid.newPckShared(src ? src.slice() : new Uint8Array(0));
        this.#lent++;
        copyAttributes(o, pck);
        o.send();
        return;
      }
      case 'copy':
        opid.newPckCopy(pck).send();
        return;
      case 'clone':
        opid.newPckClone(pck).send();
        return;
    }
  }

  override packetRelease(): void {
    this.#lent--;
    this.#released++;
    // Every buffer lent is back: say so (GPAC releases the last ones as the muxer writes them).
    if (this.#ended && this.#lent === 0 && this.#report) this.postMessage({ allReleased: true, released: this.#released });
  }

  #checksum(pck: FilterPacket): void {
    const d = pck.data;
    if (!d) return;
    // A 32-bit sum of every byte (| 0 keeps it in V8's integer fast path; >>> 0 reads it unsigned). The length
    // is read once: payload views get detached, and once any buffer has been detached V8 re-reads `length`
    // on every iteration of `i < d.length` (measured: 2x slower over 30 MB).
    let s = this.#sum | 0;
    const n = d.length;
    for (let i = 0; i < n; i++) s = (s + (d[i] as number)) | 0;
    this.#sum = s >>> 0;
  }
}

/** Timing, framing, flags and properties of `src` onto the output packet `o` (gf_filter_pck_merge_properties
 *  copies the packet's info along with its properties). */
export function copyAttributes(o: FilterPacket, src: FilterPacket): void {
  o.copyProps(src);
}
