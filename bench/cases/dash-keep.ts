// The benchmark's DASH algorithm: keeps the current quality, so that the work is the same as without it.
import { DASHCustomAlgorithm, type DASHGroup, type DASHGroupStatistics } from '../../src/plugin/index.js';

export default class Keep extends DASHCustomAlgorithm {
  onRateAdaptation(_g: DASHGroup, _b: DASHGroup, _f: boolean, stats: DASHGroupStatistics): number {
    return stats.activeQualityIdx;
  }
}
