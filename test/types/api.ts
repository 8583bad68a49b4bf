// Type tests of the public API: compiled by tsc (test/types.test.ts), never run. Each `@ts-expect-error` line
// must be a compile error (tsc reports TS2578 when one is not), so a type that stops being checked fails the
// suite. What is checked comes from generated/: filter options, property value types, event fields, the
// session's enum names.
import {
  DASHCustomAlgorithm,
  FileIO,
  FileIOFactory,
  FilterCustom,
  HTTPOutRequest,
  FilterEvent,
  FilterSession,
  GF_CAPS_INPUT_OUTPUT,
  type DASHGroup,
  type DASHGroupStatistics,
  type Filter,
  type FilterPacket,
  type FilterPid,
  type PropertyValue,
} from '../../src/index.js';

declare const fs: FilterSession;

// ---------------------------------------------------------------- session options (generated enum names)
new FilterSession({ flags: ['GF_FS_FLAG_NO_PROBE', 'GF_FS_FLAG_NON_BLOCKING'], scheduler: 'GF_FS_SCHEDULER_LOCK', threads: 2 });
// @ts-expect-error not a GF_FS_FLAG_* name
new FilterSession({ flags: ['GF_FS_FLAG_NOPE'] });
// @ts-expect-error not a GF_FS_SCHEDULER_* name
new FilterSession({ scheduler: 'LOCK' });
// @ts-expect-error no such session option (threads)
new FilterSession({ thread: 2 });
fs.abort('GF_FS_FLUSH_ALL');
// @ts-expect-error not a GF_FS_FLUSH_* name
fs.abort('GF_FS_FLUSH_SOME');

// ---------------------------------------------------------------- filter options (generated per filter)
const dasher: Filter<'dasher'> = fs.load('dasher', { segdur: 2, profile: 'live', template: '$Number$' });
fs.load('dasher', { segdur: { num: 3, den: 2 }, buf: '2k', FID: 'dash', '#Period': 'P1' });
fs.load('dasher:segdur=2:profile=live'); // GPAC's string form
// @ts-expect-error wrong option type: segdur is a number, a fraction or GPAC fraction text
fs.load('dasher', { segdur: true });
// @ts-expect-error unknown option
fs.load('dasher', { nosuchopt: 1 });
// @ts-expect-error wrong enum value
fs.load('dasher', { profile: 'lve' });
// @ts-expect-error options belong in the string or in the object, not both
fs.load('dasher:segdur=2', { profile: 'live' });
// @ts-expect-error an unknown filter takes no options object (use the string form)
fs.load('nosuchfilter', { a: 1 });

dasher.update('segdur', 4);
// @ts-expect-error wrong option type in update()
dasher.update('segdur', true);
// @ts-expect-error unknown option in update()
dasher.update('nosuchopt', 1);
const anyFilter: Filter = fs.getFilter(0);
anyFilter.update('whatever', 'text'); // not known at compile time: checked at run time

// Sources and destinations: options of any filter GPAC may load for the URL.
fs.loadSrc('in.mp4');
fs.loadSrc('in.mp4', 'parent.mpd');
fs.loadSrc('in.mp4', { FID: 'src', '#MyProp': 3 });
fs.loadDst('out.mpd', { segdur: 2, profile: 'live' });
// @ts-expect-error no filter has this option
fs.loadDst('out.mpd', { segdurr: 2 });
// @ts-expect-error wrong type for every filter having the option
fs.loadDst('out.mpd', { segdur: true });

// ---------------------------------------------------------------- properties (generated value types)
const width: number | undefined = anyFilter.ipidProp(0, 'Width');
const stream = anyFilter.opidProp(0, 'StreamType');
if (stream === 'Visual' || typeof stream === 'number') void stream;
const user: PropertyValue | undefined = anyFilter.ipidProp(0, 'MyUserProperty');
// @ts-expect-error Width reads as a number
const badWidth: string | undefined = anyFilter.ipidProp(0, 'Width');
// @ts-expect-error Duration is a 64-bit fraction: bigint members
const badDuration: { num: number; den: number } | undefined = anyFilter.ipidProp(0, 'Duration');
const props = anyFilter.ipidProps(0);
const height: number | undefined = props.Height;
void [width, user, badWidth, badDuration, height];

