// The buffering sink of libgpac.py's advanced example, as a gpac-ts plugin: it starts each input PID
// (PLAY) and asks for a deep buffer on it (BUFFER_REQ), then waits until every PID holds `playUs` of
// media (or ended) before consuming; if a PID runs below `rebufferUs` it buffers again. It reports the
// buffer levels it saw.
import { FilterCustom, FilterEvent, type FilterPid } from '../src/plugin/index.js';
import { GF_CAPS_INPUT } from '../generated/session.js';

export interface BufferingOptions {
  maxBufferUs?: number;
  playUs?: number;
  rebufferUs?: number;
}

export interface BufferingReport {
  /** Buffer level (µs) of each PID, by name, when playback started the first time. */
  levelsAtStart: Record<string, number>;
  /** Highest level seen per PID. */
  maxLevels: Record<string, number>;
  /** Packets queued per PID (GPAC's and prefetched) when playback started. */
  queuedAtStart: Record<string, number>;
  playing: Record<string, boolean>;
  occupancy: Record<string, { maxDur: number; dur: number }>;
  rebuffers: number;
  consumed: number;
  processCalls: number;
  eventsSeen: string[];
}

export default class Buffering extends FilterCustom {
  readonly #maxBuffer: number;
  readonly #play: number;
  readonly #rebuffer: number;
  #buffering = true;
  #started = false;
  readonly #ended = new Set<FilterPid>();
  readonly report: BufferingReport = {
    levelsAtStart: {},
    maxLevels: {},
    queuedAtStart: {},
    playing: {},
    occupancy: {},
    rebuffers: 0,
    consumed: 0,
    processCalls: 0,
    eventsSeen: [],
  };

  constructor(options: BufferingOptions = {}) {
    super('buffering');
    this.#maxBuffer = options.maxBufferUs ?? 10_000_000;
    this.#play = options.playUs ?? 2_500_000;
    this.#rebuffer = options.rebufferUs ?? 100_000;
    this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT);
    this.pushCap('StreamType', 'Audio', GF_CAPS_INPUT);
    this.setMaxPids(4);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove || this.ipids.includes(pid)) return 0;
    pid.sendEvent(new FilterEvent('GF_FEVT_PLAY'));
    // pidOnly: the buffer is set on this PID itself. Without it GPAC passes the request up to the nearest
    // decoder or raw source, and a demuxed compressed PID such as this one keeps its default buffer.
    pid.sendEvent(new FilterEvent('GF_FEVT_BUFFER_REQ', { maxBufferUs: this.#maxBuffer, pidOnly: true }));
    return 0;
  }

  override process(): number {
    const r = this.report;
    r.processCalls++;
    for (const pid of this.ipids) {
      const level = pid.buffer;
      r.maxLevels[pid.name] = Math.max(r.maxLevels[pid.name] ?? 0, level);
    }
    if (this.#buffering) {
      const ready = this.ipids.every((pid) => pid.eos || pid.buffer >= this.#play);
      if (!ready) return 0;
      this.#buffering = false;
      if (!this.#started) {
        this.#started = true;
        for (const pid of this.ipids) {
          r.levelsAtStart[pid.name] = pid.buffer;
          r.queuedAtStart[pid.name] = pid.nbPckQueued;
          r.playing[pid.name] = pid.playing;
          const o = pid.getBufferOccupancy();
          r.occupancy[pid.name] = { maxDur: o.maxDur, dur: o.dur };
        }
      }
    }
    for (const pid of this.ipids) {
      const pck = pid.getPacket();
      if (!pck) {
        if (pid.eos && !this.#ended.has(pid)) this.#ended.add(pid);
        continue;
      }
      pid.dropPacket();
      r.consumed++;
      if (!pid.eos && pid.buffer < this.#rebuffer && !pid.hasSeenEos) {
        this.#buffering = true;
        r.rebuffers++;
      }
    }
    if (this.#ended.size === this.ipids.length && this.ipids.length) this.postMessage(r);
    return 0;
  }

  override processEvent(evt: FilterEvent): boolean {
    this.report.eventsSeen.push(evt.name ?? String(evt.type));
    return false;
  }
}
