// `npm start`: packages test/media/av.mp4 to DASH (1-second segments) into out/dash/live.mpd through
// libgpac, every packet passing through a TypeScript plugin (plugins/forward.ts, in a worker thread of its
// own) on its way to the dasher, with a status line while it runs; then reads the result back and prints
// what it verified.
//
//   npx tsx examples/package-dash.ts [SOURCE [OUT_DIR]]
//
// Exit codes as the gpac-ts CLI: 0 packaged and checked, 1 failed (or the check found a problem),
// 2 libgpac not usable here (the message lists every place looked at and what to do).
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Filter } from '../src/session/filter.js';
import { libraryInfo } from '../src/library.js';
import { FilterSession } from '../src/session/session.js';
import { describeFailure } from '../src/cli/failure.js';
import { formatBytes, sampleSession, StatusLine, type StatusStream } from '../src/cli/progress.js';
import { checkDash, summarizeDash, type DashSummary } from './dash-summary.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A stage between the source and the dasher: it loads its filter(s), links them to `upstream` and returns
 * the filter the next stage (or the dasher) takes its input from — e.g. a TypeScript plugin loaded with
 * fs.loadPlugin, or GPAC's reframer.
 */
export type PipelineStage = (fs: FilterSession, upstream: Filter) => Filter | Promise<Filter>;

export interface PackageDashOptions {
  source: string;
  /** Directory of the manifest and segments; emptied first so the check sees only this run's files. */
  outDir: string;
  manifestName?: string;
  /** Target segment duration, seconds (dasher's segdur). */
  segmentDuration?: number;
  /** Extra GPAC threads (-1: one per core). */
  threads?: number;
  stages?: readonly PipelineStage[];
  /** Where the status line goes; null for none. */
  progress?: StatusStream | null;
  /** Called after a successful run, before the session closes (e.g. to wait for plugins' last messages). */
  afterRun?: (fs: FilterSession) => Promise<void>;
}

export interface DashPipelineSpec {
  source: string;
  /** Manifest path; segments are written next to it. */
  manifest: string;
  segmentDuration: number;
  stages: readonly PipelineStage[];
}

export interface DashPipeline {
  source: Filter;
  dasher: Filter;
  sink: Filter;
}

/**
 * source → stages… → dasher → manifest, every link explicit: the dasher takes its input from the last stage
 * (or the source) only, and the manifest sink from the dasher only — left unlinked, the sink would also
 * pull the stage's output through a dasher of its own.
 */
export async function buildDashPipeline(fs: FilterSession, o: DashPipelineSpec): Promise<DashPipeline> {
  const source = fs.loadSrc(o.source);
  let upstream = source;
  for (const stage of o.stages) upstream = await stage(fs, upstream);
  const dasher = fs.load('dasher', { segdur: o.segmentDuration });
  dasher.setSource(upstream);
  const sink = fs.loadDst(o.manifest);
  sink.setSource(dasher);
  return { source, dasher, sink };
}

export interface PackageDashResult {
  summary: DashSummary;
  problems: string[];
  wallMs: number;
}

export async function packageDash(options: PackageDashOptions): Promise<PackageDashResult> {
  const manifest = join(options.outDir, options.manifestName ?? 'live.mpd');
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const fs = new FilterSession({ threads: options.threads ?? -1 });
  const status = options.progress ? new StatusLine(options.progress, { prefix: 'package-dash: ' }) : undefined;
  const started = performance.now();
  try {
    const { source } = await buildDashPipeline(fs, {
      source: options.source,
      segmentDuration: options.segmentDuration ?? 1,
      manifest,
      stages: options.stages ?? [],
    });
    const sample = (finished = false) => sampleSession(fs, [source], started, finished);
    status?.start(sample);
    let ok = false;
    try {
      await fs.run();
      await options.afterRun?.(fs);
      ok = true;
    } finally {
      status?.stop(ok ? 'done in' : 'failed after', sample(ok));
    }
  } finally {
    fs.close();
  }
  const wallMs = performance.now() - started;
  const summary = summarizeDash(manifest);
  return { summary, problems: checkDash(summary), wallMs };
}

function report(r: PackageDashResult, source: string, segdur: number): string {
  const s = r.summary;
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const lines = [`Packaged ${rel(source)} → ${rel(s.manifest)} in ${(r.wallMs / 1000).toFixed(2)} s`];
  const expected = s.durationS !== null ? Math.ceil(s.durationS / segdur - 1e-9) : null;
  for (const rep of s.representations) {
    const kind = [rep.mimeType, rep.codecs].filter(Boolean).join(', ');
    const bytes = (rep.initBytes ?? 0) + rep.segmentBytes;
    // A source whose key frames are further apart than segdur gives fewer, longer segments: a note, not a failure.
    const note = expected !== null && rep.segments.length !== expected ? ` (${expected} expected from the duration)` : '';
    lines.push(`  representation ${rep.id}${kind ? ` (${kind})` : ''}: ${rep.init ? 'init + ' : ''}${rep.segments.length} segments${note}, ${formatBytes(bytes)}`);
  }
  lines.push(
    `  manifest ${formatBytes(s.manifestBytes)}, total ${formatBytes(s.totalBytes)}` +
      (s.durationS !== null ? `, ${s.durationS.toFixed(2)} s of media in ${segdur} s segments` : ''),
  );
  if (r.problems.length === 0) lines.push('Checked: manifest parsed, every init and media segment present and non-empty, segment numbers contiguous.');
  else lines.push('Check FAILED:', ...r.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

async function cli(argv: string[]): Promise<number> {
  const source = resolve(argv[0] ?? join(ROOT, 'test', 'media', 'av.mp4'));
  const outDir = resolve(argv[1] ?? join(ROOT, 'out', 'dash'));
  const segdur = 1;
  try {
    const lib = libraryInfo(); // fails first, and clearly, when libgpac is missing
    process.stderr.write(`package-dash: libgpac ${lib.version} (${lib.path})\n`);
    // The TypeScript plugin stage: forwards every packet unchanged and reports how many it saw.
    const reports: Array<{ packets: number }> = [];
    let plugin: Filter | undefined;
    const forward: PipelineStage = async (fs, upstream) => {
      plugin = await fs.loadPlugin(join(ROOT, 'plugins', 'forward.ts'), { options: { mode: 'forward', report: true }, onMessage: (m) => reports.push(m as { packets: number }) });
      plugin.setSource(upstream);
      return plugin;
    };
    // The plugin's last report may still be on its way from the worker when run() resolves.
    const afterRun = async (fs: FilterSession) => void (plugin && (await fs.plugin(plugin)?.flush()));
    const result = await packageDash({ source, outDir, segmentDuration: segdur, progress: process.stderr, stages: [forward], afterRun });
    process.stdout.write(`${report(result, source, segdur)}\n`);
    const packets = reports.at(-1)?.packets ?? 0;
    process.stdout.write(`Plugin plugins/forward.ts (a worker thread) forwarded ${packets} packets to the dasher.\n`);
    return result.problems.length === 0 && packets > 0 ? 0 : 1;
  } catch (err) {
    const { code, message } = describeFailure(err, process.argv.includes('-debug'));
    process.stderr.write(`${message.replace(/^gpac-ts: /, 'package-dash: ')}\n`);
    return code;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await cli(process.argv.slice(2).filter((a) => a !== '-debug'));
}
