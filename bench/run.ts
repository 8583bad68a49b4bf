// Benchmark harness: `npm run bench [-- CASE... --reps N --no-py]`.
// For each case (bench/cases.ts) it runs the gpac CLI, the gpac-ts script and the libgpac.py script on the
// same input, each in its own child process, one warm-up round then N measured rounds interleaved, and
// prints medians of time and peak RSS with the ratios to the CLI and the issue's target.
//
// Time: for the CLI, the process's wall time; for gpac-ts and libgpac.py, the time the script measures
// from its first line (before importing the binding) to the end of the work, so Node's/Python's own boot
// (reported apart as "boot") is not charged to the binding, while loading libgpac is, as it is for the CLI.
// Peak RSS is the whole process's, runtime included.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, type BenchCase, type Variant } from './cases.js';
import { BENCH_OUT, ensureBenchMedia } from './media.js';
import { measure, rssMethod, type Measurement } from './measure.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const CASES_DIR = join(BENCH_DIR, 'cases');
const DIST_CASES_DIR = join(ROOT, 'dist', 'bench', 'cases');

/** Compiles the project (tsc → dist/) so that the API scripts run as plain JavaScript. */
function buildDist(): void {
  console.log('building dist/ with tsc (the API scripts run compiled) …');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: tsc failed:\n${r.stdout}${r.stderr}`);
}
const LABEL: Record<Variant, string> = { cli: 'gpac CLI', api: 'gpac-ts', py: 'libgpac.py' };

interface Options {
  cases: BenchCase[];
  reps: number;
  py: boolean;
  timeoutMs: number;
}

function usage(): string {
  return [
    'usage: npm run bench -- [CASE ...] [--reps N] [--no-py] [--timeout SECONDS]',
    `cases: ${CASES.map((c) => `${c.name} (issue ${c.issue}: ${c.what})`).join('\n       ')}`,
    'Results: printed table and bench/.out/results.json. Media are generated on first use into bench/.out/media/.',
  ].join('\n');
}

function parseArgs(argv: string[]): Options {
  const names: string[] = [];
  const o: Omit<Options, 'cases'> = { reps: 5, py: true, timeoutMs: 600_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value\n${usage()}`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(usage());
      process.exit(0);
    } else if (a === '--reps') o.reps = Math.max(1, parseInt(value(), 10) || 0);
    else if (a === '--no-py') o.py = false;
    else if (a === '--timeout') o.timeoutMs = Number(value()) * 1000;
    else if (a.startsWith('-')) throw new Error(`bench: unknown option ${a}\n${usage()}`);
    else names.push(a);
  }
  const cases = names.length ? names.map((n) => CASES.find((c) => c.name === n) ?? fail(`bench: unknown case "${n}"\n${usage()}`)) : CASES;
  return { ...o, cases };
}

function fail(msg: string): never {
  throw new Error(msg);
}

function gpacVersion(): string | null {
  const r = spawnSync('gpac', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status === null) return null;
  const m = /version\s+(\S+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? (m[1] as string) : 'unknown';
}

/** PYTHONPATH that makes `import libgpac` work, with the reason when it does not. */
function findLibgpacPy(): { pythonPath: string | null; note: string } {
  const dirs = [
    process.env.GPAC_HOME ? join(process.env.GPAC_HOME, 'share', 'gpac', 'python') : '',
    process.env.GPAC_HOME ? join(process.env.GPAC_HOME, 'share', 'python') : '',
    '/usr/local/share/gpac/python',
    '/usr/share/gpac/python',
  ].filter((d) => d && existsSync(join(d, 'libgpac')));
  const pythonPath = [...dirs, process.env.PYTHONPATH ?? ''].filter(Boolean).join(':');
  const r = spawnSync('python3', ['-c', 'import libgpac'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPath } });
  if (r.error) return { pythonPath: null, note: `python3 not found (${r.error.message})` };
  if (r.status !== 0) return { pythonPath: null, note: `import libgpac failed (looked in ${dirs.join(', ') || 'no GPAC share/python dir'}): ${r.stderr.trim().split('\n').pop()}` };
  const warning = `${r.stdout}${r.stderr}`.replace(/\s+/g, ' ').trim();
  return { pythonPath, note: warning ? `libgpac.py says: ${warning}` : 'libgpac.py found' };
}

interface Run extends Measurement {
  /** Time charged to the variant: the script's own measure when it reported one, else wall time. */
  timeMs: number;
}

interface VariantResult {
  variant: Variant;
  status: 'ok' | 'unavailable' | 'failed' | 'skipped';
  reason?: string;
  runs: Run[];
  medianTimeMs?: number;
  medianWallMs?: number;
  medianRssKiB?: number | null;
  medianBootMs?: number;
  outputBytes?: number;
  info?: Record<string, number | string>;
}

