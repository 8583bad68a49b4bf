// The DASH algorithm of GPAC's Python howto ("DASH Client"), as a gpac-ts plugin: after each segment, the
// next quality, wrapping. Useful to check that every quality of a presentation plays, and how a player
// copes with constant switching.
//
//   const fs = new FilterSession();
//   await fs.bindDashAlgorithm('./plugins/dash-cycle.ts');
//   fs.loadSrc('https://example.com/live.mpd');
import { DASHCustomAlgorithm, type DASHGroup, type DASHGroupStatistics } from '../src/plugin/index.js';

export interface DashCycleOptions {
  /** Print the howto's messages (period resets, groups, each decision) to stderr. */
  verbose?: boolean;
}

export default class DashCycle extends DASHCustomAlgorithm {
  readonly #verbose: boolean;

  constructor(options: DashCycleOptions = {}) {
    super();
    this.#verbose = options.verbose ?? false;
  }

  override onPeriodReset(type: number): void {
    if (this.#verbose) console.error(`period reset type ${type}`);
  }

  override onNewGroup(group: DASHGroup): void {
    // Qualities come sorted from the lowest bandwidth to the highest.
    if (this.#verbose) console.error(`new group ${group.idx} qualities ${group.qualities.length} codec ${group.qualities[0]?.codec}`);
  }

  onRateAdaptation(group: DASHGroup, _baseGroup: DASHGroup, _forceLowComplexity: boolean, stats: DASHGroupStatistics): number {
    const next = (stats.activeQualityIdx + 1) % group.qualities.length;
    if (this.#verbose) console.error(`group ${group.idx}: quality ${stats.activeQualityIdx} → ${next} (download rate ${stats.downloadRate} bps)`);
    return next;
  }
}
