// ParallelMapFilter: a plugin whose per-packet work is a pure function of the payload. The function
// lives in a module of its own (the "map module", default export a MapFunction) so that it can run on a
// piscina pool of worker threads: packets of one process() call, and of the calls that follow while the
// first are still computing, are mapped side by side, and are sent in their input order.
//
//   // plugins/blur.ts — the plugin module
//   export default class Blur extends ParallelMapFilter {
//     constructor(options: { threads?: number }) {
//       super('blur', { map: new URL('./blur-map.ts', import.meta.url), threads: options.threads });
//       this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT);
//       this.pushCap('CodecID', 'raw', GF_CAPS_INPUT_OUTPUT);
//     }
//     protected override pidInfo(pid: FilterPid) { return { width: pid.getProp('Width') }; }
//   }
//   // plugins/blur-map.ts — the map module: no GPAC, no state shared between packets
//   export default function blur(data: Uint8Array, info: MapInfo): void { … writes into data … }
//
// Memory: each payload is copied once into a SharedArrayBuffer the pool's thread maps in place (or returns a
// new array, transferred back), then once into the output packet's GPAC buffer. threads: 0 runs the same
// function on the same kind of copy, serially, in the plugin's own worker: the reference the parallel run
// must match byte for byte.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';
import { isTypeScript, RUNNING_TS, tsxCjsHook, tsxEsmApi } from './tsx.js';
import { FilterCustom } from './filter-custom.js';
import type { FilterPacket } from './filter-packet.js';
import type { FilterPid } from './filter-pid.js';
import { checkMapFunction, type MapFunction, type MapInfo, type MapTask, type MapWorkerData } from './map-types.js';

export interface ParallelMapOptions {
  /** The map module: an absolute path or a file: URL (e.g. `new URL('./my-map.ts', import.meta.url)`). */
  map: string | URL;
  /** Threads of the pool (default: the machine's available parallelism); 0 maps serially in the plugin's worker. */
  threads?: number;
  /** Packets being mapped at most (default: 2 × threads). Bounds the memory held: one payload copy each. */
  window?: number;
  /** Given to the map function as info.options (structured-cloned to the pool's threads). */
  mapOptions?: unknown;
}

/** A packet being mapped. */
interface Job {
  pck: FilterPacket; // the input packet, ref()'d until its output is sent (copyProps reads it)
  done: boolean;
  out?: Uint8Array;
  error?: unknown;
  buf?: SharedArrayBuffer;
  wait: Promise<void>;
}

/** One input PID and the output PID it maps to. */
interface Lane {
  ipid: FilterPid;
  opid: FilterPid;
  info: unknown;
  index: number;
  jobs: Job[]; // in input order
}

/** While jobs are in flight, process() is asked for again after this long at the latest (µs): a job that
 *  completes wakes the filter at once, but not when it completes while process() is already running. */
const POLL_US = 2000;

export class ParallelMapFilter extends FilterCustom {
  readonly #mapUrl: string;
  readonly #threads: number;
  readonly #window: number;
  readonly #mapOptions: unknown;
  readonly #lanes = new Map<FilterPid, Lane>();
  #pool: Piscina | null = null;
  #serial: Promise<MapFunction> | null = null;
  #inFlight = 0;
  #inProcess = false;
  /** SharedArrayBuffers of sent packets, reused for the next payloads. */
  readonly #free: SharedArrayBuffer[] = [];

