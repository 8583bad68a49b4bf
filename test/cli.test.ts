// The gpac-ts command line (bin/gpac-ts.js → src/cli/) and the `npm start` example (examples/), run as
// child processes the way a user runs them; the pure parts (argument and filter-description parsing, the
// status line, the DASH summary) are also tested in-process. Tests that need libgpac go through
// itGpac / itGpacCli (skipped visibly without GPAC, failures with REQUIRE_GPAC=1).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkDash, summarizeDash, templatePattern } from '../examples/dash-summary.js';
import { packageDash, type PipelineStage } from '../examples/package-dash.js';
import { parseArgs, UsageError, type RunCommand } from '../src/cli/args.js';
import { checkFilterDescription, parseFilterDescription } from '../src/cli/filter-desc.js';
import { parseFilterHelp } from '../src/cli/gpac-docs.js';
import { formatSample, StatusLine, type ProgressSample } from '../src/cli/progress.js';
import { FilterOptionsError } from '../src/options.js';
import { hasGpac, itGpac, itGpacCli, libgpacPath } from './helpers/gpac.js';
import { inspect, inspectPackets } from './helpers/inspect.js';
import { tmpDir } from './helpers/tmp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'gpac-ts.js');
const AV = join(ROOT, 'test', 'media', 'av.mp4');

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** `node bin/gpac-ts.js ARGS` */
function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<Result> {
  return run(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], opts);
}

const show = (r: Result) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

// ------------------------------------------------------------------------------------- in-process

describe('argument parsing (gpac conventions)', () => {
  const runOf = (argv: string[]) => {
    const c = parseArgs(argv);
    if (c.kind !== 'run') throw new Error(`expected a run command, got ${c.kind}`);
    return c as RunCommand;
  };

  it('keeps filters, sources, sinks and links in command-line order', () => {
    const c = runOf(['-i', 'a.mp4', 'dasher:segdur=2', '@1#video', '-o', 'x.mpd', 'src=b.mp4', 'dst=y.mp4', '@@0', 'inspect']);
    expect(c.steps.map((s) => s.kind)).toEqual(['src', 'filter', 'link', 'dst', 'src', 'dst', 'link', 'filter']);
    expect(c.steps[2]).toMatchObject({ fromEnd: true, index: 1, fragment: 'video' });
    expect(c.steps[6]).toMatchObject({ fromEnd: false, index: 0, fragment: undefined });
  });

  it('reads option values after = or as the next argument', () => {
    const a = runOf(['-threads=2', '-sched', 'lock', '-logs=all@info', '-i', 'a', '-graph', '-stats', '-no-reg', '--segdur=2']);
    expect(a).toMatchObject({ threads: 2, scheduler: 'GF_FS_SCHEDULER_LOCK', logs: 'all@info', graph: true, stats: true, globalArgs: ['--segdur=2'] });
    expect(a.flags).toEqual(['GF_FS_FLAG_NO_REGULATION']);
    expect(runOf(['-threads', '-1', '-i', 'a']).threads).toBe(-1);
    expect(runOf(['-quiet', '-i', 'a'])).toMatchObject({ quiet: true, progress: false });
  });

  it('refuses unknown options, missing or bad values, and dangling links, naming what is wrong', () => {
    expect(() => parseArgs(['-threadz=2', '-i', 'a'])).toThrow(/unknown option "-threadz" \(did you mean -threads\?\)/);
    expect(() => parseArgs(['-i'])).toThrow(/option -i needs a value/);
    expect(() => parseArgs(['-threads', 'two', '-i', 'a'])).toThrow(/-threads expects an integer ≥ -1 \(received "two"\)/);
    expect(() => parseArgs(['-sched=fast', '-i', 'a'])).toThrow(/-sched expects one of free, lock, freex, flock, direct \(received "fast"\)/);
    expect(() => parseArgs(['-i', 'a', '@x'])).toThrow(UsageError);
    expect(() => parseArgs(['-i', 'a', '@1'])).toThrow(/not followed by a filter/);
    expect(() => parseArgs([])).toThrow(/nothing to do/);
    expect(() => parseArgs(['-graph=1', '-i', 'a'])).toThrow(/-graph takes no value/);
    // Names are data: Object.prototype members are neither schedulers nor help options.
    expect(() => parseArgs(['-sched=constructor', '-i', 'a'])).toThrow(/-sched expects one of/);
    expect(parseArgs(['toString']).kind).toBe('run');
  });

  it('-h takes every following non-option argument as a topic, -ha/-hx/-hh raise the level', () => {
    expect(parseArgs(['-h'])).toEqual({ kind: 'help', topics: [], level: 'basic' });
    expect(parseArgs(['-hx', 'dasher', 'fin', '-debug'])).toEqual({ kind: 'help', topics: ['dasher', 'fin'], level: 'expert' });
    expect(parseArgs(['-version'])).toEqual({ kind: 'version' });
  });
});

