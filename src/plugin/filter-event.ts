// FilterEvent: libgpac.py's FilterEvent, camelCased. GPAC's GF_FilterEvent is a union of one struct per
// event type; here the fields of the event's struct sit on the event itself (evt.startRange, evt.maxBufferUs),
// and libgpac.py's member names give the same object typed for that member (evt.play.startRange,
// evt.bufferReq.maxBufferUs). Field names and layout come from the generated tables of the GPAC in use
// (native/src/reflect.cc); 64-bit fields are bigints.
import { gpacConstant } from '../native.js';
import type { FilterEventTypeName } from '../session/events.js';
import type { FilterEventAnyFields, FilterEventAnyInit, FilterEventMembers } from '../../generated/event-fields.js';
import type { FilterPid } from './filter-pid.js';

export type { FilterEventTypeName };

/** A member view: the event typed as one member struct of GF_FilterEvent. */
type Member<K extends keyof FilterEventMembers> = FilterEventMembers[K] & FilterEvent;

/** Every field of every member, optional (generated/event-fields.ts): a received event has those of its type. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface FilterEvent extends FilterEventAnyFields {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class FilterEvent {
  /** The GF_FEVT_* value. */
  type: number;
  /** GPAC's name of the event type ("PLAY", "BUFFER_REQ" …) for received events. */
  name: string | null = null;
  /** The PID the event travels on (received events), or null. */
  pid: FilterPid | null = null;

  /** `new FilterEvent('GF_FEVT_PLAY', { startRange: 10 })`, or libgpac.py's `new FilterEvent(GF_FEVT_PLAY)`. */
  constructor(type: FilterEventTypeName | number, fields: FilterEventAnyInit = {}) {
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
  get play(): Member<'play'> {
    return this as Member<'play'>;
  }
  get seek(): Member<'seek'> {
    return this as Member<'seek'>;
  }
  get segSize(): Member<'segSize'> {
    return this as Member<'segSize'>;
  }
  get fragSize(): Member<'fragSize'> {
    return this as Member<'fragSize'>;
  }
  get qualitySwitch(): Member<'qualitySwitch'> {
    return this as Member<'qualitySwitch'>;
  }
  get visibilityHint(): Member<'visibilityHint'> {
    return this as Member<'visibilityHint'>;
  }
  get bufferReq(): Member<'bufferReq'> {
    return this as Member<'bufferReq'>;
  }
  get fileDel(): Member<'fileDel'> {
    return this as Member<'fileDel'>;
  }
  get transportHints(): Member<'transportHints'> {
    return this as Member<'transportHints'>;
  }
  get dashSelect(): Member<'dashSelect'> {
    return this as Member<'dashSelect'>;
  }
  get netHint(): Member<'netHint'> {
    return this as Member<'netHint'>;
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
