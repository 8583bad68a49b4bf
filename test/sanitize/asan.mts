// `npm run asan`: the custom-filter (plugin) tests and the native session tests with the addon built under
// AddressSanitizer + LeakSanitizer, then a verdict read from the sanitizer's reports:
//   - any memory error (invalid access, use after free, double free …) fails;
//   - a leak fails when its allocation stack passes through the addon (gpac_ts.node); leaks of Node, V8 and
//     libgpac's own allocations with no addon frame are counted and listed, not charged to the addon.
// The addon is built into a scratch directory (the project's build/ is left alone) and loaded through
// GPAC_TS_ADDON; libasan is preloaded into Node, which is not itself instrumented. Point GPAC_HOME at a GPAC
// configured with --enable-sanitizer to check libgpac's side of the hand-off too (optional).
//
// Usage: npm run asan [-- vitest file filters…]   (default: test/plugins test/native)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORK = join(tmpdir(), 'gpac-ts-asan');
const LOGS = join(WORK, 'logs');
const reportOnly = process.argv.includes('--report-only');
const filters = process.argv.slice(2).filter((a) => a !== '--report-only');

function die(msg: string): never {
  console.error(`asan: ${msg}`);
  process.exit(2);
}

const libasan = spawnSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
if (!libasan || !existsSync(libasan)) die('libasan.so not found (g++ -print-file-name=libasan.so); install the compiler\'s sanitizer runtime');

/** 1. The addon, instrumented, in a scratch copy of the sources it is built from; returns its path. */
function buildAddon(): string {
  console.log(`asan: building the addon with -fsanitize=address in ${WORK}`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  for (const p of ['binding.gyp', 'package.json', 'native', join('generated', 'native')]) cpSync(join(ROOT, p), join(WORK, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(WORK, 'node_modules'));
  const flags = '-fsanitize=address -fno-omit-frame-pointer -g -O1';
  const gyp = spawnSync('node-gyp', ['rebuild'], {
    cwd: WORK,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, CXXFLAGS: flags, CFLAGS: flags, LDFLAGS: '-fsanitize=address' },
  });
  if (gyp.status !== 0) die(`node-gyp failed (run through npm, which puts node-gyp on PATH):\n${gyp.stderr?.slice(-3000) ?? gyp.error}`);
  return join(WORK, 'build', 'Release', 'gpac_ts.node');
}

/** 2. The tests, every process under the sanitizer's runtime; returns vitest's exit status. */
function runTests(addon: string): number {
  // Node exits without freeing much of what it holds: the verdict attributes leaks by stack (below), it
  // does not take LeakSanitizer's exit code.
  console.log(`asan: running vitest ${filters.length ? filters.join(' ') : 'test/plugins test/native'} (the addon from ${addon})`);
  const vitest = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...(filters.length ? filters : ['test/plugins', 'test/native'])], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      GPAC_TS_ADDON: addon,
      LD_PRELOAD: libasan,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${join(ROOT, 'test', 'sanitize', 'exit-on-sigterm.mjs')}`.trim(),
      // A leak report must not turn a fork's exit into a failure vitest would see as a crash: the verdict
      // below reads the reports.
      LSAN_OPTIONS: 'exitcode=0',
      ASAN_OPTIONS: `detect_leaks=1:log_path=${join(LOGS, 'asan')}:malloc_context_size=30:fast_unwind_on_malloc=0`,
    },
  });
  return vitest.status ?? 1;
}

// --report-only: read the reports of the last run again (no build, no tests).
const vitestStatus = reportOnly ? 0 : runTests(buildAddon());

// 3. The verdict, from the reports (one file per process that found something).
interface Leak {
  bytes: number;
  objects: number;
  stack: string[];
}
const errors: string[] = [];
const leaks: Leak[] = [];
for (const f of readdirSync(LOGS)) {
  const text = readFileSync(join(LOGS, f), 'utf8');
  for (const m of text.matchAll(/ERROR: AddressSanitizer: [^\n]*\n(?:[^\n]*\n){0,40}/g)) {
    // A sanitized process that spawns a shell (vitest's children do) reports the shell's own signals: not ours.
    if (/\/(dash|bash|sh)\+/.test(m[0])) continue;
    errors.push(`${f}:\n${m[0]}`);
  }
  for (const m of text.matchAll(/(?:Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\) allocated from:\n((?:\s+#\d+[^\n]*\n)+)/g))
    leaks.push({ bytes: Number(m[1]), objects: Number(m[2]), stack: m[3]!.trim().split('\n').map((l) => l.trim()) });
}
// Symbolized frames name the source file (native/src/…) and the namespace (gts::); raw ones the module.
// A leak is the addon's when the allocation is made by the addon itself, or by a Node-API or libgpac entry
// point the addon called directly (memory handed to the addon to free). Allocations made deeper inside V8
// (its GC bookkeeping) or libgpac (its own structures) are theirs, even on a thread the addon started.
const inAddon = (fr: string) => fr.includes('gpac_ts.node') || fr.includes('/native/src/') || fr.includes('gts::') || fr.includes('Napi::');
const isApiEntry = (fr: string) => / in (napi_\w+|gf_\w+) /.test(fr);
const ours = leaks.filter((l) => {
  const [, f1 = '', f2 = ''] = l.stack; // l.stack[0] is the allocator (malloc, operator new …)
  return inAddon(f1) || (isApiEntry(f1) && inAddon(f2));
});
const others = leaks.length - ours.length;
const sum = (ls: Leak[]) => ls.reduce((n, l) => n + l.bytes, 0);

console.log('\nasan: verdict');
console.log(`  memory errors: ${errors.length}`);
console.log(`  leaks through the addon: ${ours.length} (${sum(ours)} bytes)`);
console.log(`  other leaks (Node, V8, libgpac, no addon frame): ${others} (${sum(leaks) - sum(ours)} bytes), not charged`);
for (const e of errors) console.log(`\n${e}`);
for (const l of ours) console.log(`\nleak of ${l.bytes} byte(s) in ${l.objects} object(s):\n  ${l.stack.slice(0, 14).join('\n  ')}`);
console.log(`\nreports: ${LOGS}`);
process.exit(errors.length || ours.length ? 1 : vitestStatus);
