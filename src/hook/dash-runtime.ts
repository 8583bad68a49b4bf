// The worker side of a DASH algorithm plugin: turns dashin's snapshots (generated/hook-structs.ts shapes,
// made on dashin's thread by native/src/hook/dash_algo.cc) into libgpac.py's objects, keeps the period's
// groups, calls the plugin and checks its answers before they reach dashin.
import type { GF_DASHCustomAlgoInfo, GF_DASHDownloadStats, GF_DASHQualityInfo } from '../../generated/hook-structs.js';
import type {
  DASHCustomAlgorithm,
  DASHGroup,
  DASHGroupDownloadStatistics,
  DASHGroupStatistics,
  DASHPeriodResetType,
  DASHQualityInfo,
  DASHSRD,
} from './dash-algorithm.js';
import { after, describe, type HookRuntime } from './runtime.js';

/** A group as dash_algo.cc snapshots it. */
interface RawGroup {
  idx: number;
  duration: number;
  srd: DASHSRD | null;
  qualities: (GF_DASHQualityInfo & { sizes: number[] | null })[];
}

function quality(q: RawGroup['qualities'][number]): DASHQualityInfo {
  return {
    bandwidth: q.bandwidth,
    id: q.ID ?? '',
    mime: q.mime ?? '',
    codec: q.codec ?? '',
    width: q.width,
    height: q.height,
    interlaced: q.interlaced,
    fps: { num: q.fpsNum, den: q.fpsDen },
    // GPAC's C field says par (pixel aspect ratio); libgpac.py and the MPD call it sar.
    sar: { num: q.parNum, den: q.parDen },
    sampleRate: q.sampleRate,
    nbChannels: q.nbChannels,
    disabled: q.disabled,
    isSelected: q.isSelected,
    astOffset: q.astOffset,
    avgDuration: q.averageDuration,
    hlsVariantUrl: q.hlsVariantUrl,
    ssr: q.ssr,
    sizes: q.sizes,
  };
}

function groupStats(s: GF_DASHCustomAlgoInfo): DASHGroupStatistics {
  return {
    downloadRate: s.downloadRate,
    filesize: s.fileSize,
    speed: s.speed,
    maxAvailableSpeed: s.maxAvailableSpeed,
    displayWidth: s.displayWidth,
    displayHeight: s.displayHeight,
    activeQualityIdx: s.activeQualityIdx,
    bufferMin: s.bufferMinMs,
    bufferMax: s.bufferMaxMs,
    buffer: s.bufferOccupancyMs,
    qualityDegradationHint: s.qualityDegradationHint,
    totalRate: s.totalRate,
  };
}

function downloadStats(s: GF_DASHDownloadStats): DASHGroupDownloadStatistics {
  return {
    bitsPerSec: s.bitsPerSec,
    totalBytes: s.totalBytes,
    bytesDone: s.bytesDone,
    timeSinceStart: s.usSinceStart,
    bufferDur: s.bufferDur,
    currentSegDur: s.currentSegDur,
  };
}

export class DashRuntime implements HookRuntime {
  readonly methods: string[];
  readonly instance: DASHCustomAlgorithm;
  readonly #algo: DASHCustomAlgorithm;

  constructor(algo: DASHCustomAlgorithm) {
    this.#algo = this.instance = algo;
    if (typeof algo.onRateAdaptation !== 'function') throw new TypeError('a DASH algorithm must define onRateAdaptation(group, baseGroup, forceLowComplexity, stats)');
    // The runtime keeps the groups, so dashin's period and group calls always come here.
    this.methods = ['onPeriodReset', 'onNewGroup', 'onRateAdaptation'];
    if (typeof algo.onDownloadMonitor === 'function') this.methods.push('onDownloadMonitor');
  }

  call(method: string, args: unknown[]): unknown {
    const algo = this.#algo;
    switch (method) {
      case 'onPeriodReset': {
        const type = args[0] as DASHPeriodResetType;
        return after(algo.onPeriodReset?.(type), () => {
          if (type === 0) algo.groups.length = 0; // as libgpac.py: the period's groups are gone
          return undefined;
        });
      }
      case 'onNewGroup': {
        const raw = args[0] as RawGroup;
        const group: DASHGroup = Object.freeze({
          idx: raw.idx,
          duration: raw.duration,
          srd: raw.srd,
          qualities: Object.freeze(raw.qualities.map(quality)),
        });
        const known = algo.groups.findIndex((g) => g.idx === group.idx);
        if (known >= 0) algo.groups[known] = group;
        else algo.groups.push(group);
        return after(algo.onNewGroup?.(group), () => undefined);
      }
      case 'onRateAdaptation': {
        const [gi, bgi, force, stats] = args as [number, number, boolean, GF_DASHCustomAlgoInfo];
        const group = this.#group(gi, method);
        const base = this.#group(bgi, method);
        return after(algo.onRateAdaptation(group, base, force, groupStats(stats)), (v) =>
          decision(v, group, 'onRateAdaptation', 'a quality index, -1 (postpone the decision) or -2 (disable the group)'),
        );
      }
      case 'onDownloadMonitor': {
        const [gi, stats] = args as [number, GF_DASHDownloadStats];
        const group = this.#group(gi, method);
        return after(algo.onDownloadMonitor!(group, downloadStats(stats)), (v) =>
          decision(v, group, 'onDownloadMonitor', '-1 (go on), -2 (abort the download, no retry) or the quality index to download the segment at'),
        );
      }
      default:
        throw new Error(`dashin called ${method}(), which a DASH algorithm does not have`);
    }
  }

  #group(idx: number, method: string): DASHGroup {
    const g = this.#algo.groups.find((x) => x.idx === idx);
    if (!g) throw new Error(`${method}: dashin named group ${idx}, which onNewGroup never announced`);
    return g;
  }
}

/** The plugin's answer, checked: an integer from -2 to the last quality index. */
function decision(v: unknown, group: DASHGroup, method: string, expected: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= -2 && v < group.qualities.length) return v;
  throw new TypeError(
    `${method} must return ${expected}, or a Promise of one; group ${group.idx} has ${group.qualities.length} qualities (0..${group.qualities.length - 1}), received ${describe(v)}`,
  );
}
