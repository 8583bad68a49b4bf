// Finds libgpac on this machine. Used by the addon loader (src/native.ts) and by the generator
// (codegen/main.ts), so that both agree on which GPAC they talk to.
//
// GPAC_LIB (a library path), else GPAC_HOME (an install prefix), names the library to use: nothing else is
// tried then, and one that is not usable is an error saying what it named and why (a user who points at a
// custom GPAC build must not silently get another one). Without them: `pkg-config gpac` when PKG_CONFIG_PATH
// or PKG_CONFIG_LIBDIR points it somewhere, the dynamic loader's places, then `pkg-config gpac` (if not asked
// yet) and the loader's cache. Every place looked at is recorded, so that a failure can say all of it at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

/** Where a library was found; 'process': another thread of this process had already loaded it. */
export type CandidateSource = 'GPAC_LIB' | 'GPAC_HOME' | 'pkg-config' | 'loader' | 'process';

export interface Candidate {
  path: string;
  source: CandidateSource;
}

export interface TriedPlace {
  place: string;
  reason: string;
}

export interface Abi {
  major: number;
  minor: number;
  micro: number;
}

/** 'unique': libgpac's gf_th_id() answers from gpac_ts_thread_id.node (native/thread_id/gf_th_id.cc), one id
 *  per thread; 'gpac': from libgpac's own, the thread's address truncated to 32 bits. */
export type ThreadIds = 'unique' | 'gpac';

export interface LibraryInfo {
  version: string;
  abi: Abi;
  threadIds?: ThreadIds;
  threadIdsError?: string;
}

export interface LoadedLibrary extends LibraryInfo, Candidate {}

/** What discovery reads from the outside world; tests replace it to fake a machine. */
export interface DiscoveryHost {
  env: Record<string, string | undefined>;
  exists(path: string): boolean;
  /** True for a directory (following symbolic links). */
  isDirectory(path: string): boolean;
  /** Lists a directory's entries, or [] when it cannot be read. */
  list(dir: string): string[];
  /** Runs `pkg-config args…`; returns stdout, or throws when pkg-config or the package is missing. */
  pkgConfig(args: string[]): string;
  /** `ldconfig -p` output, or '' when unavailable. */
  ldconfigCache(): string;
}

// node:child_process is loaded when a command is really run: every plugin worker imports this module, and
// loading that built-in costs a worker several milliseconds for nothing.
function execText(file: string, args: string[], stderr: 'pipe' | 'ignore'): string {
  const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', stderr] });
}

export const systemHost: DiscoveryHost = {
  env: process.env,
  exists: existsSync,
  isDirectory(path) {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  },
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  pkgConfig(args) {
    return execText('pkg-config', args, 'pipe').trim();
  },
  ldconfigCache() {
    for (const bin of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
      try {
        return execText(bin, ['-p'], 'ignore');
      } catch {
        // try the next spelling: ldconfig is often outside a non-root PATH
      }
    }
    return '';
  },
};

/** The loader's standard places, after LD_LIBRARY_PATH (which the loader itself searches first). */
const STANDARD_LIB_DIRS = ['/usr/local/lib', '/usr/local/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib'];

/** libgpac.so, else the newest libgpac.so.N[.M.P] in a directory (distributions ship only versioned names). */
function libraryIn(dir: string, host: DiscoveryHost): string | null {
  const plain = join(dir, 'libgpac.so');
  if (host.exists(plain)) return plain;
  const versioned = host
    .list(dir)
    .filter((f) => /^libgpac\.so\.\d+(\.\d+)*$/.test(f))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  return versioned.length > 0 ? join(dir, versioned[0]!) : null;
}

/** Where a GPAC_HOME may hold libgpac: an install prefix, or GPAC's build tree (bin/gcc). */
const homeLibDirs = (home: string): string[] => ['lib', 'lib64', 'bin/gcc'].map((d) => join(home, d));

/** LD_LIBRARY_PATH, then the loader's standard places. */
const loaderDirs = (host: DiscoveryHost): string[] => [
  ...new Set([...(host.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean), ...STANDARD_LIB_DIRS]),
];

