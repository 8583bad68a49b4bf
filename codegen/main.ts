// The generator: an installed GPAC → codegen/ir/gpac-<version>.json → generated/.
//
//   npm run codegen                         IR from the GPAC that discovery finds (or --prefix), then generated/
//   npm run codegen -- --prefix /opt/gpac   same, from that install prefix
//   npm run codegen -- --ir-only --prefix P write only the IR (e.g. for another release)
//   npm run codegen -- --from-ir FILE       regenerate generated/ from a committed IR
//   npm run codegen -- --diff A.json B.json print what changed between two IRs
//   npm run codegen:check                   generated/ matches the committed IR; with GPAC, the IR matches it
//   npm run codegen -- --compare-libgpac-py IR.json   libgpac.py's constants against the headers'
//   --with-docs                             keep GPAC's descriptions (local builds only: check refuses them)
//
// Nothing under generated/ is written unless every step before succeeded.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { locateGpacPrefix } from '../src/discovery.js';
import { CParseError, parseHeaders } from './cparser/index.js';
import { diffIR, formatDiff, isEmptyDiff } from './diff.js';
import { emitAbi } from './emit/abi.js';
import type { EmittedFile } from './emit/common.js';
import { emitNative, type NativeApiList } from './emit/native.js';
import { emitSchemas } from './emit/schemas.js';
import { emitTs } from './emit/ts.js';
import { IntrospectError, introspectGpac } from './introspect/index.js';
import { compareWithPython, readPythonConstants } from './cparser/libgpac-py.js';
import { IR_FORMAT, type GpacIR, type IRConstant, type IRProperty } from './ir-types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = 'generated/manifest.json';

/** The public headers the bindings are made from (the parser follows their gpac/ includes). */
export const HEADERS = [
  'gpac/version.h',
  'gpac/setup.h',
  'gpac/tools.h',
  'gpac/list.h',
  'gpac/constants.h',
  'gpac/events_constants.h',
  'gpac/filters.h',
  'gpac/download.h',
  'gpac/dash.h',
  'gpac/main.h',
];

class CodegenError extends Error {}

function fail(message: string): never {
  throw new CodegenError(message);
}

/** Reads headers and libgpac's introspection from one install prefix into an IR. */
export function buildIR(prefix: string, withDocs: boolean): GpacIR {
  const includeRoot = join(prefix, 'include');
  if (!existsSync(join(includeRoot, 'gpac', 'filters.h'))) fail(`no GPAC headers under ${includeRoot} (expected gpac/filters.h)`);
  const headers = HEADERS.filter((h) => existsSync(join(includeRoot, h)));
  const parsed = parseHeaders({
    includeRoot,
    headers,
    extraSources: [{ path: join(ROOT, 'codegen', 'overrides.h'), public: false }],
  });
  if (!parsed.version) fail(`${join(includeRoot, 'gpac/version.h')}: no GPAC_VERSION / GPAC_VERSION_MAJOR found`);
  const docs = introspectGpac({ prefix, withDocs });
  const hv = parsed.version;
  if (docs.abi.major !== hv.major || docs.abi.minor !== hv.minor) {
    fail(
      `headers under ${includeRoot} say ABI ${hv.major}.${hv.minor} but the library of ${prefix} says ` +
        `${docs.abi.major}.${docs.abi.minor}: the headers and the library come from different GPAC builds`,
    );
  }
  return {
    format: IR_FORMAT,
    gpac: { version: hv.string, abi: { major: hv.major, minor: hv.minor, micro: hv.micro }, docs: 'introspection' },
    constants: parsed.constants,
    enums: parsed.enums,
    structs: parsed.structs,
    typedefs: parsed.typedefs,
    functions: parsed.functions,
    properties: nameProperties(docs.properties, parsed.constants),
    filters: docs.filters,
  };
}

/** Links each built-in property to the filters.h constant with the same 4CC (GF_PROP_PID_ID ↔ "ID"). */
function nameProperties(props: IRProperty[], constants: IRConstant[]): IRProperty[] {
  const byCode = new Map<number, string>();
  for (const c of constants) {
    if (/^GF_PROP_(PID|PCK)_/.test(c.name) && typeof c.value === 'number' && !byCode.has(c.value)) byCode.set(c.value, c.name);
  }
  return props.map((p) => ({ ...p, constant: byCode.get(p.code) ?? null }));
}

