// The native half of a plugin, as the worker runtime sees it (native/src/custom_worker.cc). Every method
// either records an intent (applied later, in order, by the GPAC thread running the filter) or makes a
// request (answered by that thread while it waits on the current callback).
import type { NativePropEntry } from '../native.js';

export type DispatchKind = 'configure' | 'process' | 'event' | 'reconfigure' | 'release';

/** What GPAC's thread hands to the worker (native customCallJs → dispatch). */
export type Dispatch = (kind: DispatchKind, seqOrShared: number, a?: unknown, b?: unknown, c?: unknown) => void;

export interface NativeCustomStats {
  /** GPAC callbacks handed to the worker … */
  calls: number;
  /** … of which process() calls GPAC's thread did not wait for (pipelined). */
  pipelined: number;
  packets: number;
  requests: number;
  intents: number;
}

export interface NativeCustomWorker {
  complete(seq: number, value: number): void;
  fail(seq: number, error: unknown): void;
  reportError(error: unknown, origin: string): void;
  stats(): NativeCustomStats;
  close(): void;

  newPid(): number;
  filterCall(op: string, a?: unknown, b?: unknown, c?: unknown): void;
  filterQuery(what: string): unknown;
  flush(): void;

  pidQuery(pid: number, what: string, a?: unknown, b?: unknown, c?: unknown): unknown;
  pidSet(pid: number, what: string, a?: unknown): void;
  pidProp(pid: number, key: string | number, info: boolean): unknown;
  pidProps(pid: number): NativePropEntry[];
  pidSetProp(pid: number, key: string | number, value: unknown, type: string | undefined, info: boolean): void;
  pidCopyProps(dst: number, src: number): void;
  pidResetProps(pid: number): void;
  pidSendEvent(pid: number, event: Record<string, unknown>): void;
  pidQueryCap(pid: number, key: string | number): unknown;
  pidNegotiateCap(pid: number, key: string | number, value: unknown, type: string | undefined): void;

  pckDrop(id: number, release: boolean): void;
  /** Intents batched in JS: [op, a, b] triples (host.ts Tape). */
  applyTape(tape: Float64Array): void;
  pckRelease(id: number): void;
  pckView(id: number): [ArrayBuffer, number] | null;
  pckDetach(view: ArrayBuffer, key: number): void;
  pckAddress(id: number, view?: ArrayBuffer): { gpac: bigint; view: bigint | null };
  pckInfo(id: number): Float64Array;
  pckProp(id: number, key: string | number): unknown;
  pckProps(id: number): NativePropEntry[];
  newPck(opid: number, size: number): number;
  newPckRef(opid: number, src: number, size: number, offset: number): number;
  newPckCopy(opid: number, src: number, clone: boolean): number;
  newPckShared(opid: number, data: Uint8Array, sharedId: number): number;
  forward(opid: number, src: number): void;
  pckSet(id: number, field: string, value: number | boolean | null, value2?: boolean): void;
  pckSetProp(id: number, key: string | number, value: unknown, type: string | undefined): void;
  pckMergeProps(src: number, dst: number): void;
  pckOp(id: number, op: 'send' | 'discard' | 'readonly' | 'truncate', arg?: number): void;
}

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