  constructor(name: string | undefined, options: ParallelMapOptions) {
    super(name);
    if (!options || (typeof options.map !== 'string' && !(options.map instanceof URL))) {
      throw new TypeError('ParallelMapFilter: options.map must name the map module (an absolute path or a file: URL)');
    }
    const map = options.map instanceof URL ? options.map : options.map.startsWith('file:') ? new URL(options.map) : pathToFileURL(options.map);
    if (map.protocol !== 'file:') throw new TypeError(`ParallelMapFilter: the map module must be a file, received ${map.href}`);
    this.#mapUrl = map.href;
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 0) throw new TypeError(`ParallelMapFilter: threads must be a non-negative integer, received ${String(threads)}`);
    this.#threads = threads;
    const window = options.window ?? Math.max(2, 2 * threads);
    if (!Number.isInteger(window) || window < 1) throw new TypeError(`ParallelMapFilter: window must be a positive integer, received ${String(window)}`);
    this.#window = window;
    this.#mapOptions = options.mapOptions;
  }

  /** Threads of the pool (0: serial). */
  get threads(): number {
    return this.#threads;
  }

  /** What the map function receives as info.pid for packets of `pid` (called by configurePid). */
  protected pidInfo(_pid: FilterPid): unknown {
    return undefined;
  }

  /** Sets up the output PID of `ipid` (default: the input's properties). */
  protected configureOutput(opid: FilterPid, ipid: FilterPid): void {
    opid.copyProps(ipid);
  }

  override async configurePid(pid: FilterPid, isRemove: boolean): Promise<number> {
    const lane = this.#lanes.get(pid);
    if (isRemove) {
      if (lane) {
        await this.#drain(lane);
        lane.opid.remove();
        this.#lanes.delete(pid);
      }
      return 0;
    }
    // A reconfiguration applies to the packets that follow: those in flight go out under the old one.
    if (lane) await this.#drain(lane);
    const info = this.pidInfo(pid);
    if (lane) {
      lane.info = info;
      this.configureOutput(lane.opid, pid);
    } else {
      const opid = this.newPid();
      this.configureOutput(opid, pid);
      this.#lanes.set(pid, { ipid: pid, opid, info, index: 0, jobs: [] });
    }
    return 0;
  }

  override async process(): Promise<number> {
    this.#inProcess = true;
    try {
      for (const lane of this.#lanes.values()) {
        const { ipid } = lane;
        for (let pck = this.#room() ? ipid.getPacket() : null; pck; pck = this.#room() ? ipid.getPacket() : null) {
          const job = this.#start(lane, pck);
          if (this.#threads === 0) await job.wait; // serial: one packet at a time
          ipid.dropPacket();
        }
      }
      for (const lane of this.#lanes.values()) {
        // In order: the head is waited for when the window is full or the input has ended; later jobs
        // already done go out behind it.
        while (lane.jobs.length > 0) {
          const head = lane.jobs[0] as Job;
          if (!head.done) {
            if (this.#room() && !lane.ipid.eos) break;
            await head.wait;
          }
          this.#finish(lane, head);
        }
        if (lane.ipid.eos && !lane.opid.eos) lane.opid.eos = true;
      }
      if (this.#inFlight > 0) this.reschedule(POLL_US);
      else if (this.#pool && [...this.#lanes.values()].every((l) => l.opid.eos)) this.#closePool();
      return 0;
    } finally {
      this.#inProcess = false;
    }
  }

  #room(): boolean {
    return this.#inFlight < this.#window;
  }

  /** Starts mapping `pck` (serially in this worker, or on the pool) and queues its job on `lane`. */
  #start(lane: Lane, pck: FilterPacket): Job {
    const info: MapInfo = { index: lane.index++, dts: pck.dts, cts: pck.cts, pid: lane.info, options: this.#mapOptions };
    const job = { pck: pck.ref(), done: false } as Job;
    lane.jobs.push(job);
    this.#inFlight++;
    const data = pck.data ?? new Uint8Array(0);
    job.wait = this.#threads === 0 ? this.#mapHere(job, new Uint8Array(data), info) : this.#mapOnPool(job, data, info);
    return job;
  }

  async #mapHere(job: Job, copy: Uint8Array, info: MapInfo): Promise<void> {
    const fn = await this.#serialMap();
    try {
      job.out = (await fn(copy, info)) ?? copy;
    } catch (e) {
      job.error = e;
    }
    job.done = true;
  }

  #mapOnPool(job: Job, data: Uint8Array, info: MapInfo): Promise<void> {
    const buf = this.#buffer(data.byteLength);
    new Uint8Array(buf, 0, data.byteLength).set(data);
    job.buf = buf;
    const task: MapTask = { buf, size: data.byteLength, info };
    return this.#poolFor()
      .run(task)
      .then(
        (r: Uint8Array | undefined) => {
          job.out = r ?? new Uint8Array(buf, 0, data.byteLength);
        },
        (e: unknown) => {
          job.error = e;
        },
      )
      .finally(() => {
        job.done = true;
        // Called again to send it, unless process() is running (it sends what is done before returning).
        if (!this.#inProcess) this.#wake();
      });
  }

  #wake(): void {
    try {
      this.reschedule(0);
    } catch {
      // The filter is gone (session closed): nothing to send to any more.
    }
  }

  /** Sends the output of a done job (or fails the callback with its error). */
  #finish(lane: Lane, job: Job): void {
    lane.jobs.shift();
    this.#inFlight--;
    try {
      if (job.error !== undefined) throw job.error;
      const out = job.out as Uint8Array;
      const o = lane.opid.newPck(out.byteLength);
      if (out.byteLength > 0) o.data!.set(out);
      o.copyProps(job.pck);
      o.send();
    } finally {
      job.pck.unref();
      if (job.buf) this.#free.push(job.buf);
    }
  }

  /** Sends everything in flight on `lane` (before a reconfiguration or removal). */
  async #drain(lane: Lane): Promise<void> {
    while (lane.jobs.length > 0) {
      const head = lane.jobs[0] as Job;
      await head.wait;
      this.#finish(lane, head);
    }
  }

  #buffer(size: number): SharedArrayBuffer {
    const i = this.#free.findIndex((b) => b.byteLength >= size);
    if (i >= 0) return this.#free.splice(i, 1)[0] as SharedArrayBuffer;
    return new SharedArrayBuffer(Math.max(size, 1));
  }

  #serialMap(): Promise<MapFunction> {
    this.#serial ??= (async () => {
      const mod = (await import(this.#mapUrl)) as { default?: unknown };
      return checkMapFunction(mod.default, this.#mapUrl);
    })();
    return this.#serial;
  }

  #poolFor(): Piscina {
    if (this.#pool) return this.#pool;
    const mapFile = fileURLToPath(this.#mapUrl);
    const where = `ParallelMapFilter ${this.name}: map module ${mapFile}`;
    const workerFile = fileURLToPath(new URL(RUNNING_TS ? './map-worker.ts' : './map-worker.js', import.meta.url));
    const workerData: MapWorkerData = {
      mapUrl: this.#mapUrl,
      tsx: isTypeScript(mapFile) || RUNNING_TS ? tsxEsmApi(where) : undefined,
    };
    // piscina costs ~20 ms to import: load it with the first pool, not with the package.
    const { Piscina: PiscinaClass } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
    this.#pool = new PiscinaClass({
      filename: workerFile,
      minThreads: this.#threads,
      maxThreads: this.#threads,
      // Each thread takes one packet at a time: the window already bounds the work queued.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      workerData,
      // map-worker.ts itself is TypeScript when gpac-ts runs from its sources: piscina require()s it first.
      execArgv: RUNNING_TS ? ['--require', tsxCjsHook(where)] : [],
    });
    return this.#pool;
  }

  #closePool(): void {
    const pool = this.#pool;
    this.#pool = null;
    void pool?.destroy().catch(() => undefined);
  }
}