describe('filter descriptions', () => {
  it('splits options as GPAC does: opaque :: values, URLs, bare booleans', () => {
    expect(parseFilterDescription('dasher:segdur=2:!align:sfile')).toEqual({
      name: 'dasher',
      args: [
        { key: 'segdur', value: '2' },
        { key: '!align', value: undefined },
        { key: 'sfile', value: undefined },
      ],
    });
    expect(parseFilterDescription('f:a=foo::b=bar:c::d=fun').args).toEqual([
      { key: 'a', value: 'foo' },
      { key: 'b', value: 'bar:c' },
      { key: 'd', value: 'fun' },
    ]);
    expect(parseFilterDescription('f::a=foo:b=bar').args).toEqual([{ key: 'a', value: 'foo:b=bar' }]);
    expect(parseFilterDescription('dasher:base=http://example.com/x:segdur=1').args).toEqual([
      { key: 'base', value: 'http://example.com/x' },
      { key: 'segdur', value: '1' },
    ]);
  });

  it('checks options against the generated schema, naming the filter and the option', () => {
    expect(() => checkFilterDescription('dasher:segdur=1:profile=live:!align:sfile:FID=d:SID=src#video')).not.toThrow();
    expect(() => checkFilterDescription('dasher:segdur=1:live')).not.toThrow(); // enum value shortcut for profile=live
    expect(() => checkFilterDescription('dasher:segdurr=1')).toThrow(/dasher has no option "segdurr" \(did you mean "segdur"\?\)/);
    expect(() => checkFilterDescription('dasher:profile=lve')).toThrow(FilterOptionsError);
    expect(() => checkFilterDescription('dasher:profile=lve')).toThrow(/option "profile" must be one of auto, live, onDemand/);
    expect(() => checkFilterDescription('dasher:segdur=abc')).toThrow(/option "segdur"/);
    // Not the bindings' to judge: the enc shortcut, script filters, filters the bindings do not know.
    expect(() => checkFilterDescription('c=avc:b=1000')).not.toThrow();
    expect(() => checkFilterDescription('myfilter.js:anything=1')).not.toThrow();
    expect(() => checkFilterDescription('notafilter:x=1')).not.toThrow();
  });
});

describe('status line', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const sample: ProgressSample = {
    elapsedMs: 1500,
    filters: 7,
    sources: [{ name: 'av.mp4', percent: 42, positionS: 1.26, durationS: 3, bytesRead: 5000, size: 86035, done: false }],
    bytesOut: 150_200,
  };

  it('formats elapsed time, filters, per-source progress and bytes out', () => {
    expect(formatSample(sample)).toBe('1.50s | 7 filters | av.mp4 42% (1.3/3.0s) | out 150.2 kB');
    expect(formatSample({ ...sample, sources: [{ ...sample.sources[0]!, percent: 6, positionS: null, durationS: null }] }, 'done in')).toBe(
      'done in 1.50s | 7 filters | av.mp4 6% (5.00 kB/86.0 kB) | out 150.2 kB',
    );
  });

  it('rewrites one line in place on a terminal, and ends it with the final line', () => {
    vi.useFakeTimers();
    let text = '';
    const line = new StatusLine({ isTTY: true, columns: 100, write: (t: string) => (text += t) }, { prefix: 'p: ' });
    line.start(() => sample);
    vi.advanceTimersByTime(1000);
    line.stop('done in', { ...sample, elapsedMs: 3000 });
    expect(text).toBe(
      '\rp: 1.50s | 7 filters | av.mp4 42% (1.3/3.0s) | out 150.2 kB\x1b[K'.repeat(2) + '\r\x1b[Kp: done in 3.00s | 7 filters | av.mp4 42% (1.3/3.0s) | out 150.2 kB\n',
    );
  });

  it('writes plain lines, less often, when stderr is not a terminal', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const line = new StatusLine({ write: (t: string) => lines.push(t) });
    line.start(() => sample);
    vi.advanceTimersByTime(4100);
    line.stop();
    expect(lines).toEqual(['1.50s | 7 filters | av.mp4 42% (1.3/3.0s) | out 150.2 kB\n', '1.50s | 7 filters | av.mp4 42% (1.3/3.0s) | out 150.2 kB\n']);
  });
});