interface CaseResult {
  name: string;
  issue: number;
  what: string;
  input: string;
  target: BenchCase['target'];
  variants: VariantResult[];
  ratios: Partial<Record<'api' | 'py', { time: number; rss: number | null }>>;
  speedupOver?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function command(v: Variant, c: BenchCase, input: string, output: string, pythonPath: string | null): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv } {
  if (v === 'cli') return { cmd: 'gpac', args: c.cli(input, output) };
  // The API side runs the compiled JavaScript (dist/), as an application would, not tsx's on-the-fly transform.
  if (v === 'api') return { cmd: process.execPath, args: [join(DIST_CASES_DIR, c.api.replace(/\.ts$/, '.js')), input, output] };
  return { cmd: 'python3', args: [join(CASES_DIR, c.py as string), input, output], env: { PYTHONPATH: pythonPath ?? '', PYTHONDONTWRITEBYTECODE: '1' } };
}

async function runCase(c: BenchCase, o: Options, py: { pythonPath: string | null; note: string }): Promise<CaseResult> {
  console.log(`\n== ${c.name} (issue ${c.issue}): ${c.what}`);
  const input = await ensureBenchMedia(c.media);
  const work = join(BENCH_OUT, 'work', c.name);
  mkdirSync(work, { recursive: true });

  const results = new Map<Variant, VariantResult>();
  const active: Variant[] = [];
  results.set('cli', { variant: 'cli', status: 'ok', runs: [] });
  active.push('cli');
  if (existsSync(join(CASES_DIR, c.api))) {
    results.set('api', { variant: 'api', status: 'ok', runs: [] });
    active.push('api');
  } else {
    results.set('api', { variant: 'api', status: 'unavailable', reason: `bench/cases/${c.api} is not written yet (issue ${c.issue})`, runs: [] });
  }
  if (!c.py) results.set('py', { variant: 'py', status: 'skipped', reason: 'no libgpac.py script for this case', runs: [] });
  else if (!o.py) results.set('py', { variant: 'py', status: 'skipped', reason: '--no-py', runs: [] });
  else if (!py.pythonPath) results.set('py', { variant: 'py', status: 'unavailable', reason: py.note, runs: [] });
  else {
    results.set('py', { variant: 'py', status: 'ok', runs: [] });
    active.push('py');
  }

  // Round 0 is the warm-up (page cache, tsx compile cache) and finds unavailable/failing variants early.
  for (let round = 0; round <= o.reps; round++) {
    for (const v of active) {
      const r = results.get(v) as VariantResult;
      if (r.status !== 'ok') continue;
      const output = join(work, `${v}.mp4`);
      rmSync(output, { force: true });
      const { cmd, args, env } = command(v, c, input, output, py.pythonPath);
      const scratch = join(work, `${v}-scratch`);
      mkdirSync(scratch, { recursive: true });
      const m = await measure(cmd, args, { env: { ...env }, cwd: ROOT, scratch, timeoutMs: o.timeoutMs });
      const unavailable = (m.child as { unavailable?: string } | null)?.unavailable;
      const tag = round === 0 ? 'warm-up' : `rep ${round}/${o.reps}`;
      if (unavailable) {
        r.status = 'unavailable';
        r.reason = unavailable;
        console.log(`  [${tag}] ${LABEL[v].padEnd(10)} not available yet: ${unavailable}`);
        continue;
      }
      if (!m.ok) {
        r.status = 'failed';
        r.reason = m.error ?? 'failed';
        console.log(`  [${tag}] ${LABEL[v].padEnd(10)} FAILED: ${r.reason}`);
        continue;
      }
      const run: Run = { ...m, timeMs: v === 'cli' || !m.child ? m.wallMs : m.child.workMs };
      const rss = m.maxRssKiB === null ? '?' : `${(m.maxRssKiB / 1024).toFixed(1)} MiB`;
      console.log(`  [${tag}] ${LABEL[v].padEnd(10)} ${run.timeMs.toFixed(1).padStart(8)} ms  (process ${m.wallMs.toFixed(1)} ms)  peak RSS ${rss}`);
      if (round > 0) r.runs.push(run);
      if (existsSync(output)) r.outputBytes = statSync(output).size;
      if (m.child?.info) r.info = m.child.info;
    }
  }

  for (const r of results.values()) {
    if (r.status !== 'ok' || !r.runs.length) continue;
    r.medianTimeMs = median(r.runs.map((x) => x.timeMs));
    r.medianWallMs = median(r.runs.map((x) => x.wallMs));
    const rss = r.runs.map((x) => x.maxRssKiB).filter((x): x is number => x !== null);
    r.medianRssKiB = rss.length ? median(rss) : null;
    const boots = r.runs.map((x) => x.child?.bootMs).filter((x): x is number => typeof x === 'number');
    if (boots.length) r.medianBootMs = median(boots);
  }
  const cli = results.get('cli') as VariantResult;
  const ratios: CaseResult['ratios'] = {};
  for (const v of ['api', 'py'] as const) {
    const r = results.get(v) as VariantResult;
    if (r.medianTimeMs === undefined || cli.medianTimeMs === undefined) continue;
    ratios[v] = {
      time: r.medianTimeMs / cli.medianTimeMs,
      rss: r.medianRssKiB && cli.medianRssKiB ? r.medianRssKiB / cli.medianRssKiB : null,
    };
  }
  return { name: c.name, issue: c.issue, what: c.what, input, target: c.target, variants: [...results.values()], ratios, ...(c.speedupOver ? { speedupOver: c.speedupOver } : {}) };
}

