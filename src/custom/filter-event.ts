// FilterEvent: libgpac.py's FilterEvent, camelCased. GPAC's GF_FilterEvent is a union of one struct per
// event type; here the fields of the event's struct sit on the event itself (evt.startRange, evt.maxBufferUs),
// and libgpac.py's member names give the same object typed for that member (evt.play.startRange,
// evt.bufferReq.maxBufferUs). Field names and layout come from the generated tables of the GPAC in use
// (native/src/reflect.cc); 64-bit fields are bigints.
import { gpacConstant } from '../native.js';
import type { FilterEventTypeName } from '../events.js';
import type { FilterPid } from './filter-pid.js';

export type { FilterEventTypeName };

/** GF_FEVT_PLAY, SET_SPEED, STOP, PAUSE, RESUME, PLAY_HINT (GF_FEVT_Play). */
export interface PlayFields {
  startRange: number;
  endRange: number;
  speed: number;
  fromPck: number;
  hwBufferReset: number;
  initialBroadcastPlay: number;
  timestampBased: number;
  fullFileOnly: number;
  forcedDashSegmentSwitch: number;
  dropNonRef: number;
  noByterangeForward: number;
  toPck: number;
  origDelay: number;
  hintFirstDts: bigint;
  hintStartOffset: bigint;
  hintEndOffset: bigint;
}
/** GF_FEVT_SOURCE_SEEK, SOURCE_SWITCH (GF_FEVT_SourceSeek). */
export interface SeekFields {
  startOffset: bigint;
  endOffset: bigint;
  sourceSwitch: string | null;
  isInitSegment: number;
  skipCacheExpiration: number;
  hintBlockSize: number;
}
/** GF_FEVT_SEGMENT_SIZE (GF_FEVT_SegmentSize). */
export interface SegmentSizeFields {
  segUrl: string | null;
  base64Version: boolean;
  mediaRangeStart: bigint;
  mediaRangeEnd: bigint;
  idxRangeStart: bigint;
  idxRangeEnd: bigint;
  isInit: boolean;
  isShift: boolean;
}
/** GF_FEVT_FRAGMENT_SIZE (GF_FEVT_FragmentSize). */
export interface FragmentSizeFields {
  isLast: boolean;
  offset: bigint;
  size: number;
  duration: { num: bigint; den: bigint };
  independent: boolean;
}
/** GF_FEVT_QUALITY_SWITCH (GF_FEVT_QualitySwitch). */
export interface QualitySwitchFields {
  up: boolean;
  dependentGroupIndex: number;
  qIdx: number;
  setTileModePlusOne: number;
  qualityDegradation: number;
}
/** GF_FEVT_VISIBILITY_HINT (GF_FEVT_VisibilityHint). */
export interface VisibilityHintFields {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  isGaze: boolean;
}
/** GF_FEVT_BUFFER_REQ (GF_FEVT_BufferRequirement). */
export interface BufferReqFields {
  maxBufferUs: number;
  maxPlayoutUs: number;
  minPlayoutUs: number;
  pidOnly: boolean;
}
/** GF_FEVT_FILE_DELETE (GF_FEVT_FileDelete). */
export interface FileDeleteFields {
  url: string | null;
}
/** GF_FEVT_TRANSPORT_HINTS (GF_FEVT_TransportHints). */
export interface TransportHintsFields {
  flags: number;
  segDuration: { num: number; den: number };
  genDsiOnly: boolean;
  waitSegBoundary: boolean;
}
/** GF_FEVT_NTP_REF (GF_FEVT_NTPRef): the field is `evt.ntp` (libgpac.py's member and field share the name). */
export interface NtpFields {
  ntp: bigint;
}
/** GF_FEVT_DASH_QUALITY_SELECT (GF_FEVT_DASHQualitySelection). */
export interface DashSelectFields {
  serviceId: number;
  periodId: string | null;
  asId: number;
  repId: string | null;
  selectType: number;
}
/** GF_FEVT_NETWORK_HINT (GF_FEVT_NetworkHint). */
export interface NetworkHintFields {
  mtuSize: number;
  sinkType: number;
}

/** Every field of every event type (each event has those of its type). */
export type AllEventFields = PlayFields &
  SeekFields &
  SegmentSizeFields &
  FragmentSizeFields &
  QualitySwitchFields &
  VisibilityHintFields &
  BufferReqFields &
  FileDeleteFields &
  TransportHintsFields &
  NtpFields &
  DashSelectFields &
  NetworkHintFields;

type Member<F> = F & FilterEvent;

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface FilterEvent extends Partial<Omit<AllEventFields, 'size' | 'flags'>> {
  size?: number;
  flags?: number;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class FilterEvent {
  /** The GF_FEVT_* value. */
  type: number;
  /** GPAC's name of the event type ("PLAY", "BUFFER_REQ" …) for received events. */
  name: string | null = null;
  /** The PID the event travels on (received events), or null. */
  pid: FilterPid | null = null;

  /** `new FilterEvent('GF_FEVT_PLAY', { startRange: 10 })`, or libgpac.py's `new FilterEvent(GF_FEVT_PLAY)`. */
  constructor(type: FilterEventTypeName | number, fields: Partial<AllEventFields> = {}) {
    if (typeof type === 'string') {
      if (!type.startsWith('GF_FEVT_')) throw new TypeError(`FilterEvent: expected a GF_FEVT_* name or value, received ${JSON.stringify(type)}`);
      this.type = gpacConstant(type);
    } else if (Number.isInteger(type) && type > 0) {
      this.type = type;
    } else {
      throw new TypeError(`FilterEvent: expected a GF_FEVT_* name or value, received ${String(type)}`);
    }
    Object.assign(this, fields);
  }

  /** libgpac.py's member views: the same event, typed for its kind. */
  get play(): Member<PlayFields> {
    return this as Member<PlayFields>;
  }
  get seek(): Member<SeekFields> {
    return this as Member<SeekFields>;
  }
  get segSize(): Member<SegmentSizeFields> {
    return this as Member<SegmentSizeFields>;
  }
  get fragSize(): Member<FragmentSizeFields> {
    return this as Member<FragmentSizeFields>;
  }
  get qualitySwitch(): Member<QualitySwitchFields> {
    return this as Member<QualitySwitchFields>;
  }
  get visibilityHint(): Member<VisibilityHintFields> {
    return this as Member<VisibilityHintFields>;
  }
  get bufferReq(): Member<BufferReqFields> {
    return this as Member<BufferReqFields>;
  }
  get fileDel(): Member<FileDeleteFields> {
    return this as Member<FileDeleteFields>;
  }
  get transportHints(): Member<TransportHintsFields> {
    return this as Member<TransportHintsFields>;
  }
  get dashSelect(): Member<DashSelectFields> {
    return this as Member<DashSelectFields>;
  }
  get netHint(): Member<NetworkHintFields> {
    return this as Member<NetworkHintFields>;
  }

  /** @internal The fields as the native side takes them (type + the event's own fields). */
  toNative(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'name' || k === 'pid' || v === undefined) continue;
      out[k] = v;
    }
    out.type = this.type;
    return out;
  }

  /** @internal A received event. */
  static fromNative(fields: Record<string, unknown>, pid: FilterPid | null): FilterEvent {
    const type = fields.type as number;
    const evt = new FilterEvent(type);
    for (const [k, v] of Object.entries(fields)) if (k !== 'type') (evt as unknown as Record<string, unknown>)[k] = v;
    evt.pid = pid;
    return evt;
  }
}
