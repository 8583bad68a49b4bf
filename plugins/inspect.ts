// The inspection sink of libgpac.py's examples, as a gpac-ts plugin: it starts each input PID (PLAY),
// records its properties, and for every packet its DTS, CTS, SAP, duration, size and the CRC32 of its
// payload (read through the zero-copy view). With `report`, it posts what it saw to the main thread when
// a PID ends.
import { FilterCustom, FilterEvent, type FilterPid } from '../src/plugin/index.js';
import { GF_CAPS_INPUT } from '../generated/session.js';

export interface InspectedPacket {
  dts: number | null;
  cts: number | null;
  sap: number;
  dur: number;
  size: number;
  crc: number | null;
}

export interface InspectedPid {
  name: string;
  props: Record<string, unknown>;
  /** How many times configurePid was called for it (1 unless reconfigured). */
  configures: number;
  packets: InspectedPacket[];
}

export interface InspectOptions {
  /** Post { pid: InspectedPid } per PID at its end of stream. */
  report?: boolean;
  /** Read at most one packet per PID per process() call (the libgpac.py example's loop). */
  onePerCall?: boolean;
}

// The CRC GPAC's inspect prints (gf_crc_32): MPEG-2's CRC-32 (polynomial 0x04C11DB7, MSB first, no final xor).
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(d: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < d.length; i++) c = ((c << 8) ^ (CRC_TABLE[((c >>> 24) ^ (d[i] as number)) & 0xff] as number)) >>> 0;
  return c;
}

export default class Inspect extends FilterCustom {
  readonly #report: boolean;
  readonly #onePerCall: boolean;
  readonly #seen = new Map<FilterPid, InspectedPid>();
  readonly #done = new Set<FilterPid>();

  constructor(options: InspectOptions = {}) {
    super('inspect');
    this.#report = options.report ?? true;
    this.#onePerCall = options.onePerCall ?? false;
    this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT);
    this.pushCap('StreamType', 'Audio', GF_CAPS_INPUT);
    this.setMaxPids(8);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) return 0;
    let rec = this.#seen.get(pid);
    if (!rec) {
      // A sink starts its inputs itself.
      pid.sendEvent(new FilterEvent('GF_FEVT_PLAY'));
      rec = { name: pid.name, props: {}, configures: 0, packets: [] };
      this.#seen.set(pid, rec);
    }
    rec.configures++;
    pid.enumProps((name, value) => {
      rec.props[name] = value;
    });
    return 0;
  }

  override process(): number {
    for (const pid of this.ipids) {
      const rec = this.#seen.get(pid)!;
      for (let pck = pid.getPacket(); pck; pck = this.#onePerCall ? null : pid.getPacket()) {
        const data = pck.data;
        rec.packets.push({ dts: pck.dts, cts: pck.cts, sap: pck.sap, dur: pck.dur, size: pck.size, crc: data ? crc32(data) : null });
        pid.dropPacket();
      }
      if (pid.eos && !this.#done.has(pid)) {
        this.#done.add(pid);
        if (this.#report) this.postMessage({ pid: rec });
      }
    }
    return 0;
  }
}