/** GPAC_LIB or GPAC_HOME, whichever names the library (GPAC_LIB first), or null when neither is set. */
export interface ExplicitLibrary {
  variable: 'GPAC_LIB' | 'GPAC_HOME';
  value: string;
}

function explicitLibrary(host: DiscoveryHost): ExplicitLibrary | null {
  if (host.env.GPAC_LIB) return { variable: 'GPAC_LIB', value: host.env.GPAC_LIB };
  if (host.env.GPAC_HOME) return { variable: 'GPAC_HOME', value: host.env.GPAC_HOME };
  return null;
}

/** The library GPAC_LIB or GPAC_HOME names, or why it names none. Stat calls only. */
function resolveExplicit(e: ExplicitLibrary, host: DiscoveryHost): { path: string } | { reason: string } {
  if (e.variable === 'GPAC_LIB') {
    if (!host.exists(e.value)) return { reason: 'no such file' };
    if (host.isDirectory(e.value)) {
      const inside = libraryIn(e.value, host);
      return {
        reason:
          'is a directory; GPAC_LIB names the library file itself' +
          (inside ? ` (here ${inside})` : ' (and this directory holds no libgpac.so)') +
          ', GPAC_HOME an install prefix',
      };
    }
    return { path: e.value };
  }
  if (!host.exists(e.value)) return { reason: 'no such directory' };
  if (!host.isDirectory(e.value)) return { reason: 'is not a directory; GPAC_HOME names an install prefix (or a GPAC build tree), GPAC_LIB the library file' };
  const dirs = homeLibDirs(e.value);
  const found = dirs.map((d) => libraryIn(d, host)).find((p) => p !== null);
  return found ? { path: found } : { reason: `no libgpac.so in ${dirs.join(', ')}` };
}

/**
 * Every candidate library, best first, and every place that yielded nothing (with why). With GPAC_LIB or
 * GPAC_HOME set (`explicit`), the one library it names is the only candidate, or there is none.
 */
export function locateLibgpac(host: DiscoveryHost = systemHost): { candidates: Candidate[]; tried: TriedPlace[]; explicit: ExplicitLibrary | null } {
  const candidates: Candidate[] = [];
  const tried: TriedPlace[] = [];
  const add = (path: string, source: CandidateSource) => {
    if (!candidates.some((c) => c.path === path)) candidates.push({ path, source });
  };

  const explicit = explicitLibrary(host);
  if (explicit) {
    const r = resolveExplicit(explicit, host);
    if ('path' in r) add(r.path, explicit.variable);
    else tried.push({ place: `${explicit.variable}=${explicit.value}`, reason: r.reason });
    return { candidates, tried, explicit };
  }

  const askPkgConfig = () => {
    try {
      const libdir = host.pkgConfig(['--variable=libdir', 'gpac']);
      const found = libdir ? libraryIn(libdir, host) : null;
      if (found) add(found, 'pkg-config');
      else tried.push({ place: 'pkg-config gpac', reason: `libdir ${libdir || '(empty)'} holds no libgpac.so` });
    } catch (err) {
      tried.push({ place: 'pkg-config gpac', reason: firstLine(err) });
    }
  };
  // Without PKG_CONFIG_PATH/LIBDIR, pkg-config only knows the system prefixes (/usr/local, /usr), whose
  // library directories the loader scan below covers in the same order: asking it first would cost every
  // process a spawn (~8 ms of start-up) to learn nothing. It is still asked when the scan finds nothing.
  const pkgConfigPointed = Boolean(host.env.PKG_CONFIG_PATH || host.env.PKG_CONFIG_LIBDIR);
  if (pkgConfigPointed) askPkgConfig();

  let dirs = loaderDirs(host);
  let inLoader = false;
  const scan = (list: string[]) => {
    for (const dir of list) {
      const found = libraryIn(dir, host);
      if (found) {
        add(found, 'loader');
        inLoader = true;
      }
    }
  };
  scan(dirs);
  if (!inLoader && !pkgConfigPointed) askPkgConfig();
  if (!inLoader) {
    // Only then ask the loader's cache (directories from ld.so.conf): it costs a process spawn.
    const cached = [...host.ldconfigCache().matchAll(/libgpac\.so[.\d]*\s.*=>\s*(\S+)/g)].map((m) => dirname(m[1]!));
    const extra = [...new Set(cached)].filter((d) => !dirs.includes(d));
    dirs = [...dirs, ...extra];
    scan(extra);
  }
  if (!inLoader) tried.push({ place: `loader paths (${dirs.join(', ')})`, reason: 'no libgpac.so' });

  return { candidates, tried, explicit: null };
}

