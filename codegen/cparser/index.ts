// Entry point of the C header parser: preprocesses GPAC's public headers as one translation unit
// (GCC, Linux x86_64), parses their declarations, evaluates enum values and #define constants, and
// returns sorted IR pieces. See README.md in this folder for what is and is not handled.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IRConstant, IREnum, IRFunction, IRStruct, IRTypedef, SourceRef } from '../ir-types.js';
import { evaluate, NotConstant } from './const-eval.js';
import { constantOf, DeclParser, type SkippedDecl } from './declarations.js';
import { CParseError } from './errors.js';
import { Preprocessor } from './preprocessor.js';
import { COMPILER_MACROS, LIBC_MACROS } from './system.js';
import type { Token } from './tokens.js';

export { CParseError } from './errors.js';
export { declare, paramList } from './declare.js';
export type { SkippedDecl } from './declarations.js';

export interface HeaderSet {
  constants: IRConstant[];
  enums: IREnum[];
  structs: IRStruct[];
  typedefs: IRTypedef[];
  functions: IRFunction[];
  version?: { string: string; major: number; minor: number; micro: number };
  /** Notes the caller should show (configuration fallback, redeclarations...). */
  warnings: string[];
  /** Declarations deliberately left out of the IR (inline bodies, static tables, variables). */
  skipped: SkippedDecl[];
  /** Object-like #define macros of GPAC headers that are not constants, with the reason. */
  skippedMacros: SkippedDecl[];
  /** gpac headers read, relative to includeRoot, sorted. */
  headersRead: string[];
}

export interface ParseOptions {
  /** Directory holding gpac/*.h, e.g. /usr/local/include. */
  includeRoot: string;
  /** Headers to parse, relative to includeRoot ("gpac/filters.h"), in this order. */
  headers: string[];
  /** Extra macros, as if given with -D (value "" defines to nothing). */
  predefined?: Record<string, string>;
  /** Hand-kept declaration files parsed after the headers; their functions get public: false. */
  /** Extra headers (the project's overrides); `label` is how IR sources name them (a stable, relative name). */
  extraSources?: { path: string; label?: string; public: false }[];
  /** configure's configuration.h to use instead of includeRoot's (null: an empty one). By default the
   *  include root's is used unless it is missing or is GPAC's static multi-platform fallback (which
   *  ends in #error on Linux), in which case an empty one is used and a warning says so. */
  configuration?: string | null;
  /** Also called for each warning (they are returned in HeaderSet.warnings too). */
  onWarning?: (message: string) => void;
}

const CONFIG = 'gpac/configuration.h';