function printTable(results: CaseResult[]): void {
  const rows: string[][] = [['case', 'variant', 'time (median)', 'process', 'boot', 'peak RSS', 'out MB', 'time ratio', 'RSS ratio', 'target']];
  // Reasons for missing columns are long: numbered and printed under the table.
  const notes: string[] = [];
  for (const c of results) {
    const target = Number.isFinite(c.target.time) ? `≤${c.target.time}×${c.target.rss ? ` time, ≤${c.target.rss}× RSS` : ''} (issue ${c.issue})` : `none (issue ${c.issue})`;
    for (const r of c.variants) {
      const ratio = r.variant === 'cli' ? undefined : c.ratios[r.variant];
      const verdict = (x: number, t: number | undefined): string => (t === undefined || !Number.isFinite(t) ? '' : x <= t ? ' ok' : ' MISS');
      const first = r.variant === 'cli' ? c.name : '';
      const targetCell = r.variant === 'api' ? target : '';
      if (r.status !== 'ok' || r.medianTimeMs === undefined) {
        notes.push(`(${notes.length + 1}) ${c.name} / ${LABEL[r.variant]}: ${r.reason ?? r.status}`);
        const what = r.status === 'unavailable' ? 'not available yet' : r.status;
        rows.push([first, LABEL[r.variant], `${what} (${notes.length})`, '', '', '', '', '', '', targetCell]);
        continue;
      }
      rows.push([
        first,
        LABEL[r.variant],
        `${r.medianTimeMs.toFixed(1)} ms`,
        `${(r.medianWallMs ?? 0).toFixed(1)} ms`,
        r.medianBootMs === undefined ? '' : `${r.medianBootMs.toFixed(0)} ms`,
        r.medianRssKiB ? `${(r.medianRssKiB / 1024).toFixed(1)} MiB` : '?',
        r.outputBytes === undefined ? '' : (r.outputBytes / 1e6).toFixed(2),
        ratio ? `${ratio.time.toFixed(2)}×${r.variant === 'api' ? verdict(ratio.time, c.target.time) : ''}` : r.variant === 'cli' ? '1.00×' : '',
        ratio?.rss ? `${ratio.rss.toFixed(2)}×${r.variant === 'api' ? verdict(ratio.rss, c.target.rss) : ''}` : r.variant === 'cli' ? '1.00×' : '',
        targetCell,
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log('');
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, j) => cell.padEnd(widths[j] as number)).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  // What a case script measured besides its time (bench/cases/report.ts done(info)).
  for (const c of results)
    for (const r of c.variants)
      if (r.info && Object.keys(r.info).length)
        console.log(`${c.name} / ${LABEL[r.variant]}: ${Object.entries(r.info).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const c of results) {
    if (!c.speedupOver) continue;
    const base = results.find((b) => b.name === c.speedupOver)?.variants.find((v) => v.variant === 'api')?.medianTimeMs;
    const mine = c.variants.find((v) => v.variant === 'api')?.medianTimeMs;
    if (base !== undefined && mine !== undefined) console.log(`\n${c.name}: speed-up over ${c.speedupOver} ${(base / mine).toFixed(2)}× (${base.toFixed(0)} ms -> ${mine.toFixed(0)} ms, ${cpus().length} CPUs)`);
    else console.log(`\n${c.name}: speed-up over ${c.speedupOver} not measured (run both cases)`);
  }
  console.log('\ntime: CLI = process wall time; gpac-ts / libgpac.py = from the script\'s first line (binding import included) to the end of the work;');
  console.log('boot = runtime start-up before that (not charged); peak RSS = whole process. Ratios are to the gpac CLI.');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const version = gpacVersion();
  if (!version) {
    throw new Error('bench: the gpac CLI was not found on PATH; it is the reference column. Install GPAC (https://gpac.io/downloads) or add its bin directory to PATH.');
  }
  const py = o.py ? findLibgpacPy() : { pythonPath: null, note: '--no-py' };
  console.log(`gpac ${version}; node ${process.version}; ${cpus().length} CPUs; ${o.reps} reps + 1 warm-up; peak RSS via ${rssMethod}`);
  console.log(`libgpac.py: ${py.pythonPath ? py.note : `not used: ${py.note}`}`);

  buildDist();
  const results: CaseResult[] = [];
  for (const c of o.cases) results.push(await runCase(c, o, py));
  printTable(results);

  const file = join(BENCH_OUT, 'results.json');
  mkdirSync(BENCH_OUT, { recursive: true });
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, gpac: version, rssMethod };
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, reps: o.reps, libgpacPy: py.note, cases: results }, null, 2)}\n`);
  console.log(`\nresults: ${file.replace(`${ROOT}/`, '')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
