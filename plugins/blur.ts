// A parallel map plugin: blurs the luma plane of decoded video (8-bit planar formats), one frame per task
// on a piscina pool. The per-frame work is plugins/blur-map.ts; this module only says which PIDs it takes
// and what the map function needs to know about them (geometry). threads: 0 blurs serially.
import { ParallelMapFilter, type FilterPid } from '../src/plugin/index.js';
import { GF_CAPS_INPUT_OUTPUT } from '../generated/session.js';
import type { BlurGeometry, BlurOptions } from './blur-map.js';

export interface BlurPluginOptions extends BlurOptions {
  /** Pool threads (default: the machine's parallelism); 0: serial, in the plugin's worker. */
  threads?: number;
  /** Frames being blurred at once at most (default 2 × threads). */
  window?: number;
}

const PLANAR_8BIT = new Set(['yuv420', 'yvu420', 'yuv422', 'yuv444', 'nv12', 'nv21', 'grey']);

export default class Blur extends ParallelMapFilter {
  constructor(options: BlurPluginOptions = {}) {
    super('blur', {
      // The map module next to this one (blur-map.ts, or .js once compiled).
      map: new URL(import.meta.url.endsWith('.ts') ? './blur-map.ts' : './blur-map.js', import.meta.url),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.window !== undefined ? { window: options.window } : {}),
      mapOptions: { radius: options.radius ?? 2, passes: options.passes ?? 1 },
    });
    this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT);
    this.pushCap('CodecID', 'raw', GF_CAPS_INPUT_OUTPUT);
  }

  protected override pidInfo(pid: FilterPid): BlurGeometry {
    const pf = String(pid.getProp('PixelFormat'));
    if (!PLANAR_8BIT.has(pf)) throw new Error(`blur: pixel format ${pf} is not 8-bit with a luma plane first`);
    const width = pid.getProp('Width') as number;
    const height = pid.getProp('Height') as number;
    return { width, height, stride: (pid.getProp('Stride') as number | undefined) || width };
  }
}