export function parseHeaders(opts: ParseOptions): HeaderSet {
  const root = path.resolve(opts.includeRoot);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    opts.onWarning?.(m);
  };
  if (!existsSync(path.join(root, 'gpac'))) throw new CParseError(`no gpac/ directory under include root ${root}`, root, 0);

  const overrides = new Map<string, { text: string; why: string }>();
  const confFile = path.join(root, CONFIG);
  if (opts.configuration === null) {
    overrides.set(CONFIG, { text: '', why: 'empty configuration requested' });
  } else if (opts.configuration !== undefined) {
    overrides.set(CONFIG, { text: readFileSync(opts.configuration, 'utf8'), why: `configuration from ${opts.configuration}` });
  } else if (!existsSync(confFile)) {
    overrides.set(CONFIG, { text: '', why: 'missing' });
    warn(`${confFile} is missing (not an installed GPAC?): using an empty configuration.h, so build options such as GPAC_DISABLE_DOC are not known`);
  } else if (readFileSync(confFile, 'utf8').includes('(static configuration file)')) {
    overrides.set(CONFIG, { text: '', why: 'static' });
    warn(`${confFile} is GPAC's static multi-platform fallback, not configure's output: using an empty configuration.h instead, so build options such as GPAC_DISABLE_DOC are not known (pass configuration: <path to configure's config.h> to use one)`);
  }

  const pp = new Preprocessor({ includeRoot: root, overrides, warn });
  pp.defineFromText(COMPILER_MACROS, '<built-in>');
  pp.defineFromText(LIBC_MACROS, '<libc>');
  if (opts.predefined) {
    const lines = Object.entries(opts.predefined).map(([k, v]) => `#define ${k} ${v}`);
    pp.defineFromText(lines.join('\n'), '<command-line>');
  }

  const extra = new Map<string, string>(); // absolute path -> label
  for (const e of opts.extraSources ?? []) extra.set(path.resolve(e.path), e.label ?? e.path);

  const toks: Token[] = [];
  for (const h of opts.headers) {
    const file = path.join(root, h);
    if (!existsSync(file)) throw new CParseError(`header ${h} not found under ${root}`, file, 0);
    for (const t of pp.run(file)) toks.push(t);
  }
  // version.h gives HeaderSet.version; it needs setup.h's types, as in GPAC's own includes (tools.h)
  const version = path.join(root, 'gpac/version.h');
  if (!pp.headersRead.has('gpac/version.h') && pp.headersRead.has('gpac/setup.h') && existsSync(version)) {
    for (const t of pp.run(version)) toks.push(t);
  }
  for (const [abs] of extra) for (const t of pp.run(abs)) toks.push(t);

  const sourceOf = (file: string, line: number): SourceRef => ({ header: extra.get(file) ?? pp.relative(file), line });
  const parser = new DeclParser({
    source: (t) => sourceOf(t.file, t.line),
    isPublic: (t) => !extra.has(t.file),
    warn,
  });
  parser.parse(toks);

  // #define constants: object-like macros of gpac headers (and overrides) whose expansion is constant
  const fromGpac = (file: string): boolean => extra.has(file) || file.startsWith(path.join(root, 'gpac') + path.sep);
  const macroConstants: IRConstant[] = [];
  const skippedMacros: SkippedDecl[] = [];
  const env = parser.evalEnv();
  for (const m of pp.macros.values()) {
    if (m.params !== null || !fromGpac(m.file)) continue;
    const source = sourceOf(m.file, m.line);
    if (m.body.length === 0) {
      skippedMacros.push({ name: m.name, reason: 'defined to nothing', source });
      continue;
    }
    const hide = new Set([m.name]);
    const body = pp.expandList(m.body.map((t) => ({ ...t, hide })));
    try {
      const v = evaluate(body, env);
      if (v.kind === 'int') macroConstants.push(constantOf(m.name, v.v, null, source));
      else if (v.kind === 'float') {
        if (!Number.isFinite(v.v)) throw new NotConstant(`evaluates to ${v.v}, which JSON cannot hold`, undefined);
        macroConstants.push({ name: m.name, value: v.v, valueKind: 'float', enum: null, source });
      } else macroConstants.push({ name: m.name, value: v.v, valueKind: 'string', enum: null, source });
    } catch (e) {
      if (!(e instanceof NotConstant)) throw e;
      skippedMacros.push({ name: m.name, reason: `not a constant: ${e.message}`, source });
    }
  }

  const { enums, constants: enumConstants } = parser.enumList();
  const constants = new Map<string, IRConstant>();
  for (const c of [...enumConstants, ...parser.staticConstants, ...macroConstants]) {
    const prev = constants.get(c.name);
    if (prev) {
      warn(`${c.source.header}:${c.source.line}: constant ${c.name} defined again (first at ${prev.source.header}:${prev.source.line}); keeping the first`);
      continue;
    }
    constants.set(c.name, c);
  }

  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const result: HeaderSet = {
    constants: [...constants.values()].sort(byName),
    enums: enums.sort(byName),
    structs: parser.structs().sort(byName),
    typedefs: [...parser.typedefs.values()].sort(byName),
    functions: [...parser.functions.values()].sort(byName),
    warnings,
    skipped: parser.skipped.sort(byName),
    skippedMacros: skippedMacros.sort(byName),
    headersRead: [...pp.headersRead].sort(),
  };
  const v = versionOf(constants);
  if (v) result.version = v;
  return result;
}

function versionOf(constants: Map<string, IRConstant>): HeaderSet['version'] {
  const s = constants.get('GPAC_VERSION');
  const num = (n: string): number | null => {
    const c = constants.get(n);
    return c && typeof c.value === 'number' ? c.value : null;
  };
  const major = num('GPAC_VERSION_MAJOR');
  const minor = num('GPAC_VERSION_MINOR');
  const micro = num('GPAC_VERSION_MICRO');
  if (!s || typeof s.value !== 'string' || major === null || minor === null || micro === null) return undefined;
  return { string: s.value, major, minor, micro };
}