/**
 * The library locateLibgpac would most likely pick, found without spawning anything (GPAC_LIB or GPAC_HOME
 * when set, else LD_LIBRARY_PATH and the loader's standard places; pkg-config and ldconfig are skipped), or
 * null. Only a hint, for loading the library ahead of time: locateLibgpac decides.
 */
export function likelyLibgpac(host: DiscoveryHost = systemHost): string | null {
  const explicit = explicitLibrary(host);
  if (explicit) {
    const r = resolveExplicit(explicit, host);
    return 'path' in r ? r.path : null; // not usable: loading another library ahead of time would be waste
  }
  for (const dir of loaderDirs(host)) {
    const found = libraryIn(dir, host);
    if (found) return found;
  }
  return null;
}

const SEARCH_SOLUTIONS = [
  'Possible solutions:',
  "  - Install GPAC (build it from source following GPAC's build guide: ./configure && make && sudo make install,",
  '    which installs into /usr/local), then run `ldconfig`.',
  '  - Or point gpac-ts at an existing install: GPAC_LIB=/path/to/libgpac.so, or GPAC_HOME=<install prefix>.',
];

export class GpacNotFoundError extends Error {
  readonly tried: TriedPlace[];
  /** Set when GPAC_LIB or GPAC_HOME named the library: it was the only place tried. */
  readonly explicit: ExplicitLibrary | null;
  constructor(tried: TriedPlace[], explicit: ExplicitLibrary | null = null, what = 'libgpac') {
    const lines = tried.map((t) => `  - ${t.place}: ${t.reason}`);
    super(
      (explicit
        ? [
            `gpac-ts could not ${what === 'libgpac' ? 'load' : 'find'} ${what}: ${explicit.variable}=${explicit.value} is not usable (nothing else is tried when it is set).`,
            ...lines,
            'Possible solutions:',
            explicit.variable === 'GPAC_LIB'
              ? '  - Set GPAC_LIB to the path of libgpac.so itself (e.g. <install prefix>/lib/libgpac.so), or GPAC_HOME=<install prefix> instead.'
              : '  - Set GPAC_HOME to GPAC\'s install prefix (holding lib/libgpac.so and include/gpac/) or build tree (bin/gcc/libgpac.so), or GPAC_LIB=/path/to/libgpac.so.',
            `  - Or unset ${explicit.variable} to let gpac-ts search pkg-config and the loader's places (LD_LIBRARY_PATH, /usr/local/lib, …).`,
          ]
        : ['gpac-ts could not load libgpac.', 'Places tried:', ...lines, ...SEARCH_SOLUTIONS]
      ).join('\n'),
    );
    this.name = 'GpacNotFoundError';
    this.tried = tried;
    this.explicit = explicit;
  }
}

export class GpacAbiError extends Error {
  constructor(
    readonly library: string,
    readonly found: Abi,
    readonly expected: Abi,
    readonly expectedVersion: string,
  ) {
    super(
      `libgpac at ${library} has ABI ${fmt(found)}, but gpac-ts was generated for ABI ${fmt(expected)} (GPAC ${expectedVersion}). ` +
        'A different major ABI changes struct layouts and signatures, so it cannot be used. ' +
        'Install a matching GPAC, or regenerate the bindings for this one with `npm run codegen` and rebuild (`npm install`).',
    );
    this.name = 'GpacAbiError';
  }
}

