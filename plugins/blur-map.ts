// The map module of plugins/blur.ts: a box blur of the luma plane of one 8-bit planar frame, in place.
// Pure — the output depends on the frame and the options only — so ParallelMapFilter may run it on any
// thread of its pool. Separable (rows, then columns) with running sums: the cost does not grow with the
// radius; `passes` repeats it (three passes approach a Gaussian blur) and sets how much work a frame is.
import type { MapInfo } from '../src/plugin/index.js';

export interface BlurGeometry {
  width: number;
  height: number;
  /** Bytes per luma row. */
  stride: number;
}

export interface BlurOptions {
  radius?: number;
  passes?: number;
}

let scratch = new Uint8Array(0); // per thread: rows blurred, before the columns are

export default function blur(data: Uint8Array, info: MapInfo): void {
  const g = info.pid as BlurGeometry;
  const o = (info.options ?? {}) as BlurOptions;
  blurLuma(data, g, o.radius ?? 2, o.passes ?? 1);
}

export function blurLuma(data: Uint8Array, g: BlurGeometry, radius: number, passes: number): void {
  const { width: w, height: h, stride: s } = g;
  if (data.length < s * h) throw new RangeError(`blur: a ${w}x${h} frame of stride ${s} needs ${s * h} bytes of luma, the packet has ${data.length}`);
  if (scratch.length < w * h) scratch = new Uint8Array(w * h);
  const tmp = scratch;
  const n = 2 * radius + 1;
  const half = n >> 1;
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < h; y++) {
      const row = y * s;
      const at = (x: number) => data[row + (x < 0 ? 0 : x >= w ? w - 1 : x)] as number;
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += at(k);
      for (let x = 0; x < w; x++) {
        tmp[y * w + x] = ((sum + half) / n) | 0;
        sum += at(x + radius + 1) - at(x - radius);
      }
    }
    for (let x = 0; x < w; x++) {
      const at = (y: number) => tmp[(y < 0 ? 0 : y >= h ? h - 1 : y) * w + x] as number;
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += at(k);
      for (let y = 0; y < h; y++) {
        data[y * s + x] = ((sum + half) / n) | 0;
        sum += at(y + radius + 1) - at(y - radius);
      }
    }
  }
}
