// Every registered filter with every option, and every built-in property, read from an installed GPAC
// through libgpac's own introspection: gpac_introspect.c is compiled against the install's headers and
// library (in a temporary directory), run, and its JSON turned into IR parts.
// Any failure — headers or library missing, compile error, crash, output that is not the expected
// JSON — is one IntrospectError naming the command and carrying its output; never a partial result.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnumExtractError, enumMemberNames, enumMembersWith } from './enum-members.js';
import { checkProbeOutput, ProbeShapeError, type ProbeOutput } from './probe-output.js';
import { probeToResult, type IntrospectResult } from './to-ir.js';

export class IntrospectError extends Error {
  /** The command (or step) that failed, as a shell-readable line. */
  readonly command: string;
  /** What it printed (stderr, then stdout), or why the step could not run. */
  readonly output: string;
  constructor(message: string, command: string, output: string) {
    super(`${message}\n  command: ${command}\n  output:\n${indent(output || '(none)')}`);
    this.name = 'IntrospectError';
    this.command = command;
    this.output = output;
  }
}

export interface IntrospectOptions {
  /** GPAC install prefix: <prefix>/include/gpac/filters.h and libgpac under <prefix>/lib (or lib64, lib/<multiarch>). */
  prefix: string;
  /** Keep GPAC's descriptions of filters, options and properties (local builds only). */
  withDocs?: boolean;
  /** C compiler; default $CC, else "cc". */
  cc?: string;
  /** Also list the registers meta filters add per codec/format ("ffenc:libx264"; 1897 of them in a GPAC 26.08-DEV build with FFmpeg):
   *  `gpac -h filters` leaves them out; their options are the codec's private ones. Default false. */
  subFilters?: boolean;
}

export type Introspection = IntrospectResult;

const PROBE_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'gpac_introspect.c');
const ENUMS_HEADER = 'gpac_introspect_enums.h';
// The enums the probe prints member lists of, and the X-macro each list is written to.
const ENUM_LISTS: [typedefName: string, macro: string][] = [
  ['GF_PropType', 'GPAC_INTROSPECT_PROP_TYPES'],
  ['GF_FSRegisterFlags', 'GPAC_INTROSPECT_REG_FLAGS'],
  ['GF_FSArgumentFlags', 'GPAC_INTROSPECT_ARG_FLAGS'],
];
// The stream types the probe names (gf_stream_type_name): the members of the constants.h enum holding
// GF_STREAM_UNKNOWN (a typedef GF_StreamType on main, an untagged enum in GPAC 2.4).
const STREAM_TYPES: [member: string, macro: string] = ['GF_STREAM_UNKNOWN', 'GPAC_INTROSPECT_STREAM_TYPES'];
const LIB_FILES = ['libgpac.so', 'libgpac.dylib'];
const MAX_OUTPUT = 512 * 1024 * 1024;

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** A command line as a shell would accept it, for error messages. */
function shellLine(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Keeps error output readable when a probe prints megabytes. */
function clip(text: string, max = 20000): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)}\n… (${text.length - max} characters cut) …\n${text.slice(-max / 2)}`;
}

/** The directory holding libgpac's link-time library file, and that file. */
function findLibrary(prefix: string): { dir: string; file: string } {
  const dirs = [join(prefix, 'lib'), join(prefix, 'lib64')];
  // Debian-style multiarch: <prefix>/lib/<triplet>/
  if (existsSync(join(prefix, 'lib'))) {
    for (const e of readdirSync(join(prefix, 'lib'), { withFileTypes: true })) {
      if (e.isDirectory() && /-linux-gnu|-darwin/.test(e.name)) dirs.push(join(prefix, 'lib', e.name));
    }
  }
  const tried: string[] = [];
  for (const dir of dirs) {
    for (const name of LIB_FILES) {
      const file = join(dir, name);
      tried.push(file);
      if (existsSync(file)) return { dir, file };
    }
    // Only a versioned runtime file (no dev symlink): link with it directly.
    if (existsSync(dir)) {
      const versioned = readdirSync(dir).filter((n) => /^libgpac\.so\.\d+(\.\d+)*$/.test(n)).sort();
      tried.push(join(dir, 'libgpac.so.<N>'));
      const last = versioned[versioned.length - 1];
      if (last !== undefined) return { dir, file: join(dir, last) };
    }
  }
  throw new IntrospectError(
    `no libgpac under ${prefix}`,
    `locate libgpac in ${prefix}`,
    `looked for:\n${tried.join('\n')}\nexpected an installed GPAC there (make install, or pass its install prefix)`,
  );
}

function readHeader(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new IntrospectError(`cannot read ${path}`, `read ${path}`, (e as Error).message);
  }
}

/** X-macro lists of the enum members the probe prints, from the installed filters.h and constants.h. */
function enumsHeader(filtersH: string, constantsH: string): string {
  const text = readHeader(filtersH);
  const lines = [`/* written by codegen/introspect/index.ts from ${filtersH} and ${constantsH} */`];
  const list = (macro: string, names: string[]) => lines.push(`#define ${macro}(X) \\`, ...names.map((n) => `\tX(${n}) \\`), '');
  for (const [typedefName, macro] of ENUM_LISTS) {
    try {
      list(macro, enumMemberNames(text, typedefName, filtersH));
    } catch (e) {
      if (e instanceof EnumExtractError) throw new IntrospectError(`cannot list the members of ${typedefName}`, `read ${filtersH}`, e.message);
      throw e;
    }
  }
  const [member, macro] = STREAM_TYPES;
  try {
    list(macro, enumMembersWith(readHeader(constantsH), member, constantsH));
  } catch (e) {
    if (e instanceof EnumExtractError) throw new IntrospectError(`cannot list the stream types (enum with ${member})`, `read ${constantsH}`, e.message);
    throw e;
  }
  return lines.join('\n') + '\n';
}