// ---------------------------------------------------------------- plugins
export default class TypedPlugin extends FilterCustom {
  constructor() {
    super('typed');
    this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT);
    this.pushCap('CodecID', 'avc', GF_CAPS_INPUT_OUTPUT);
    this.pushCap('MyCap', 3, GF_CAPS_INPUT_OUTPUT, 0, 'uint');
    // @ts-expect-error not a codec name GPAC knows
    this.pushCap('CodecID', 'nosuchcodec', GF_CAPS_INPUT_OUTPUT);
    // @ts-expect-error StreamType takes a name or a number
    this.pushCap('StreamType', true, GF_CAPS_INPUT_OUTPUT);
  }

  override configurePid(pid: FilterPid): number {
    const opid = this.newPid();
    opid.copyProps(pid);
    opid.setProp('Width', 1280);
    opid.setProp('FPS', { num: 25, den: 1 });
    opid.setProp('Duration', { num: 10n, den: 1 });
    opid.setProp('PixelFormat', 'yuv420');
    opid.setProp('MyLabel', 'hello');
    opid.setProp('Width', null); // removes it
    // @ts-expect-error wrong property value type
    opid.setProp('Width', 'wide');
    // @ts-expect-error not a stream type name
    opid.setProp('StreamType', 'Vissual');
    // @ts-expect-error not a pixel format name
    opid.setProp('PixelFormat', 'yuv9000');
    const tb: number | undefined = pid.getProp('Timescale');
    // @ts-expect-error Timescale reads as a number
    const badTb: string | undefined = pid.getProp('Timescale');
    void [tb, badTb];
    return 0;
  }

  override process(): number {
    for (const pid of this.ipids) {
      const pck: FilterPacket | null = pid.getPacket();
      if (!pck) continue;
      const sap = pck.getProp('CueStart');
      void sap;
      pid.dropPacket();
    }
    return 0;
  }

  override processEvent(evt: FilterEvent): boolean {
    const seg = evt.segSize;
    const url: string | null = seg.segUrl;
    const b64: string | null = seg.base64Version;
    const init: number = seg.isInit;
    // @ts-expect-error base64_version is a C string, not a boolean
    const badB64: boolean = seg.base64Version;
    const size: bigint = evt.fragSize.size;
    // @ts-expect-error FragmentSize.size is a u64: a bigint
    const badSize: number = evt.fragSize.size;
    void [url, b64, init, badB64, size, badSize];
    return false;
  }
}

// ---------------------------------------------------------------- events (generated layouts)
fs.fireEvent({ type: 'GF_FEVT_PLAY', startRange: 2, speed: 1, hintFirstDts: 0n });
fs.fireEvent({ type: 'GF_FEVT_SEGMENT_SIZE', segUrl: 'seg.m4s', isInit: 1, mediaRangeEnd: 1000 });
fs.fireEvent({ type: 1, speed: 2 }); // a number: any field of any member
new FilterEvent('GF_FEVT_STOP', { startRange: 0 });
// @ts-expect-error no such field in GF_FEVT_Play
fs.fireEvent({ type: 'GF_FEVT_PLAY', bogusField: 1 });
// @ts-expect-error speed is a number
fs.fireEvent({ type: 'GF_FEVT_PLAY', speed: 'fast' });
// @ts-expect-error is_init is a u8, not a Bool
fs.fireEvent({ type: 'GF_FEVT_SEGMENT_SIZE', isInit: true });
// @ts-expect-error not a GF_FEVT_* name
fs.fireEvent({ type: 'GF_FEVT_JUMP' });
// @ts-expect-error no member has this field
new FilterEvent('GF_FEVT_STOP', { nosuchField: 1 });

