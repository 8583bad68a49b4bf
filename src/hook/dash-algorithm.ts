// DASHCustomAlgorithm: libgpac.py's DASH adaptation algorithm, camelCased — the base class of DASH algorithm
// plugins. A plugin module's default export extends it; FilterSession.bindDashAlgorithm() or Filter.bind()
// on a `dashin` filter runs it in a worker thread of its own, and dashin's thread waits for its answers
// (native/src/hook/dash_algo.cc).
//
//   export default class Cycle extends DASHCustomAlgorithm {
//     onRateAdaptation(group: DASHGroup, baseGroup: DASHGroup, forceLowComplexity: boolean, stats: DASHGroupStatistics) {
//       return (stats.activeQualityIdx + 1) % group.qualities.length;
//     }
//   }
import type { Fraction } from '../properties.js';

/** One quality (DASH Representation, HLS variant stream) of a group: libgpac.py's DASHQualityInfo. */
export interface DASHQualityInfo {
  /** Bits per second. */
  bandwidth: number;
  /** Representation ID (libgpac.py: ID). */
  id: string;
  mime: string;
  /** Codec parameter string. */
  codec: string;
  /** Pixels, 0 if not visual. */
  width: number;
  height: number;
  interlaced: boolean;
  /** Frame rate, 0/0 if not visual. */
  fps: Fraction;
  /** Sample aspect ratio, 0/0 if not visual. */
  sar: Fraction;
  /** 0 if not audio. */
  sampleRate: number;
  nbChannels: number;
  /** No playback support for this quality. */
  disabled: boolean;
  isSelected: boolean;
  /** Availability start time offset (DASH low latency), 0 otherwise. */
  astOffset: number;
  /** Average segment duration in seconds, 0 if unknown. */
  avgDuration: number;
  /** HLS variant name, null otherwise. */
  hlsVariantUrl: string | null;
  /** SSR: estimated number of parts (subsegments), 1 if unknown, 0 if not SSR. */
  ssr: number;
  /** Segment sizes in bytes (on-demand profiles with byte ranges), null otherwise or if unknown. */
  sizes: number[] | null;
}

/** Spatial relation descriptor of a tiled group: libgpac.py's DASHSRD. */
export interface DASHSRD {
  /** SRD source: every SRD of one source describes the same composition. */
  id: number;
  x: number;
  y: number;
  /** 0 for a tile base track. */
  w: number;
  h: number;
  /** Size of the whole composition. */
  fw: number;
  fh: number;
}

/** A group (adaptation set) of the active period: libgpac.py's DASHGroup. */
export interface DASHGroup {
  /** The group's index, as dashin numbers it. */
  readonly idx: number;
  readonly qualities: readonly DASHQualityInfo[];
  /** Period duration in milliseconds, 0 if unknown. */
  readonly duration: number;
  /** Tiling information, or null (libgpac.py: SRD). */
  readonly srd: DASHSRD | null;
}

/** Statistics of the segment just downloaded, for onRateAdaptation: libgpac.py's DASHGroupStatistics. */
export interface DASHGroupStatistics {
  /** Download rate of the last segment, bits per second, divided by the playback speed. */
  downloadRate: number;
  /** Size of the last segment in bytes. */
  filesize: number;
  /** Current playback speed. */
  speed: number;
  /** Highest speed the decoders can sustain (from their runtime statistics). */
  maxAvailableSpeed: number;
  /** Display size of the object, in pixels. */
  displayWidth: number;
  displayHeight: number;
  /** Index of the current quality, or of the last downloaded segment's if the previous one was skipped. */
  activeQualityIdx: number;
  /** Buffer in milliseconds below which playback rebuffers. */
  bufferMin: number;
  /** Buffer in milliseconds the algorithm should not fill beyond. */
  bufferMax: number;
  /** Current buffer in milliseconds. */
  buffer: number;
  /** 0: no degradation, 100: the tile is hidden. */
  qualityDegradationHint: number;
  /** Cumulated download rate of every active group, bytes per second; 0 when every file is local. */
  totalRate: number;
}

/** Progress of the segment being downloaded, for onDownloadMonitor: libgpac.py's DASHGroupDownloadStatistics. */
export interface DASHGroupDownloadStatistics {
  /** Download rate, bits per second. */
  bitsPerSec: number;
  /** Bytes in the segment. */
  totalBytes: number;
  /** Bytes downloaded so far. */
  bytesDone: number;
  /** Microseconds since the segment download was scheduled. */
  timeSinceStart: number;
  /** Current buffer in milliseconds. */
  bufferDur: number;
  /** Duration of the segment being downloaded in milliseconds, 0 if unknown. */
  currentSegDur: number;
}

/** onPeriodReset's type: 0 the period ended (its groups are gone), 1 a static period starts, 2 a dynamic (live) one. */
export type DASHPeriodResetType = 0 | 1 | 2;

/**
 * A quality index (0 … qualities.length - 1); -1, no decision yet: dashin asks again at its next check and
 * holds the group's next download until an answer comes (return `stats.activeQualityIdx` to keep the
 * current quality); or -2, disable the group (its segments are no longer fetched).
 */
export type DASHRateDecision = number;
/** -1 (go on downloading), -2 (abort the download, no retry at another quality), or the quality index to download the same segment at. */
export type DASHMonitorDecision = number;

/** Callbacks an algorithm may define besides onRateAdaptation (libgpac.py's on_period_reset, on_new_group, on_download_monitor). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface DASHCustomAlgorithm {
  /** A period ends or starts (DASHPeriodResetType). `groups` is emptied when it ends (type 0). */
  onPeriodReset?(type: DASHPeriodResetType): void | Promise<void>;
  /** dashin created a group (adaptation set) of the period; it is in `groups` already. */
  onNewGroup?(group: DASHGroup): void | Promise<void>;
  /**
   * Called regularly while an HTTP segment downloads (dashin's `bwcheck` interval). Defining it lets dashin
   * abort downloads (its `abort` behaviour); leaving it out costs no hand-off.
   */
  onDownloadMonitor?(group: DASHGroup, stats: DASHGroupDownloadStatistics): DASHMonitorDecision | Promise<DASHMonitorDecision>;
}

/** The base class of DASH algorithm plugins. The constructor receives the `options` given at binding. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class DASHCustomAlgorithm {
  /** The groups of the active period, as announced by onNewGroup (libgpac.py's `groups`). */
  readonly groups: DASHGroup[] = [];

  /**
   * Called at the end of each segment download (libgpac.py's on_rate_adaptation). `baseGroup` is the
   * group's tiling base group, or the group itself when it has none. Returns the quality of the next
   * segment: an index (`stats.activeQualityIdx` keeps the current one), -1 (postpone: dashin asks again
   * before the next download) or -2 (disable the group).
   */
  abstract onRateAdaptation(
    group: DASHGroup,
    baseGroup: DASHGroup,
    forceLowComplexity: boolean,
    stats: DASHGroupStatistics,
  ): DASHRateDecision | Promise<DASHRateDecision>;
}

/** Brand checked by the worker (a plugin may import DASHCustomAlgorithm from another copy of gpac-ts). */
Object.defineProperty(DASHCustomAlgorithm, Symbol.for('gpac-ts.DASHCustomAlgorithm'), { value: true });
