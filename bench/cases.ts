// The benchmark cases. Each case is the same work done three ways, each in its own child process:
//   cli  the `gpac` CLI remuxing the input (the reference, ratio 1.00)
//   api  a gpac-ts script in bench/cases/ (run as `node --import tsx SCRIPT IN OUT`)
//   py   a libgpac.py script in bench/cases/ (run as `python3 SCRIPT IN OUT`), when libgpac.py imports
// Scripts follow the protocol of bench/cases/report.ts (clock, $BENCH_RESULT, exit 3 = not available).
//
// Hooks for issue 4: forward-plugin and read-payload have their CLI and libgpac.py sides; their gpac-ts
// side is bench/cases/<name>-api.ts, to be written with the plugin API (fs.loadPlugin with a FilterCustom
// module forwarding every packet; read-payload also reads every byte of each payload view). Until that
// file exists the harness prints "not available yet" for that column.
import type { BenchMediaId } from './media.js';

export type Variant = 'cli' | 'api' | 'py';

export interface BenchCase {
  name: string;
  /** Issue that sets the target. */
  issue: number;
  what: string;
  media: BenchMediaId;
  /** Targets for gpac-ts relative to the CLI: wall time ratio, and peak RSS ratio when the issue sets one. */
  target: { time: number; rss?: number };
  /** gpac CLI arguments doing the reference work. */
  cli(input: string, output: string): string[];
  /** For a case measuring a speed-up: the case it is compared with (its gpac-ts time over this one's). */
  speedupOver?: string;
  /** Script names in bench/cases/. */
  api: string;
  py: string | null;
}

const decodeCli = (input: string): string[] => ['-i', input, '-o', '/dev/null:ext=yuv'];
const remuxCli = (input: string, output: string): string[] => ['-i', input, '-o', output];

export const CASES: BenchCase[] = [
  {
    name: 'startup',
    issue: 3,
    what: 'start-up alone: `gpac -h` (libgpac loaded, gf_sys_init, usage printed) against importing gpac-ts and making a session',
    media: 'h264-720p',
    // Informational: the fixed cost every other case pays once (Node's module loading, the plugin-less floor).
    target: { time: Number.POSITIVE_INFINITY },
    cli: () => ['-h'], // exits 0 (`gpac -version` exits 1: "Nothing to do")
    api: 'startup-api.ts',
    py: null,
  },
  {
    name: 'remux',
    issue: 3,
    what: 'mp4 -> mp4 remux of the 720p H.264 file, no JavaScript in the loop',
    media: 'h264-720p',
    target: { time: 1.05 },
    cli: remuxCli,
    api: 'remux-api.ts',
    py: 'remux-py.py',
  },
  {
    name: 'remux-long',
    issue: 3,
    what: 'the same remux on 5 min of 720p H.264 (7,500 packets): what the binding costs once start-up is amortised',
    media: 'h264-720p-5min',
    target: { time: 1.05 },
    cli: remuxCli,
    api: 'remux-api.ts',
    py: 'remux-py.py',
  },
  {
    name: 'forward-plugin',
    issue: 4,
    what: 'mp4 -> forwarding plugin -> mp4 on 30 min of AAC (~84k small packets)',
    media: 'aac-30min',
    target: { time: 1.5, rss: 1.5 },
    cli: remuxCli,
    api: 'forward-plugin-api.ts',
    py: 'forward-plugin-py.py',
  },
  {
    name: 'read-payload',
    issue: 4,
    what: 'mp4 -> plugin reading every payload byte, forwarding -> mp4 on the 720p H.264 file (large packets)',
    media: 'h264-720p',
    target: { time: 1.2 },
    cli: remuxCli,
    api: 'read-payload-api.ts',
    py: 'read-payload-py.py',
  },
  {
    name: 'read-payload-long',
    issue: 4,
    what: 'the same on 5 min of 720p H.264 (7,500 packets, 150 MB read in JavaScript): the cost once start-up is amortised',
    media: 'h264-720p-5min',
    target: { time: 1.2 },
    cli: remuxCli,
    api: 'read-payload-api.ts',
    py: 'read-payload-py.py',
  },
  {
    name: 'parallel-map-serial',
    issue: 4,
    what: '720p H.264 decoded by GPAC, luma blurred by a ParallelMapFilter plugin serially (pool of 0), frames discarded',
    media: 'h264-720p',
    // The CLI only decodes: the ratio is the blur's cost, not a target the binding can meet.
    target: { time: Number.POSITIVE_INFINITY },
    cli: decodeCli,
    api: 'parallel-map-serial-api.ts',
    py: null,
  },
  {
    name: 'parallel-map',
    issue: 4,
    what: 'the same blur on a piscina pool of one thread per CPU: the speed-up over parallel-map-serial',
    media: 'h264-720p',
    target: { time: Number.POSITIVE_INFINITY },
    speedupOver: 'parallel-map-serial',
    cli: decodeCli,
    api: 'parallel-map-api.ts',
    py: null,
  },
  {
    name: 'dash-algorithm',
    issue: 15,
    what: 'a 60-segment DASH presentation played into inspect; gpac-ts and libgpac.py with a DASH algorithm plugin answering every segment (the CLI: GPAC\'s own algorithm). `info` gives the cost of one algorithm call, measured in the same process with and without it',
    media: 'dash-ladder',
    target: { time: Number.POSITIVE_INFINITY },
    cli: (input, output) => ['-i', input, `inspect:deep:log=${output}`],
    api: 'dash-algorithm-api.ts',
    py: 'dash-algorithm-py.py',
  },
  {
    name: 'fileio-read',
    issue: 15,
    what: '150 MB mp4 (5 min of 720p H.264) demuxed to /dev/null:ext=264, read through a FileIO plugin (plugins/fileio-directory.ts; libgpac.py: the howto\'s factory) against GPAC reading the file itself',
    media: 'h264-720p-5min',
    target: { time: 1.2 },
    cli: (input) => ['-i', input, '-o', '/dev/null:ext=264'],
    api: 'fileio-read-api.ts',
    py: 'fileio-read-py.py',
  },
  {
    name: 'fileio-write',
    issue: 15,
    what: 'the same 5 min of 720p H.264 segmented by the dasher (2 s segments), manifest and segments written through a FileIO plugin (plugins/fileio-directory.ts; libgpac.py: the howto\'s factory) against GPAC writing the files itself',
    media: 'h264-720p-5min',
    target: { time: 1.2 },
    cli: (input, output) => ['-i', input, '-o', `${output.replace(/[^/]*$/, 'cli-dash/live.mpd')}:segdur=2`],
    api: 'fileio-write-api.ts',
    py: 'fileio-write-py.py',
  },
  {
    name: 'http-handler',
    issue: 15,
    what: 'requests per second of httpout with an HTTP handler plugin adding headers (plugins/http-handler.ts) against httpout alone (a gpac CLI server, and gpac-ts without a handler), 3000 GETs of a 1 kB file from Node\'s fetch, 16 at a time: the figures and ratios (target handler / CLI >= 0.8) are in `info`; the time columns (CLI: `gpac -h`) do not compare the same work',
    media: 'h264-720p',
    target: { time: Number.POSITIVE_INFINITY },
    cli: () => ['-h'],
    api: 'http-handler-api.ts',
    py: null,
  },
];
