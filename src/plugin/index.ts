// The plugin author's API: what a plugin module imports.
export { FilterCustom, type CallbackResult } from './filter-custom.js';
export { FilterPid, type BufferOccupancy } from './filter-pid.js';
export { FilterPacket } from './filter-packet.js';
export { FilterEvent, type FilterEventTypeName } from './filter-event.js';
export type { PropEnumCallback } from '../prop-enum.js';
export { ParallelMapFilter, type ParallelMapOptions } from './parallel-map.js';
export type { MapFunction, MapInfo } from './map-types.js';
// DASH adaptation algorithms (FilterSession.bindDashAlgorithm, Filter.bind on dashin).
export { DASHCustomAlgorithm } from '../hook/dash-algorithm.js';
export type {
  DASHGroup,
  DASHGroupDownloadStatistics,
  DASHGroupStatistics,
  DASHMonitorDecision,
  DASHPeriodResetType,
  DASHQualityInfo,
  DASHRateDecision,
  DASHSRD,
} from '../hook/dash-algorithm.js';
// HTTP request handlers (FilterSession.bindHttpHandler, Filter.bind on httpout).
export { HTTPOutRequest } from '../hook/http-request.js';
// FileIO factories (FileIO.create).
export { FileIOFactory } from '../hook/file-io.js';