describe('DASH summary (examples/dash-summary.ts)', () => {
  const mpd = `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT0H0M3.000S">
 <Period>
  <AdaptationSet mimeType="video/mp4">
   <SegmentTemplate media="v_$RepresentationID$_$Number%03d$.m4s" initialization="v_$RepresentationID$_init.mp4" startNumber="1"/>
   <Representation id="1" codecs="avc1.64000D" bandwidth="1000"/>
   <Representation id="2" codecs="avc1.64000D" bandwidth="2000"></Representation>
  </AdaptationSet>
  <AdaptationSet mimeType="audio/mp4">
   <Representation id="a" codecs="mp4a.40.2">
    <SegmentTemplate media="a_$Number$.m4s" initialization="a_init.mp4"/>
   </Representation>
  </AdaptationSet>
 </Period>
</MPD>`;

  it('finds every representation, its init segment and numbered segments, and checks them', () => {
    const dir = tmpDir();
    writeFileSync(dir.file('live.mpd'), mpd);
    for (const f of ['v_1_init.mp4', 'v_1_001.m4s', 'v_1_002.m4s', 'v_1_003.m4s', 'v_2_init.mp4', 'v_2_001.m4s', 'v_2_003.m4s', 'a_init.mp4', 'a_1.m4s'])
      writeFileSync(dir.file(f), 'xx');
    writeFileSync(dir.file('a_2.m4s'), '');
    const s = summarizeDash(dir.file('live.mpd'));
    expect(s.durationS).toBe(3);
    expect(s.representations.map((r) => [r.id, r.mimeType, r.init, r.segments.length])).toEqual([
      ['1', 'video/mp4', 'v_1_init.mp4', 3],
      ['2', 'video/mp4', 'v_2_init.mp4', 2],
      ['a', 'audio/mp4', 'a_init.mp4', 2],
    ]);
    expect(checkDash(s)).toEqual([
      'representation 2: segment numbers are not contiguous: expected 2, found 3 (1, 3)',
      'representation a: empty segment(s) a_2.m4s',
    ]);
    expect(templatePattern('x_$Number$_$$.m4s', {}).test('x_12_$.m4s')).toBe(true);
    expect(() => summarizeDash(dir.file('missing.mpd'))).toThrow(/missing\.mpd: the manifest was not written/);
  });
});

describe('GPAC help parsing', () => {
  it('reads the description, option lines and enumeration values of `gpac -hh NAME`', () => {
    const text = '\x1b[32mdasher\x1b[0m\nDescription: DASH & HLS segmenter\n\nsegdur (frac, default: 0/0):   target segment duration\nprofile (enum, default: auto): target DASH profile\n\t* auto: turns profile\n\t* live: DASH live profile\n\nOptions (expert):\nbuf (sint, default: -100): min buffer\n';
    const d = parseFilterHelp(text, 'gpac -hh dasher');
    expect(d.description).toBe('DASH & HLS segmenter');
    expect(d.options.get('segdur')?.text).toBe('target segment duration');
    expect([...d.options.get('profile')!.values]).toEqual([
      ['auto', 'turns profile'],
      ['live', 'DASH live profile'],
    ]);
    expect(d.options.get('buf')?.text).toBe('min buffer');
  });
});

// ------------------------------------------------------------------------------ the command itself

