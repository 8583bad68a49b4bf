// The raw-video filter of libgpac.py's examples, as a gpac-ts plugin: it takes decoded video and draws a
// horizontal line at 50% luma across the middle of each frame, either in place (newPckClone: GPAC moves
// the decoded frame into the output packet when nothing else uses it, and the view writes into it) or by
// copy (newPck(size): a new GPAC buffer, filled through its view). 8-bit planar YUV only (yuv420p …).
import { FilterCustom, type FilterPacket, type FilterPid } from '../src/plugin/index.js';
import { GF_CAPS_INPUT_OUTPUT } from '../generated/session.js';

export interface RawLineOptions {
  mode?: 'inplace' | 'copy';
  /** Luma value of the line (default 128: 50%). */
  luma?: number;
  /** Count the frames drawn on the decoder's own buffer (no copy), reported at the end. */
  countInPlace?: boolean;
}

interface Geometry {
  width: number;
  height: number;
  stride: number;
}

/** Pixel formats whose first plane is 8-bit luma. */
const PLANAR_8BIT = new Set(['yuv420', 'yvu420', 'yuv422', 'yuv444', 'nv12', 'nv21', 'grey']);

export default class RawLine extends FilterCustom {
  readonly #mode: 'inplace' | 'copy';
  readonly #luma: number;
  readonly #out = new Map<FilterPid, FilterPid>();
  readonly #geom = new Map<FilterPid, Geometry>();
  #frames = 0;
  #inPlace = 0;
  readonly #countInPlace: boolean;

  constructor(options: RawLineOptions = {}) {
    super('rawline');
    this.#mode = options.mode ?? 'inplace';
    this.#luma = options.luma ?? 128;
    this.#countInPlace = options.countInPlace ?? false;
    this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT);
    this.pushCap('CodecID', 'raw', GF_CAPS_INPUT_OUTPUT);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      this.#out.get(pid)?.remove();
      this.#out.delete(pid);
      return 0;
    }
    const width = pid.getProp('Width') as number;
    const height = pid.getProp('Height') as number;
    const pf = String(pid.getProp('PixelFormat'));
    if (!PLANAR_8BIT.has(pf)) throw new Error(`rawline: pixel format ${pf} is not 8-bit with a luma plane first`);
    const stride = (pid.getProp('Stride') as number | undefined) || width;
    this.#geom.set(pid, { width, height, stride });
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
      const g = this.#geom.get(pid)!;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const out = this.#mode === 'inplace' ? opid.newPckClone(pck) : this.#copy(opid, pck);
        if (this.#countInPlace && out.debugAddress().gpac === pck.debugAddress().gpac) this.#inPlace++;
        this.#draw(out.data!, g);
        out.send();
        this.#frames++;
        pid.dropPacket();
      }
      if (pid.eos && !opid.eos) {
        opid.eos = true;
        this.postMessage({ frames: this.#frames, inPlace: this.#inPlace, ...g });
      }
    }
    return 0;
  }

  #copy(opid: FilterPid, pck: FilterPacket): FilterPacket {
    const out = opid.newPck(pck.size);
    out.data!.set(pck.data!);
    out.copyProps(pck);
    return out;
  }

  #draw(data: Uint8Array, g: Geometry): void {
    const row = g.height >> 1;
    data.fill(this.#luma, row * g.stride, row * g.stride + g.width);
  }
}
