// Builds the IR from one GPAC install: its headers (codegen/cparser) and libgpac's introspection
// (codegen/introspect), plus the hand-kept overrides; reads and writes IR files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHeaders } from './cparser/index.js';
import { introspectGpac } from './introspect/index.js';
import { IR_FORMAT, type GpacIR, type IRConstant, type IRProperty } from './ir-types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export class CodegenError extends Error {}

export function fail(message: string): never {
  throw new CodegenError(message);
}

/** The public headers the bindings are made from (the parser follows their gpac/ includes). */
export const HEADERS = [
  'gpac/setup.h',
  'gpac/tools.h',
  'gpac/list.h',
  'gpac/constants.h',
  'gpac/events_constants.h',
  'gpac/filters.h',
  'gpac/download.h',
  'gpac/dash.h',
  'gpac/main.h',
  'gpac/version.h', // uses u32 without including setup.h, so after it
];

/** Reads headers and libgpac's introspection from one install prefix into an IR. */
export function buildIR(prefix: string, withDocs: boolean): GpacIR {
  const includeRoot = join(prefix, 'include');
  if (!existsSync(join(includeRoot, 'gpac', 'filters.h'))) fail(`no GPAC headers under ${includeRoot} (expected gpac/filters.h)`);
  const headers = HEADERS.filter((h) => existsSync(join(includeRoot, h)));
  const parsed = parseHeaders({
    includeRoot,
    headers,
    // labelled relative to the project: the IR must not depend on where the checkout lives
    extraSources: [{ path: join(ROOT, 'codegen', 'overrides.h'), label: 'codegen/overrides.h', public: false }],
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
    // GPAC_CONFIGURATION is configure's command line: a fact about one machine, not about GPAC.
    constants: parsed.constants.filter((c) => c.name !== 'GPAC_CONFIGURATION'),
    enums: parsed.enums,
    structs: parsed.structs,
    typedefs: parsed.typedefs,
    functions: parsed.functions,
    properties: nameProperties(docs.properties, parsed.constants),
    filters: docs.filters,
    valueNames: docs.valueNames,
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