// ------------------------------------------------------------------ DASH algorithm plugins
export class GoodAlgo extends DASHCustomAlgorithm {
  onRateAdaptation(group: DASHGroup, _b: DASHGroup, _f: boolean, stats: DASHGroupStatistics): number {
    const q = group.qualities[stats.activeQualityIdx];
    return q && q.bandwidth > stats.downloadRate ? 0 : stats.activeQualityIdx;
  }
}
export class BadAlgo extends DASHCustomAlgorithm {
  // @ts-expect-error onRateAdaptation returns a quality index (or a Promise of one), not a string
  onRateAdaptation(): string {
    return 'next';
  }
}
declare const group: DASHGroup;
// @ts-expect-error libgpac.py's ID is camelCased: id
void group.qualities[0]?.ID;
// @ts-expect-error the group is a snapshot: read-only
group.idx = 2;
// @ts-expect-error fps is a Fraction, not a number
const fps: number = group.qualities[0]!.fps;
void fps;
void fs.bindDashAlgorithm('./plugins/dash-cycle.ts', { timeoutMs: 500, options: { verbose: true } });
// @ts-expect-error timeoutMs is a number of milliseconds
void fs.bindDashAlgorithm('./plugins/dash-cycle.ts', { timeoutMs: '500' });
declare const dashin: Filter;
void dashin.bind('./plugins/dash-cycle.ts');
// @ts-expect-error bind takes a module spec (the algorithm runs in a worker), not an object
void dashin.bind(new GoodAlgo());

// ------------------------------------------------------------------ FileIO plugins
export class GoodStore extends FileIOFactory {
  open(): void {}
  close(): void {}
  async read(buffer: Uint8Array): Promise<number> {
    return buffer.length;
  }
  write(buffer: Uint8Array): number {
    return buffer.length;
  }
  seek(): void {}
  tell(): number {
    return 0;
  }
  eof(): boolean {
    return true;
  }
}
// @ts-expect-error a FileIO factory must define every method GPAC calls (read, write, seek, tell, eof, close)
export class HalfStore extends FileIOFactory {
  open(): void {}
}
export class BadStore extends GoodStore {
  // @ts-expect-error read() returns the number of bytes read (or a Promise of it)
  override read(): string {
    return 'x';
  }
}
void FileIO.create('live.mpd', './plugins/fileio-memory.ts', { options: { files: new Map() }, timeoutMs: 1000 }).then((fio) => fs.loadDst(fio.url + ':segdur=2'));
// @ts-expect-error the URL to wrap is a string
void FileIO.create(new URL('file:///x.mp4'), './plugins/fileio-memory.ts');
declare const fio: FileIO;
// @ts-expect-error the gfio:// URL is GPAC's, read-only
fio.url = 'gfio://x';

// ------------------------------------------------------------------ HTTP request handlers
export class GoodHandler extends HTTPOutRequest {
  override onRequest(method: string, url: string, authCode: number, headers: string[]): void {
    this.headersOut = ['X-Method', method, 'X-Auth', String(authCode), 'X-Headers', String(headers.length)];
    if (url.startsWith('/private/')) this.reply = 403;
    this.send();
  }
  override read(buffer: Uint8Array): number {
    return buffer.length;
  }
}
export class BadHandler extends HTTPOutRequest {
  override onRequest(): void {
    // @ts-expect-error headersOut is a flat list of strings (names at even indexes), not an object
    this.headersOut = { 'X-A': '1' };
    // @ts-expect-error reply is an HTTP status code
    this.reply = '403';
  }
  // @ts-expect-error write() receives a chunk (or null at the end), not a string
  override write(chunk: string): void {
    void chunk;
  }
}
void fs.bindHttpHandler('./plugins/http-handler.ts', { options: { headers: ['X-Origin', 'edge-1'] } });
// @ts-expect-error bindHttpHandler takes a module spec (the handler runs in a worker), not an instance
void fs.bindHttpHandler(new GoodHandler());
