// The native half of a plugin, as the worker runtime sees it: described with the rest of the addon in
// src/native.ts, re-exported here for the runtime's modules.
export type { Dispatch, DispatchKind, NativeCustomStats, NativeCustomWorker } from '../native.js';

/** Layout of a packet record (native/src/custom_core.h PckField): offsets in a Float64Array. */
export const Pck = {
  Id: 0,
  Pid: 1,
  Dts: 2,
  Cts: 3,
  Dur: 4,
  Sap: 5,
  Size: 6,
  Flags: 7,
  ByteOffset: 8,
  Roll: 9,
  Crypt: 10,
  Clock: 11,
  Carousel: 12,
  Seqnum: 13,
  Deps: 14,
  Interlaced: 15,
  Timescale: 16,
  Fields: 17,
} as const;

/** Bits of Pck.Flags (native kFlag*). */
export const PckFlag = {
  Start: 1,
  End: 2,
  Corrupted: 4,
  Seek: 8,
  BlockingRef: 16,
  HasProps: 32,
  FrameIfce: 64,
  FrameIfceGl: 128,
  HasData: 256,
} as const;

/** Codes of the intents batched in JS (PluginHost.tape): [code, a, b] triples decoded by native applyTape. */
export const Tape = { Forward: 1, Drop: 2, Send: 3 } as const;