function run(argv: string[], what: string): { stdout: Buffer; stderr: string } {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, { maxBuffer: MAX_OUTPUT, timeout: 300_000 });
  const stderr = r.stderr?.toString('utf8') ?? '';
  const command = shellLine(argv);
  if (r.error) throw new IntrospectError(`${what}: could not run ${cmd}`, command, `${r.error.message}\n${stderr}`);
  if (r.signal) throw new IntrospectError(`${what}: killed by ${r.signal}`, command, clip(`${stderr}\n${r.stdout.toString('utf8')}`));
  if (r.status !== 0) throw new IntrospectError(`${what}: exit status ${r.status}`, command, clip(`${stderr}\n${r.stdout.toString('utf8')}`));
  return { stdout: r.stdout, stderr };
}

interface Install {
  prefix: string;
  includeDir: string;
  filtersH: string;
  lib: { dir: string; file: string };
}

function locateInstall(prefixArg: string): Install {
  const prefix = resolve(prefixArg);
  const includeDir = join(prefix, 'include');
  const filtersH = join(includeDir, 'gpac', 'filters.h');
  if (!existsSync(filtersH)) {
    throw new IntrospectError(`no GPAC headers under ${includeDir}`, `locate ${filtersH}`, `${filtersH} does not exist`);
  }
  return { prefix, includeDir, filtersH, lib: findLibrary(prefix) };
}

/** Writes the enum lists and compiles the probe into `dir`; returns the executable's path.
 *  `extraFlags` (e.g. -DGPAC_DISABLE_DOC) lets tests compile the other configuration's branches. */
export function compileProbe(opts: { prefix: string; cc?: string; dir: string; extraFlags?: string[] }): string {
  const install = locateInstall(opts.prefix);
  const cc = opts.cc ?? process.env.CC ?? 'cc';
  writeFileSync(join(opts.dir, ENUMS_HEADER), enumsHeader(install.filtersH, join(install.includeDir, 'gpac', 'constants.h')));
  const exe = join(opts.dir, 'gpac_introspect');
  run(
    [
      cc,
      '-O1',
      ...(opts.extraFlags ?? []),
      '-o',
      exe,
      PROBE_SOURCE,
      `-I${opts.dir}`,
      `-I${install.includeDir}`,
      install.lib.file,
      `-Wl,-rpath,${install.lib.dir}`,
    ],
    'compiling the introspection probe',
  );
  return exe;
}

/** Compiles and runs the probe in a temporary directory; returns its checked JSON document. */
export function runProbe(opts: IntrospectOptions): ProbeOutput {
  const dir = mkdtempSync(join(tmpdir(), 'gpac-introspect-'));
  try {
    const exe = compileProbe({ prefix: opts.prefix, dir, ...(opts.cc !== undefined ? { cc: opts.cc } : {}) });
    const argv = opts.withDocs ? [exe, '--docs'] : [exe];
    const { stdout, stderr } = run(argv, 'running the introspection probe');
    const command = shellLine(argv);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(stdout);
    } catch {
      throw new IntrospectError('the probe printed bytes that are not UTF-8', command, clip(`${stderr}\n${stdout.toString('latin1')}`));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new IntrospectError(`the probe did not print JSON (${(e as Error).message})`, command, clip(`${stderr}\n${text}`));
    }
    try {
      return checkProbeOutput(json);
    } catch (e) {
      if (e instanceof ProbeShapeError) throw new IntrospectError(`the probe printed unexpected JSON: ${e.message}`, command, clip(`${stderr}\n${text}`));
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Filters (with options) and built-in properties of the GPAC installed at `prefix`, sorted by name. */
export function introspectGpac(opts: IntrospectOptions): Introspection {
  const probe = runProbe(opts);
  try {
    return probeToResult(probe, { withDocs: opts.withDocs === true, subFilters: opts.subFilters === true });
  } catch (e) {
    // e.g. a 4CC that is not printable: a fact the IR cannot hold as specified
    throw new IntrospectError('cannot map the probe output to the IR', `introspect ${opts.prefix}`, (e as Error).message);
  }
}
