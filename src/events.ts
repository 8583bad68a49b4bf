// Filter events fired from the application (FilterSession.fireEvent): { type, ...fields } where the
// fields are those of the event's member of GF_FilterEvent, camelCased (GF_FEVT_Play.start_range →
// startRange). The native side checks each field against the generated layout of the GPAC in use.
import { gpacConstant } from './native.js';

export type FilterEventTypeName =
  | 'GF_FEVT_PLAY'
  | 'GF_FEVT_SET_SPEED'
  | 'GF_FEVT_STOP'
  | 'GF_FEVT_PAUSE'
  | 'GF_FEVT_RESUME'
  | 'GF_FEVT_SOURCE_SEEK'
  | 'GF_FEVT_SOURCE_SWITCH'
  | 'GF_FEVT_SEGMENT_SIZE'
  | 'GF_FEVT_ATTACH_SCENE'
  | 'GF_FEVT_RESET_SCENE'
  | 'GF_FEVT_QUALITY_SWITCH'
  | 'GF_FEVT_VISIBILITY_HINT'
  | 'GF_FEVT_INFO_UPDATE'
  | 'GF_FEVT_BUFFER_REQ'
  | 'GF_FEVT_CAPS_CHANGE'
  | 'GF_FEVT_CONNECT_FAIL'
  | 'GF_FEVT_USER'
  | 'GF_FEVT_PLAY_HINT'
  | 'GF_FEVT_FILE_DELETE'
  | 'GF_FEVT_FRAGMENT_SIZE'
  | 'GF_FEVT_TRANSPORT_HINTS'
  | 'GF_FEVT_NTP_REF'
  | 'GF_FEVT_DASH_QUALITY_SELECT'
  | 'GF_FEVT_NETWORK_HINT';

export interface FilterEventInit {
  /** A GF_FEVT_* name or value. */
  type: FilterEventTypeName | number;
  /** Fields of the event type, camelCased: startRange, speed, sourceSwitch, … (64-bit ones as bigint). */
  [field: string]: unknown;
}

export function eventTypeValue(type: FilterEventTypeName | number): number {
  if (typeof type === 'number') return type;
  if (typeof type !== 'string' || !type.startsWith('GF_FEVT_'))
    throw new TypeError(`filter event type: expected a GF_FEVT_* name or number, received ${JSON.stringify(type)}`);
  return gpacConstant(type);
}
