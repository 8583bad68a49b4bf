// Progress of a running session, read from filter statistics (gf_filter_get_stats through Filter), and a
// status line that shows it: rewritten in place on a terminal, plain lines otherwise (logs, CI).
//
// Per source: GPAC's own percent needs session reporting (gf_fs_enable_reporting), which the API does
// not expose, so it is derived: the position of the last packet the demuxer sent (lastTsSent) against
// the duration of its output PIDs, else the bytes the source read against its DownloadSize.
import type { Filter } from '../session/filter.js';
import type { FilterSession } from '../session/session.js';

export interface SourceProgress {
  name: string;
  /** 0–100, or null when neither a duration nor a size is known. */
  percent: number | null;
  /** Media time reached and total, in seconds (null when unknown). */
  positionS: number | null;
  durationS: number | null;
  /** Bytes the source filter delivered, and the resource's size when known. */
  bytesRead: number;
  size: number | null;
  done: boolean;
}

export interface ProgressSample {
  elapsedMs: number;
  filters: number;
  sources: SourceProgress[];
  /** Bytes consumed by sinks (filters with inputs and no output): written files, mostly. */
  bytesOut: number;
}

/** A number from a statistics field (numbers, bigints), 0 when absent. */
function num(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Seconds from a fraction property or statistic ({num, den} with numbers or bigints), null if unset. */
function seconds(v: unknown): number | null {
  if (v === null || typeof v !== 'object') return null;
  const f = v as { num?: unknown; den?: unknown };
  const n = num(f.num);
  const d = num(f.den);
  return d > 0 ? n / d : null;
}

/** Runs `fn`, or gives `fallback` when the filter went away meanwhile (GPAC removes filters as it goes). */
function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** The filters that turn a source's bytes into media: the source's file PID consumers, else the source. */
function demuxersOf(src: Filter): Filter[] {
  if (src.opidProp(0, 'StreamType') !== 'File') return [src];
  const sinks = src.opidSinks(0);
  return sinks.length > 0 ? sinks : [src];
}

/**
 * Progress of one source. `finished`: the session ended normally, so the source was read to its end
 * (GPAC's per-filter `done` stays false for demuxers whose outputs it keeps until the session closes).
 */
export function sourceProgress(src: Filter, finished = false): SourceProgress {
  const stats = src.statistics;
  const name = typeof stats.name === 'string' && stats.name ? stats.name : src.name;
  const size = src.nbOpid > 0 ? num(src.opidProp(0, 'DownloadSize')) || null : null;
  const bytesRead = num(stats.nbBytesSent);
  let durationS: number | null = null;
  let positionS: number | null = null;
  if (src.nbOpid > 0) {
    for (const d of demuxersOf(src)) {
      for (let i = 0; i < d.nbOpid; i++) {
        const dur = seconds(d.opidProp(i, 'Duration'));
        if (dur !== null && dur > 0) durationS = Math.max(durationS ?? 0, dur);
        // The furthest PID that something consumes: an unconnected or sparse one (subtitles) lags behind.
        if (d.opidSinks(i).length === 0) continue;
        const pos = seconds(d.opidStats(i).lastTsSent) ?? 0;
        positionS = Math.max(positionS ?? 0, pos);
      }
    }
  }
  const done = finished || stats.done === true;
  let percent: number | null = null;
  if (durationS !== null && positionS !== null) percent = Math.min(100, (100 * positionS) / durationS);
  else if (size !== null) percent = Math.min(100, (100 * bytesRead) / size);
  if (done) {
    percent = 100;
    if (durationS !== null) positionS = durationS;
  }
  return { name, percent, positionS, durationS, bytesRead, size, done };
}

/** One reading of the session: safe to call while it runs on GPAC's threads. `finished`: see sourceProgress. */
export function sampleSession(fs: FilterSession, sources: readonly Filter[], startedAt: number, finished = false): ProgressSample {
  const filters = safely(() => fs.filters, []);
  let bytesOut = 0;
  for (const f of filters) {
    bytesOut += safely(() => {
      const s = f.statistics;
      return num(s.nbPidIn) > 0 && num(s.nbPidOut) === 0 ? num(s.nbBytesProcessed) : 0;
    }, 0);
  }
  const srcs = sources.filter((s) => s.alive).map((s) => safely(() => sourceProgress(s, finished), null));
  return {
    elapsedMs: performance.now() - startedAt,
    filters: filters.length,
    sources: srcs.filter((s): s is SourceProgress => s !== null),
    bytesOut,
  };
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function formatSource(s: SourceProgress): string {
  const pct = s.percent === null ? '' : ` ${s.percent.toFixed(0)}%`;
  let detail = '';
  if (s.durationS !== null && s.positionS !== null) detail = ` (${s.positionS.toFixed(1)}/${s.durationS.toFixed(1)}s)`;
  else if (s.size !== null) detail = ` (${formatBytes(s.bytesRead)}/${formatBytes(s.size)})`;
  else if (s.bytesRead > 0) detail = ` (${formatBytes(s.bytesRead)})`;
  return `${s.name}${pct}${detail}`;
}

/** `1.5s | 9 filters | av.mp4 42% (1.3/3.0s) | out 150.2 kB` */
export function formatSample(s: ProgressSample, label?: string): string {
  const parts = [`${label ? `${label} ` : ''}${formatDuration(s.elapsedMs)}`, `${s.filters} filter${s.filters === 1 ? '' : 's'}`];
  for (const src of s.sources) parts.push(formatSource(src));
  parts.push(`out ${formatBytes(s.bytesOut)}`);
  return parts.join(' | ');
}

/** Where the status line goes: a terminal (isTTY, columns) or anything else. */
export interface StatusStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface StatusLineOptions {
  /** Milliseconds between lines; default 500 on a terminal, 2000 otherwise (a log should not fill up). */
  intervalMs?: number;
  /** Prefix of every line. */
  prefix?: string;
}

export class StatusLine {
  readonly #out: StatusStream;
  readonly #tty: boolean;
  readonly #interval: number;
  readonly #prefix: string;
  #timer: NodeJS.Timeout | undefined;
  #drawn = false;
  #sample: (() => ProgressSample) | undefined;

  constructor(out: StatusStream, options: StatusLineOptions = {}) {
    this.#out = out;
    this.#tty = out.isTTY === true;
    this.#interval = options.intervalMs ?? (this.#tty ? 500 : 2000);
    this.#prefix = options.prefix ?? '';
  }

  /** Starts drawing `sample()` every interval. The timer does not keep the process alive. */
  start(sample: () => ProgressSample): void {
    this.#sample = sample;
    this.#timer = setInterval(() => this.#draw(formatSample(sample())), this.#interval);
    this.#timer.unref();
  }

  #draw(text: string): void {
    const line = this.#prefix + text;
    if (this.#tty) {
      const width = Math.max(20, (this.#out.columns || 80) - 1);
      this.#out.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line}\x1b[K`);
      this.#drawn = true;
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /** Removes the in-place line (before other output is printed). */
  clear(): void {
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#drawn = false;
  }

  /** Stops; with a label, prints one last line ("done", "interrupted" …) from a fresh sample. */
  stop(label?: string, finalSample?: ProgressSample): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
    const s = finalSample ?? (label !== undefined ? this.#sample?.() : undefined);
    if (label !== undefined && s) this.#out.write(`${this.#prefix}${formatSample(s, label)}\n`);
  }
}