export function irFileName(version: string): string {
  return `codegen/ir/gpac-${version.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/** Stable JSON: keys in insertion order (the IR is built sorted), two-space indent, final newline. */
export function stringifyIR(ir: GpacIR): string {
  return JSON.stringify(ir, null, 2) + '\n';
}

export function readIR(path: string): GpacIR {
  const ir = JSON.parse(readFileSync(resolve(ROOT, path), 'utf8')) as GpacIR;
  if (ir.format !== IR_FORMAT) fail(`${path}: IR format ${String(ir.format)}, this generator reads format ${IR_FORMAT}`);
  return ir;
}

function loadNativeApiList(): NativeApiList {
  return JSON.parse(readFileSync(join(ROOT, 'codegen', 'native-api.json'), 'utf8')) as NativeApiList;
}

/** Every file of generated/ for one IR, manifest last. */
export function emitAll(ir: GpacIR, irPath: string): EmittedFile[] {
  const files = [...emitAbi(ir, irPath), ...emitTs(ir), ...emitSchemas(ir), ...emitNative(ir, loadNativeApiList())];
  const seen = new Set<string>();
  for (const f of files) {
    if (!f.path.startsWith('generated/')) fail(`emitter wrote outside generated/: ${f.path}`);
    if (seen.has(f.path)) fail(`two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const withDocs = ir.filters.some((f) => f.description !== undefined) || ir.properties.some((p) => p.description !== undefined);
  const manifest = {
    '//': 'DO NOT EDIT — generated by gpac-ts codegen (main); regenerate with `npm run codegen`',
    ir: irPath,
    gpac: ir.gpac.version,
    withDocs,
    files: files.map((f) => f.path),
  };
  files.push({ path: MANIFEST, content: JSON.stringify(manifest, null, 2) + '\n' });
  return files;
}

function listGenerated(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, 'generated'));
  return out.sort();
}

function writeGenerated(files: EmittedFile[]): void {
  const keep = new Set(files.map((f) => f.path));
  for (const stale of listGenerated()) if (!keep.has(stale)) rmSync(join(ROOT, stale));
  for (const f of files) {
    const p = join(ROOT, f.path);
    mkdirSync(dirname(p), { recursive: true });
    if (!existsSync(p) || readFileSync(p, 'utf8') !== f.content) writeFileSync(p, f.content);
  }
}

