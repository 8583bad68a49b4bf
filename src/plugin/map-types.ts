// What a parallel map plugin's map module and the pool's threads share with ParallelMapFilter: plain types
// and one check, nothing that loads GPAC (the pool's threads never touch it).

/** What the map function learns about a packet besides its payload. */
export interface MapInfo {
  /** Rank of the packet on its input PID, from 0. */
  index: number;
  dts: number | null;
  cts: number | null;
  /** What the filter's pidInfo() returned for the packet's input PID (e.g. width, height, stride). */
  pid: unknown;
  /** ParallelMapOptions.mapOptions. */
  options: unknown;
}

/**
 * The map module's default export: transforms `data` (a writable copy of the payload) in place, or returns
 * the output payload. It must be pure: the same input gives the same output, whichever thread runs it.
 */
export type MapFunction = (data: Uint8Array, info: MapInfo) => Uint8Array | void | Promise<Uint8Array | void>;

/** piscina's workerData for the pool. */
export interface MapWorkerData {
  mapUrl: string;
  /** tsx's ESM loader API, when the map module (or gpac-ts itself) is TypeScript. */
  tsx: string | undefined;
}

/** One packet to map: its payload is the first `size` bytes of `buf`. */
export interface MapTask {
  buf: SharedArrayBuffer;
  size: number;
  info: MapInfo;
}

/** The map module's default export, checked. */
export function checkMapFunction(fn: unknown, url: string): MapFunction {
  if (typeof fn !== 'function') throw new TypeError(`map module ${url}: its default export must be a function (data, info) => Uint8Array | void, found ${typeof fn}`);
  return fn as MapFunction;
}
