// A throughput-based DASH algorithm: it estimates the download rate as the median of dashin's per-segment
// rates over the last `window` segments (one slow or fast segment does not move it) and picks the best
// quality whose bandwidth fits under that estimate times a safety factor. It goes down at once, and up one
// step at a time after `upAfter` segments in a row allowed it, so that it does not oscillate.
import { DASHCustomAlgorithm, type DASHGroup, type DASHGroupStatistics } from '../src/plugin/index.js';

export interface DashThroughputOptions {
  /** Fraction of the estimated rate a quality may use (default 0.85). */
  safety?: number;
  /** Segments the estimate is the median of (default 5). */
  window?: number;
  /** Segments in a row the estimate must allow a better quality before switching up (default 2). */
  upAfter?: number;
}

interface GroupState {
  rates: number[];
  upVotes: number;
}

export default class DashThroughput extends DASHCustomAlgorithm {
  readonly #safety: number;
  readonly #window: number;
  readonly #upAfter: number;
  readonly #state = new Map<number, GroupState>();

  constructor(options: DashThroughputOptions = {}) {
    super();
    this.#safety = options.safety ?? 0.85;
    this.#window = options.window ?? 5;
    this.#upAfter = options.upAfter ?? 2;
    if (!(this.#safety > 0 && this.#safety <= 1)) throw new RangeError(`safety must be in (0, 1], received ${this.#safety}`);
    if (!(Number.isInteger(this.#window) && this.#window >= 1)) throw new RangeError(`window must be an integer >= 1, received ${this.#window}`);
  }

  /** The current estimate of a group's download rate, bits per second (0 before its first segment). */
  estimate(groupIdx: number): number {
    const rates = [...(this.#state.get(groupIdx)?.rates ?? [])].sort((a, b) => a - b);
    if (!rates.length) return 0;
    const mid = rates.length >> 1;
    return rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
  }

  override onPeriodReset(type: number): void {
    if (type === 0) this.#state.clear();
  }

  onRateAdaptation(group: DASHGroup, _baseGroup: DASHGroup, forceLowComplexity: boolean, stats: DASHGroupStatistics): number {
    const current = stats.activeQualityIdx;
    // A local file downloads "instantly": dashin then reports no usable rate (0, or 2^31 - 1 with a total
    // rate of 0). Keep the quality: returning -1 would postpone the decision, and dashin would ask again.
    if (stats.downloadRate <= 0 || stats.totalRate === 0) return current;
    const s = this.#state.get(group.idx) ?? { rates: [], upVotes: 0 };
    this.#state.set(group.idx, s);
    s.rates.push(stats.downloadRate);
    if (s.rates.length > this.#window) s.rates.shift();
    const budget = this.estimate(group.idx) * this.#safety;
    // Qualities are sorted by bandwidth, lowest first: the best that fits, else the lowest.
    let best = 0;
    group.qualities.forEach((q, i) => {
      if (!q.disabled && q.bandwidth <= budget) best = i;
    });
    if (forceLowComplexity) best = Math.min(best, Math.max(0, current - 1));
    if (best > current) {
      if (++s.upVotes < this.#upAfter) return current;
      s.upVotes = 0;
      return current + 1;
    }
    s.upVotes = 0;
    return best;
  }
}