const warnedMinor = new Set<string>();

/** Throws on a major ABI difference; warns once per library on a minor one. */
export function checkAbi(found: Abi, library: string, expected: Abi, expectedVersion: string): void {
  if (found.major !== expected.major) throw new GpacAbiError(library, found, expected, expectedVersion);
  if (found.minor !== expected.minor && !warnedMinor.has(library)) {
    warnedMinor.add(library);
    process.emitWarning(
      `libgpac at ${library} has ABI ${fmt(found)}; gpac-ts was generated for ${fmt(expected)} (GPAC ${expectedVersion}). ` +
        'It should work, but options and properties added since are not typed. Run `npm run codegen` to regenerate.',
      { code: 'GPAC_TS_ABI_MINOR' },
    );
  }
}

/**
 * Tries each candidate with `bind` (which loads the library and reads gf_gpac_version / gf_gpac_abi_*),
 * returning the first that loads. Every failure, and every empty place, goes into one GpacNotFoundError.
 */
export function loadLibgpac(bind: (path: string) => LibraryInfo, host: DiscoveryHost = systemHost): LoadedLibrary {
  const { candidates, tried, explicit } = locateLibgpac(host);
  const failures: TriedPlace[] = [];
  for (const c of candidates) {
    try {
      return { ...c, ...bind(c.path) };
    } catch (err) {
      if (!explicit) failures.push({ place: `${c.path} (from ${c.source})`, reason: firstLine(err) });
      else {
        const what = c.path !== explicit.value ? `${c.path} ` : '';
        failures.push({ place: `${explicit.variable}=${explicit.value}`, reason: `${what}cannot be loaded as libgpac: ${firstLine(err)}` });
      }
    }
  }
  throw new GpacNotFoundError([...tried, ...failures], explicit);
}

/** The install prefix to read headers from: GPAC_HOME, pkg-config's prefix, or the library's parent. */
export function locateGpacPrefix(host: DiscoveryHost = systemHost): { prefix: string; tried: TriedPlace[] } {
  const hasHeaders = (p: string) => host.exists(join(p, 'include', 'gpac', 'filters.h'));
  const tried: TriedPlace[] = [];
  const consider = (p: string | undefined, place: string): string | null => {
    if (!p) return null;
    if (hasHeaders(p)) return p;
    tried.push({ place, reason: `${join(p, 'include/gpac/filters.h')} does not exist` });
    return null;
  };
  let prefix = consider(host.env.GPAC_HOME, `GPAC_HOME=${host.env.GPAC_HOME}`);
  // An explicit GPAC_HOME without headers is an error, not a reason to read another GPAC's.
  if (!prefix && host.env.GPAC_HOME) throw new GpacNotFoundError(tried, { variable: 'GPAC_HOME', value: host.env.GPAC_HOME }, "GPAC's headers");
  if (!prefix) {
    try {
      prefix = consider(host.pkgConfig(['--variable=prefix', 'gpac']), 'pkg-config gpac (prefix)');
    } catch (err) {
      tried.push({ place: 'pkg-config gpac', reason: firstLine(err) });
    }
  }
  if (!prefix) {
    const located = locateLibgpac(host);
    tried.push(...located.tried);
    for (const c of located.candidates) {
      prefix = consider(dirname(dirname(c.path)), `prefix of ${c.path}`);
      if (prefix) break;
    }
  }
  if (!prefix) throw new GpacNotFoundError(tried);
  return { prefix, tried };
}

function fmt(a: Abi): string {
  return `${a.major}.${a.minor}.${a.micro}`;
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: unknown; message?: unknown; code?: unknown };
  if (e && e.code === 'ENOENT') return 'command not found';
  const text = String((e && (e.stderr ? String(e.stderr) : e.message)) || err).trim();
  const line = text.split('\n')[0] || 'failed';
  // A library that is not libgpac lacks every entry point, and the addon names them all: keep both ends.
  return line.length > 400 ? `${line.slice(0, 300)} … ${line.slice(-80)}` : line;
}
