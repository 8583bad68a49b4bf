// Filter events fired from the application (FilterSession.fireEvent): { type, ...fields } where the
// fields are those of the event's member of GF_FilterEvent, camelCased (GF_FEVT_Play.start_range →
// startRange). The native side checks each field against the generated layout of the GPAC in use.
import { gpacConstant } from '../native.js';
import type { GF_FEventType } from '../../generated/events.js';
import type { FilterEventAnyInit, FilterEventInitByType } from '../../generated/event-fields.js';

/** A GF_FEVT_* name (generated: GF_FEventType). */
export type FilterEventTypeName = keyof typeof GF_FEventType;

/**
 * An event to fire: `{ type: 'GF_FEVT_PLAY', startRange: 2 }`. With a GF_FEVT_* name, the fields are those of
 * that type's member of GF_FilterEvent (generated/event-fields.ts, 64-bit ones as number or bigint); with a
 * number, any field of any member.
 */
export type FilterEventInit =
  | { [T in FilterEventTypeName]: { type: T } & FilterEventInitByType[T] }[FilterEventTypeName]
  | ({ type: number } & FilterEventAnyInit);

export function eventTypeValue(type: FilterEventTypeName | number): number {
  if (typeof type === 'number') return type;
  if (typeof type !== 'string' || !type.startsWith('GF_FEVT_'))
    throw new TypeError(`filter event type: expected a GF_FEVT_* name or number, received ${JSON.stringify(type)}`);
  return gpacConstant(type);
}
