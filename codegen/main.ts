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
import { CParseError } from './cparser/index.js';
import { compareWithPython, readPythonConstants } from './cparser/libgpac-py.js';
import { diffIR, formatDiff, isEmptyDiff } from './diff.js';
import type { EmittedFile } from './emit/common.js';
import { emitAll, MANIFEST } from './emit/index.js';
import { IntrospectError } from './introspect/index.js';
import type { GpacIR } from './ir-types.js';
import { buildIR, CodegenError, fail, irFileName, readIR, ROOT, stringifyIR } from './ir.js';

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