function check(): number {
  if (!existsSync(join(ROOT, MANIFEST))) fail(`${MANIFEST} is missing: run \`npm run codegen\``);
  const manifest = JSON.parse(readFileSync(join(ROOT, MANIFEST), 'utf8')) as { ir: string; withDocs?: boolean };
  const ir = readIR(manifest.ir);
  let problems = 0;
  if (manifest.withDocs) {
    console.error(`generated/ was made with --with-docs: regenerate without it before committing (GPAC's prose stays out).`);
    problems++;
  }
  const files = emitAll(ir, manifest.ir);
  const expected = new Map(files.map((f) => [f.path, f.content]));
  for (const [path, content] of expected) {
    const p = join(ROOT, path);
    if (!existsSync(p)) {
      console.error(`missing: ${path}`);
      problems++;
    } else if (readFileSync(p, 'utf8') !== content) {
      console.error(`differs from what ${manifest.ir} gives (hand edit or stale): ${path}`);
      problems++;
    }
  }
  for (const path of listGenerated()) {
    if (!expected.has(path)) {
      console.error(`not produced by the generator: ${path}`);
      problems++;
    }
  }
  console.log(`codegen:check: ${files.length} generated files compared with ${manifest.ir}: ${problems === 0 ? 'identical' : `${problems} problem(s)`}`);

  let prefix: string | null = null;
  try {
    prefix = locateGpacPrefix().prefix;
  } catch {
    console.log('codegen:check: no GPAC install found, so the IR was not compared with one.');
  }
  if (prefix) {
    const fresh = buildIR(prefix, false);
    const committedPath = irFileName(fresh.gpac.version);
    const base = existsSync(join(ROOT, committedPath)) ? readIR(committedPath) : ir;
    const d = diffIR(base, fresh);
    if (isEmptyDiff(d)) {
      console.log(`codegen:check: the IR matches the GPAC ${fresh.gpac.version} installed at ${prefix}.`);
    } else {
      console.log(`codegen:check: drift between ${existsSync(join(ROOT, committedPath)) ? committedPath : manifest.ir} and GPAC at ${prefix}:\n`);
      console.log(formatDiff(d));
      if (existsSync(join(ROOT, committedPath))) {
        console.error(`the committed IR for GPAC ${fresh.gpac.version} is stale: run \`npm run codegen\``);
        problems++;
      }
    }
  }
  return problems === 0 ? 0 : 1;
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      prefix: { type: 'string' },
      check: { type: 'boolean', default: false },
      'with-docs': { type: 'boolean', default: false },
      'ir-only': { type: 'boolean', default: false },
      'from-ir': { type: 'string' },
      diff: { type: 'boolean', default: false },
      'compare-libgpac-py': { type: 'string' },
    },
  });
  if (values.check) return check();
  if (values.diff) {
    if (positionals.length !== 2) fail('--diff takes two IR files: --diff A.json B.json');
    process.stdout.write(formatDiff(diffIR(readIR(positionals[0]!), readIR(positionals[1]!))));
    return 0;
  }
  let ir: GpacIR;
  let irPath: string;
  if (values['compare-libgpac-py'] !== undefined) {
    // --compare-libgpac-py IR.json [--prefix P]: libgpac.py's hand-written constants against the headers'.
    const prefix = values.prefix ?? locateGpacPrefix().prefix;
    const py = join(prefix, 'share', 'gpac', 'python', 'libgpac', 'libgpac.py');
    if (!existsSync(py)) fail(`no libgpac.py at ${py}`);
    const ir = readIR(values['compare-libgpac-py']);
    const constants = readPythonConstants(readFileSync(py, 'utf8'), py);
    const diff = compareWithPython(constants, ir.constants);
    console.log(`${py}: ${constants.length} constants, ${constants.length - diff.length} agree with ${values['compare-libgpac-py']}, ${diff.length} do not:\n`);
    console.log('| constant | libgpac.py | header |\n|---|---|---|');
    for (const d of diff) console.log(`| ${d.name} (line ${d.line}) | ${d.python} | ${d.header ?? 'absent'}${d.source ? ` (${d.source})` : ''} |`);
    return 0;
  }
  if (values['from-ir']) {
    irPath = relative(ROOT, resolve(values['from-ir']));
    ir = readIR(irPath);
  } else {
    const prefix = values.prefix ?? locateGpacPrefix().prefix;
    console.log(`codegen: reading GPAC headers and libgpac introspection from ${prefix}`);
    ir = buildIR(prefix, values['with-docs']);
    irPath = irFileName(ir.gpac.version);
    mkdirSync(join(ROOT, 'codegen', 'ir'), { recursive: true });
    writeFileSync(join(ROOT, irPath), stringifyIR(ir));
    console.log(
      `codegen: wrote ${irPath} (GPAC ${ir.gpac.version}, ABI ${ir.gpac.abi.major}.${ir.gpac.abi.minor}.${ir.gpac.abi.micro}): ` +
        `${ir.constants.length} constants, ${ir.enums.length} enums, ${ir.structs.length} structs, ${ir.typedefs.length} typedefs, ` +
        `${ir.functions.length} functions, ${ir.filters.length} filters, ${ir.filters.reduce((n, f) => n + f.options.length, 0)} options, ` +
        `${ir.properties.length} properties`,
    );
    if (values['ir-only']) return 0;
  }
  const files = emitAll(ir, irPath);
  writeGenerated(files);
  console.log(`codegen: wrote ${files.length} files under generated/ from ${irPath}`);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) run();

function run(): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    const known = err instanceof CodegenError || err instanceof CParseError || err instanceof IntrospectError || (err as Error).name === 'GpacNotFoundError';
    if (!known) throw err;
    console.error(`codegen: ${(err as Error).message}`);
    if (err instanceof IntrospectError) console.error(`command: ${err.command}\n${err.output}`);
    console.error('codegen: nothing under generated/ was changed.');
    process.exitCode = 2;
  }
}