describe('gpac-ts (child process)', () => {
  it('-h filters lists the filters of the bindings, dasher among 100+', async () => {
    const r = await cli(['-h', 'filters']);
    expect(r.code, show(r)).toBe(0);
    const names = r.stdout.split('\n').map((l) => /^([a-z0-9_]+)(?::|$)/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
    expect(names).toContain('dasher');
    expect(names).toContain('mp4mx');
    expect(names.length).toBeGreaterThanOrEqual(100);
    expect(r.stdout).toMatch(/^\d+ filters known to the bindings \(GPAC /);
  });

  it('-h dasher shows each option with its type, default and values', async () => {
    const r = await cli(['-h', 'dasher']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^segdur \(frac, default: 0\/0\)/m);
    const profile = /^profile \(enum, default: auto\).*\n((?:\t\* .*\n)+)/m.exec(r.stdout);
    expect(profile, r.stdout).not.toBeNull();
    const values = profile![1]!.split('\n').filter(Boolean).map((l) => /^\t\* ([^:]+)/.exec(l)![1]);
    expect(values).toEqual(expect.arrayContaining(['auto', 'live', 'onDemand', 'main', 'full']));
    // Expert options only with -hx / -hh, and said so.
    expect(r.stdout).not.toMatch(/^cmpd \(/m);
    expect(r.stdout).toMatch(/Not shown: .*expert \(-hx\)/);
    const hx = await cli(['-hx', 'dasher']);
    expect(hx.stdout).toMatch(/^cmpd \(bool, default: false, expert\)/m);
  });

  it('an unknown option is refused with exit code 1, naming it', async () => {
    const r = await cli(['-i', AV, '-treads=2', '-o', 'x.mp4']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/unknown option "-treads" \(did you mean -threads\?\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack without -debug
  });

  it('a wrong filter option is refused before GPAC runs, with exit code 1, naming filter and option', async () => {
    const dir = tmpDir();
    const r = await cli(['-i', AV, 'dasher:segdurr=1', '-o', dir.file('live.mpd')]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/dasher has no option "segdurr" \(did you mean "segdur"\?\)/);
    const v = await cli(['-i', AV, 'dasher:profile=lve', '-o', dir.file('live.mpd')]);
    expect(v.code, show(v)).toBe(1);
    expect(v.stderr).toMatch(/dasher: option "profile" must be one of auto, live/);
    expect(existsSync(dir.file('live.mpd'))).toBe(false);
  });

  it('-h with an unknown filter name exits 1 with a suggestion', async () => {
    const r = await cli(['-h', 'dashr']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/no filter named "dashr" in the bindings \(did you mean dasher\?\)/);
  });

  itGpac('-version names gpac-ts, the ABI the bindings were generated for and the libgpac found', async () => {
    const r = await cli(['-version']);
    expect(r.code, show(r)).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout).toContain(`gpac-ts ${pkg.version}`);
    expect(r.stdout).toMatch(/^bindings generated for GPAC \S+, ABI \d+\.\d+\.\d+/m);
    expect(r.stdout).toMatch(/^libgpac \S+, ABI \d+\.\d+\.\d+: \S*libgpac\S* \(found by [^)]+\)$/m);
  });

  itGpacCli('mp4 → mp4 remux: every packet of the source, a status summary on stderr', async () => {
    const dir = tmpDir();
    const out = dir.file('out.mp4');
    const r = await cli(['-i', AV, '-o', out, '-threads', '1']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toMatch(/^gpac-ts: done in \d+\.\d+s \| \d+ filters \| av\.mp4 100% \(3\.0\/3\.0s\) \| out \d/m);
    const [a, b] = await Promise.all([inspectPackets(AV), inspectPackets(out)]);
    expect(a.map((s) => [s.streamType, s.packets.length])).toEqual([
      ['Audio', 142],
      ['Visual', 75],
    ]);
    expect(b).toEqual(a);
  });

  itGpacCli('@#video links the destination to the video PID only; -quiet prints nothing', async () => {
    const dir = tmpDir();
    const out = dir.file('video.mp4');
    const r = await cli(['-quiet', '-i', AV, '@#video', '-o', out]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toBe('');
    const streams = await inspectPackets(out);
    expect(streams.map((s) => [s.streamType, s.packets.length])).toEqual([['Visual', 75]]);
  });

  itGpac('-graph and -stats print GPAC\'s graph and statistics after the run', async () => {
    const dir = tmpDir();
    const r = await cli(['-i', AV, '-o', dir.file('o.mp4'), '-graph', '-stats']);
    expect(r.code, show(r)).toBe(0);
    const plain = r.stderr.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/Filters connected:/);
    expect(plain).toMatch(/Filter stats - \d+ filters/);
  });

  itGpac('a missing input file exits 1 with GPAC\'s error name', async () => {
    const dir = tmpDir();
    const r = await cli(['-i', dir.file('nope.mp4'), '-o', dir.file('o.mp4')]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/^gpac-ts: cannot load source ".*nope\.mp4": GF_URL_ERROR \(/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await cli(['-debug', '-i', dir.file('nope.mp4'), '-o', dir.file('o.mp4')]);
    expect(d.code, show(d)).toBe(1);
    expect(d.stderr).toMatch(/Caused by: GF_URL_ERROR: [^\n]*\n\s+at /); // -debug: the stacks, the GpacError's included
  });

  itGpac('-logs sets GPAC\'s log levels for the run', async () => {
    const dir = tmpDir();
    const plain = await cli(['-i', AV, '-o', dir.file('a.mp4')]);
    const debug = await cli(['-logs=all@debug', '-i', AV, '-o', dir.file('b.mp4')]);
    expect(plain.code, show(plain)).toBe(0);
    expect(debug.code, show(debug)).toBe(0);
    expect(debug.stderr.split('\n').length).toBeGreaterThan(plain.stderr.split('\n').length + 50);
  });

  itGpac('an unknown filter exits 1 with GF_FILTER_NOT_FOUND and a suggestion', async () => {
    const r = await cli(['-i', AV, 'dashr', '-o', join(tmpDir().path, 'o.mp4')]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/cannot load filter "dashr": GF_FILTER_NOT_FOUND \(.*\) \(did you mean dasher\?\)/);
  });

  itGpacCli('Ctrl-C aborts the session, which flushes a shorter but valid file, exit code 130', async () => {
    const dir = tmpDir();
    const out = dir.file('partial.mp4');
    // reframer:rt=on paces the 3 s source at half speed (6 s). SIGINT goes 1 s after GPAC's own log says the
    // muxer is connected to the file (filter@info): mid-run whatever the machine's load (a fixed delay after
    // the spawn once hit the graph setup, and once a run whose packets were all buffered already).
    const child = spawn(process.execPath, [BIN, '-logs=filter@info', '-i', AV, 'reframer:rt=on:speed=0.5', '-o', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const linked = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/connected to filter fout/.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await Promise.race([linked, exited]);
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping the session/);
    expect(stderr).toMatch(/interrupted after \d/);
    const streams = await inspect(out);
    const video = streams.pids.find((p) => p.streamType === 'Visual');
    expect(video, JSON.stringify(streams.pids.map((p) => [p.streamType, p.packetCount]))).toBeDefined();
    expect(video!.packetCount).toBeGreaterThan(0);
    expect(video!.packetCount).toBeLessThan(75);
  });
});

// libgpac missing: the loader (src/discovery.ts) looks at GPAC_LIB, GPAC_HOME, pkg-config, LD_LIBRARY_PATH,
// the standard directories and `ldconfig -p`; /usr/local/lib cannot be taken away from a child process by
// environment variables. Two ways, the second only where mount namespaces are allowed (root, Linux):
//  - a --import hook that makes discovery's view of the file system and of pkg-config/ldconfig empty of
//    libgpac (the CLI and the loader run unchanged);
//  - `unshare -m` with an empty directory mounted over the directory holding libgpac, so it is really gone.
const HIDE_LIBGPAC = `
import fs from 'node:fs';
import cp from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
const hidden = (p) => /libgpac\\.(so|dylib)/.test(String(p));
const existsSync = fs.existsSync;
fs.existsSync = (p) => (hidden(p) ? false : existsSync(p));
const readdirSync = fs.readdirSync;
fs.readdirSync = (p, o) => readdirSync(p, o).filter((e) => !hidden(typeof e === 'string' ? e : e.name));
const execFileSync = cp.execFileSync;
cp.execFileSync = (file, args, opts) => {
  if (/(^|\\/)(pkg-config|ldconfig)$/.test(String(file))) throw Object.assign(new Error('spawnSync ' + file + ' ENOENT'), { code: 'ENOENT' });
  return execFileSync(file, args, opts);
};
syncBuiltinESMExports();
`;
const hideHook = `data:text/javascript;base64,${Buffer.from(HIDE_LIBGPAC).toString('base64')}`;

function envWithoutGpac(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.GPAC_LIB;
  delete env.GPAC_HOME;
  delete env.LD_LIBRARY_PATH;
  return env;
}

/** Can this process hide a directory from a child with a private mount namespace? */
function canUnshare(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind / /mnt'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}

function expectNotFound(r: Result): void {
  expect(r.code, show(r)).toBe(2);
  expect(r.stderr).toMatch(/^gpac-ts could not load libgpac\.\nPlaces tried:\n/m);
  expect(r.stderr).toMatch(/^ {2}- pkg-config gpac: /m);
  expect(r.stderr).toMatch(/^ {2}- loader paths \(.*\/usr\/local\/lib.*\): no libgpac\.so$/m);
  expect(r.stderr).toMatch(/Possible solutions:/);
  expect(r.stderr).toMatch(/GPAC_HOME=<install prefix>/);
}

describe('libgpac missing', () => {
  it('a run exits 2 with the loader\'s message: every place tried and what to do (discovery hook)', async () => {
    const r = await cli(['-i', AV, '-o', join(tmpDir().path, 'o.mp4')], { env: envWithoutGpac(), nodeArgs: ['--import', hideHook] });
    expectNotFound(r);
    expect(r.stderr).toMatch(/^ {2}- pkg-config gpac: command not found$/m);
  });

  it('-version prints what it knows, then the loader\'s message, exit 2', async () => {
    const r = await cli(['-version'], { env: envWithoutGpac(), nodeArgs: ['--import', hideHook] });
    expectNotFound(r);
    expect(r.stdout).toMatch(/^gpac-ts \S+/);
    expect(r.stdout).toMatch(/^bindings generated for GPAC/m);
  });

  it('help and option checks still work without libgpac', async () => {
    const env = envWithoutGpac();
    const h = await cli(['-h', 'dasher'], { env, nodeArgs: ['--import', hideHook] });
    expect(h.code, show(h)).toBe(0);
    expect(h.stdout).toMatch(/^segdur \(frac/m);
    const o = await cli(['-i', AV, 'dasher:segdurr=1', '-o', 'x.mpd'], { env, nodeArgs: ['--import', hideHook] });
    expect(o.code, show(o)).toBe(1);
    expect(o.stderr).toMatch(/no option "segdurr"/);
  });

  // GPAC_LIB / GPAC_HOME naming nothing usable: exit 2 saying what was named and why, even though this
  // machine's libgpac (when it has one) is in the loader's places — gpac-ts must not run on another GPAC.
  it('a GPAC_LIB or GPAC_HOME that names nothing usable exits 2, saying what it named and why (no other libgpac is used)', async () => {
    const dir = tmpDir();
    const notALibrary = dir.file('libgpac.so');
    writeFileSync(notALibrary, 'not an ELF file\n');
    mkdirSync(dir.file('prefix/lib'), { recursive: true });
    const cases: Array<[string, string, RegExp]> = [
      ['GPAC_LIB', '/nonexistent/libgpac.so', /^ {2}- GPAC_LIB=\/nonexistent\/libgpac\.so: no such file$/m],
      ['GPAC_LIB', dir.file('prefix'), /^ {2}- GPAC_LIB=\S+\/prefix: is a directory; GPAC_LIB names the library file itself \(and this directory holds no libgpac\.so\)/m],
      ['GPAC_LIB', notALibrary, /^ {2}- GPAC_LIB=\S+\/libgpac\.so: cannot be loaded as libgpac: dlopen failed: \S+\/libgpac\.so: (invalid ELF header|file too short)$/m],
      ['GPAC_HOME', '/nonexistent', /^ {2}- GPAC_HOME=\/nonexistent: no such directory$/m],
      ['GPAC_HOME', dir.file('prefix'), /^ {2}- GPAC_HOME=(\S+)\/prefix: no libgpac\.so in \1\/prefix\/lib, \1\/prefix\/lib64, \1\/prefix\/bin\/gcc$/m],
      ['GPAC_HOME', notALibrary, /^ {2}- GPAC_HOME=\S+: is not a directory; GPAC_HOME names an install prefix/m],
    ];
    for (const [variable, value, reason] of cases) {
      const env = { ...envWithoutGpac(), [variable]: value };
      const r = await cli(['-i', AV, '-o', dir.file('o.mp4')], { env });
      const what = `${variable}=${value}\n${show(r)}`;
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toContain(`gpac-ts could not load libgpac: ${variable}=${value} is not usable (nothing else is tried when it is set).`);
      expect(r.stderr, what).toMatch(reason);
      expect(r.stderr, what).toContain(`Or unset ${variable} to let gpac-ts search`);
      expect(r.stderr, what).not.toMatch(/loader paths|pkg-config gpac:/);
      expect(r.stderr, what).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(dir.file('o.mp4'))).toBe(false);
  });

  const unshare = hasGpac && libgpacPath !== null && canUnshare();
  it.skipIf(!unshare)(`a run exits 2 when libgpac's directory is really hidden (unshare -m${unshare ? '' : ': not permitted here'})`, async () => {
    const empty = tmpDir().path;
    const libDir = dirname(libgpacPath!);
    const script = `mount --bind "$1" "$2" && shift 2 && exec "$@"`;
    const r = await run('unshare', ['-m', 'sh', '-c', script, 'sh', empty, libDir, process.execPath, BIN, '-i', AV, '-o', join(empty, 'o.mp4')], {
      env: envWithoutGpac(),
    });
    expectNotFound(r);
  });
});

// ----------------------------------------------------------------------------------- npm start

describe('npm start (examples/package-dash.ts)', () => {
  itGpac('packages av.mp4 to DASH and prints the summary it checked', async () => {
    const dir = tmpDir();
    const out = join(dir.path, 'dash');
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', 'package-dash.ts'), AV, out]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/representation 1 \(video\/mp4, avc1\.\S+\): init \+ 3 segments/);
    expect(r.stdout).toMatch(/representation 2 \(audio\/mp4, mp4a\.40\.2\): init \+ 3 segments/);
    expect(r.stdout).toMatch(/^Checked: manifest parsed/m);
    // av.mp4 has 75 video and 142 audio packets: all went through the TypeScript plugin's worker.
    expect(r.stdout).toMatch(/^Plugin plugins\/forward\.ts \(a worker thread\) forwarded 217 packets to the dasher\.$/m);
    expect(r.stderr).toMatch(/package-dash: done in \d/);
    const manifest = readFileSync(join(out, 'live.mpd'), 'utf8');
    expect(manifest).toMatch(/mediaPresentationDuration="PT0H0M3(\.0+)?S"/);
    // Independent of the example's own summary: the segment files on disk.
    for (const track of [1, 2]) {
      for (const n of [1, 2, 3]) expect(existsSync(join(out, `av_dash_track${track}_${n}.m4s`)), `track ${track} segment ${n}`).toBe(true);
      expect(existsSync(join(out, `av_dash_track${track}_4.m4s`))).toBe(false);
    }
  });

  it('exits 2 with the loader\'s message when libgpac is missing', async () => {
    const r = await run(process.execPath, ['--import', hideHook, '--import', 'tsx', join(ROOT, 'examples', 'package-dash.ts'), AV, join(tmpDir().path, 'dash')], {
      env: envWithoutGpac(),
    });
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/could not load libgpac[\s\S]*Possible solutions:/);
  });

  it('exits 2 naming GPAC_LIB when it names no file (`GPAC_LIB=/nonexistent/libgpac.so npm start` ran on another libgpac)', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', 'package-dash.ts'), AV, join(tmpDir().path, 'dash')], {
      env: { ...envWithoutGpac(), GPAC_LIB: '/nonexistent/libgpac.so' },
    });
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain('could not load libgpac: GPAC_LIB=/nonexistent/libgpac.so is not usable');
    expect(r.stderr).toMatch(/^ {2}- GPAC_LIB=\/nonexistent\/libgpac\.so: no such file$/m);
  });

  itGpac('a stage between the source and the dasher is loaded and linked: its effect reaches the output', async () => {
    const dir = tmpDir();
    const seen: string[] = [];
    // GPAC's reframer, keeping the first 2 s, stands for the TypeScript plugin stage that joins later:
    // 2 segments instead of 3 prove the dasher takes its input from the stage, not from the source.
    const firstTwoSeconds: PipelineStage = (fs, upstream) => {
      seen.push(String(upstream.statistics.regName)); // the source's file reader
      const f = fs.load('reframer', { xs: ['0'], xe: ['2'] });
      f.setSource(upstream);
      return f;
    };
    const r = await packageDash({ source: AV, outDir: join(dir.path, 'dash'), segmentDuration: 1, threads: 0, stages: [firstTwoSeconds], progress: null });
    expect(seen).toEqual(['fin']);
    expect(r.problems).toEqual([]);
    expect(r.summary.durationS).toBe(2);
    expect(r.summary.representations.map((x) => x.segments.length)).toEqual([2, 2]);
  });
});
