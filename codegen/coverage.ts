// libgpac.py → gpac-ts coverage: every public member of GPAC's Python binding (libgpac.py, the reference
// for what the API can do), and its counterpart in gpac-ts's public API or "missing".
//
//   npm run coverage:docs              write docs/libgpac-py-coverage.md
//   npm run coverage:docs -- --check   fail if the committed table differs from what the code gives
//   LIBGPAC_PY=/path/libgpac.py …      read that libgpac.py (else GPAC_SRC's, GPAC_HOME's, the install's)
//
// libgpac.py's members come from readPythonApi (its doxygen conventions); gpac-ts's from the TypeScript
// of src/index.ts, read with ts-morph: exported functions, classes, interfaces and types, and the public
// members of each. A libgpac.py name matches its camelCased form (`load_src` → `loadSrc`) on the class of
// the same name; the exceptions — other names, other classes, JavaScript built-ins, members left out on
// purpose — are kept in codegen/coverage-overrides.json, each with its reason. An override that no longer
// applies (the member is gone from libgpac.py, the target from gpac-ts, or the plain rule now finds it)
// is an error, so the file cannot drift.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Node, Project, type Symbol as TsSymbol, type Type } from 'ts-morph';
import { likelyLibgpac } from '../src/discovery.js';
import { readPythonApi, type PyApiMember } from './cparser/libgpac-py.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const COVERAGE_DOC = 'docs/libgpac-py-coverage.md';
export const OVERRIDES_FILE = 'codegen/coverage-overrides.json';
const COMMAND = 'npm run coverage:docs';

// ---------------------------------------------------------------------------------------------------
// Finding libgpac.py

const INSTALLED = join('share', 'gpac', 'python', 'libgpac', 'libgpac.py'); // under an install prefix
const IN_TREE = join('share', 'python', 'libgpac', 'libgpac.py'); // in GPAC's source tree

export interface LibgpacPyLocation {
  path: string | null;
  /** Every path looked at, in order. */
  tried: string[];
  /** Set when LIBGPAC_PY, GPAC_SRC or GPAC_HOME names no libgpac.py (an explicit choice is never replaced). */
  error?: string;
}

/**
 * Where libgpac.py is: LIBGPAC_PY (the file), GPAC_SRC (a GPAC source tree), GPAC_HOME (an install prefix or
 * a build tree), else the prefix of the libgpac discovery would load, /usr/local, /usr. An explicit variable
 * that names no libgpac.py is an error, never a reason to read another GPAC's. Stat calls only.
 */
export function locateLibgpacPy(env: NodeJS.ProcessEnv = process.env): LibgpacPyLocation {
  const tried: string[] = [];
  const first = (candidates: string[]): string | null => {
    for (const c of [...new Set(candidates)]) {
      tried.push(c);
      if (existsSync(c)) return c;
    }
    return null;
  };
  const explicit: [string, string[]][] = [];
  if (env.LIBGPAC_PY) explicit.push([`LIBGPAC_PY=${env.LIBGPAC_PY}`, [env.LIBGPAC_PY]]);
  else if (env.GPAC_SRC) explicit.push([`GPAC_SRC=${env.GPAC_SRC}`, [join(env.GPAC_SRC, IN_TREE)]]);
  else if (env.GPAC_HOME) explicit.push([`GPAC_HOME=${env.GPAC_HOME}`, [join(env.GPAC_HOME, INSTALLED), join(env.GPAC_HOME, IN_TREE)]]);
  for (const [what, candidates] of explicit) {
    const path = first(candidates);
    return path ? { path, tried } : { path: null, tried, error: `${what} names no libgpac.py` };
  }
  const candidates: string[] = [];
  const lib = likelyLibgpac();
  if (lib) candidates.push(join(dirname(dirname(lib)), INSTALLED));
  candidates.push(join('/usr/local', INSTALLED), join('/usr', INSTALLED));
  return { path: first(candidates), tried };
}

// ---------------------------------------------------------------------------------------------------
// gpac-ts's public API

/** Exported name → its public member names (empty for functions and constants). */
export type TsApi = Map<string, Set<string>>;

function isInternal(s: TsSymbol): boolean {
  return s.getDeclarations().some((d) => {
    if (Node.isJSDocable(d) && d.getJsDocs().some((j) => j.getTags().some((t) => t.getTagName() === 'internal'))) return true;
    if (Node.isModifierable(d) && d.hasModifier('private')) return true; // protected stays: plugins subclass
    return false;
  });
}

function publicMembers(type: Type, into: Set<string>): void {
  for (const p of type.getApparentProperties()) {
    const name = p.getName();
    if (name.startsWith('_') || name.startsWith('#') || name.startsWith('__@') || isInternal(p)) continue;
    into.add(name);
  }
}

/** What src/index.ts exports, with the members of each class, interface and object type. */
export function readTsApi(root = ROOT): TsApi {
  const project = new Project({
    tsConfigFilePath: join(root, 'tsconfig.json'),
    skipAddingFilesFromTsConfig: true,
  });
  const index = project.addSourceFileAtPath(join(root, 'src', 'index.ts'));
  project.resolveSourceFileDependencies();
  const api: TsApi = new Map();
  for (const [name, decls] of index.getExportedDeclarations()) {
    const members = new Set<string>();
    for (const d of decls) {
      if (Node.isClassDeclaration(d)) {
        publicMembers(d.getType(), members); // instance side, inherited members included
        for (const s of d.getStaticMembers()) if (!Node.isClassStaticBlockDeclaration(s) && !s.hasModifier('private')) members.add(s.getName());
      } else if (Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d)) {
        publicMembers(d.getType(), members);
      }
    }
    api.set(name, members);
  }
  return api;
}

// ---------------------------------------------------------------------------------------------------
// The mapping

/** `load_src` → `loadSrc`; a leading capital word stays (`FilterSession`), `ID` stays `ID`. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export interface Override {
  /** gpac-ts counterparts: `Class.member`, an exported name, or several; null: none, on purpose or planned. */
  ts?: string | string[] | null;
  /** A JavaScript built-in stands for it (PropData → Uint8Array): not looked up in gpac-ts. */
  builtin?: string;
  reason: string;
}
export interface Overrides {
  /** libgpac.py class → gpac-ts class or type (its members are then looked up there). */
  classes: Record<string, Override>;
  /** `name` (module function) or `Class.member` → counterpart. */
  members: Record<string, Override>;
}

export type Status = 'same name' | 'C name' | 'renamed' | 'built-in' | 'missing';
export interface Row {
  /** libgpac.py's name: `e2s`, `FilterSession`, `FilterSession.load_src`. */
  py: string;
  owner: string | null;
  kind: PyApiMember['kind'];
  line: number;
  status: Status;
  /** The gpac-ts counterparts (empty when missing). */
  ts: string[];
  note?: string;
}

export class CoverageError extends Error {
  override name = 'CoverageError';
}

export function readOverrides(root = ROOT): Overrides {
  const raw = JSON.parse(readFileSync(join(root, OVERRIDES_FILE), 'utf8')) as Partial<Overrides>;
  return { classes: raw.classes ?? {}, members: raw.members ?? {} };
}

function targets(o: Override): string[] {
  return o.ts == null ? [] : Array.isArray(o.ts) ? o.ts : [o.ts];
}

/** Each libgpac.py member, matched against gpac-ts. Throws CoverageError on an override that no longer applies. */
export function buildCoverage(py: readonly PyApiMember[], api: TsApi, overrides: Overrides): Row[] {
  const problems: string[] = [];
  const exists = (target: string): boolean => {
    const dot = target.indexOf('.');
    if (dot < 0) return api.has(target);
    return api.get(target.slice(0, dot))?.has(target.slice(dot + 1)) ?? false;
  };
  const pyNames = new Set(py.map((m) => (m.owner ? `${m.owner}.${m.name}` : m.name)));
  const pyClasses = new Set(py.filter((m) => m.kind === 'class').map((m) => m.name));
  for (const k of Object.keys(overrides.members)) if (!pyNames.has(k)) problems.push(`${OVERRIDES_FILE}: members["${k}"] is not a public member of libgpac.py`);
  for (const k of Object.keys(overrides.classes)) if (!pyClasses.has(k)) problems.push(`${OVERRIDES_FILE}: classes["${k}"] is not a public class of libgpac.py`);
  for (const [section, table] of [['classes', overrides.classes], ['members', overrides.members]] as const) {
    for (const [k, o] of Object.entries(table)) {
      if (!o.reason) problems.push(`${OVERRIDES_FILE}: ${section}["${k}"] has no reason`);
      for (const t of targets(o)) if (!exists(t)) problems.push(`${OVERRIDES_FILE}: ${section}["${k}"] names ${t}, which gpac-ts does not export`);
    }
  }

  // libgpac.py names its ctypes mirrors of C structs without GPAC's prefix (FEVT_Play for GF_FEVT_Play):
  // a class matches an export of its own name, else of the C struct's.
  const sameClass = (pyClass: string): string | null => (api.has(pyClass) ? pyClass : api.has(`GF_${pyClass}`) ? `GF_${pyClass}` : null);
  const tsClassOf = (pyClass: string): string | null => {
    const o = overrides.classes[pyClass];
    if (o) return o.builtin ? null : (targets(o)[0] ?? null);
    return sameClass(pyClass);
  };

  const rows: Row[] = [];
  for (const m of py) {
    const key = m.owner ? `${m.owner}.${m.name}` : m.name;
    const o = m.kind === 'class' ? overrides.classes[m.name] : overrides.members[key];
    // What the plain rule finds: the camelCased name, on the class of the same (or overridden) name.
    let plain: string | null = null;
    if (m.kind === 'class') plain = sameClass(m.name);
    else if (!m.owner) plain = api.has(camelCase(m.name)) ? camelCase(m.name) : null;
    else {
      const cls = tsClassOf(m.owner);
      if (cls && api.get(cls)?.has(camelCase(m.name))) plain = `${cls}.${camelCase(m.name)}`;
    }
    const base = { py: key, owner: m.owner, kind: m.kind, line: m.line };
    if (o) {
      const t = targets(o);
      if (plain !== null && t.length === 1 && t[0] === plain && !o.builtin)
        problems.push(`${OVERRIDES_FILE}: "${key}" → ${plain} is what the plain rule finds: remove the override`);
      if (plain !== null && t.length === 0 && !o.builtin)
        problems.push(`${OVERRIDES_FILE}: "${key}" is listed as missing (${o.reason}), but gpac-ts has ${plain}: remove the override`);
      if (o.builtin) rows.push({ ...base, status: 'built-in', ts: [o.builtin], note: o.reason });
      else if (t.length) rows.push({ ...base, status: 'renamed', ts: t, note: o.reason });
      else rows.push({ ...base, status: 'missing', ts: [], note: o.reason });
      continue;
    }
    if (plain !== null) {
      const cName = m.kind === 'class' && plain !== m.name;
      rows.push({ ...base, status: cName ? 'C name' : 'same name', ts: [plain], ...(cName ? { note: `the C struct's name` } : {}) });
      continue;
    }
    // Missing. A member of a class that is itself missing on purpose (or planned) takes the class's reason.
    const ownerOverride = m.owner ? overrides.classes[m.owner] : undefined;
    const note = ownerOverride && targets(ownerOverride).length === 0 && !ownerOverride.builtin ? ownerOverride.reason : undefined;
    rows.push({ ...base, status: 'missing', ts: [], ...(note ? { note } : {}) });
  }
  if (problems.length) throw new CoverageError(`${problems.length} problem(s) in the libgpac.py coverage mapping:\n  ${problems.join('\n  ')}`);
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// The document

export interface CoverageSource {
  /** sha256 of the libgpac.py read (first 12 hex digits): the table says which file it describes. */
  sha: string;
  lines: number;
}

export function pySource(text: string): CoverageSource {
  return { sha: createHash('sha256').update(text).digest('hex').slice(0, 12), lines: text.split('\n').length };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderCoverage(rows: readonly Row[], src: CoverageSource): string {
  const covered = rows.filter((r) => r.status !== 'missing').length;
  const count = (st: Status) => rows.filter((r) => r.status === st).length;
  const groups = new Map<string, Row[]>();
  const owners = new Set(rows.map((r) => r.owner));
  for (const r of rows) {
    // A class with no listed member (a ctypes structure, mostly) goes with the others of its kind.
    const g = r.owner ?? (r.kind === 'function' ? '(module functions)' : owners.has(r.py) ? r.py : '(classes without listed members)');
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(r);
  }
  const out: string[] = [];
  out.push(`<!-- DO NOT EDIT: generated by codegen/coverage.ts (\`${COMMAND}\`) from libgpac.py, src/index.ts and ${OVERRIDES_FILE}. -->`);
  out.push('');
  out.push('# libgpac.py → gpac-ts coverage');
  out.push('');
  out.push(
    `Every public member of libgpac.py (GPAC's Python binding: its module functions, its classes and their documented ` +
      `methods and attributes, as its doxygen comments present them) and its counterpart in gpac-ts's public API ` +
      `(what \`src/index.ts\` exports). Read from libgpac.py sha256 \`${src.sha}…\` (${src.lines} lines).`,
  );
  out.push('');
  out.push(
    `**${rows.length} members: ${covered} covered (${count('same name')} under the camelCased name, ${count('C name')} under the C struct's name, ` +
      `${count('renamed')} under another name, ${count('built-in')} by a JavaScript built-in), ${count('missing')} missing.**`,
  );
  out.push('');
  out.push(
    'A libgpac.py name is matched by its camelCased form on the class of the same name (`FilterSession.load_src` → ' +
      '`FilterSession.loadSrc`); a class mirroring a C struct also matches the struct\'s name (`FEVT_Play` → `GF_FEVT_Play`). Other names, JavaScript built-ins and members left out on purpose are listed in ' +
      `\`${OVERRIDES_FILE}\` with their reason, shown here under "note". Fields of libgpac.py's ctypes Structure classes are ` +
      "GPAC's C struct fields and are not listed one by one (gpac-ts reads them through the generated struct layouts).",
  );
  out.push('');
  out.push('| libgpac.py | members | covered | missing |');
  out.push('|---|---:|---:|---:|');
  for (const [g, rs] of groups) {
    const c = rs.filter((r) => r.status !== 'missing').length;
    out.push(`| [${cell(g)}](#${anchor(g)}) | ${rs.length} | ${c} | ${rs.length - c} |`);
  }
  for (const [g, rs] of groups) {
    out.push('');
    out.push(`## ${g}`);
    out.push('');
    out.push('| libgpac.py | kind | line | gpac-ts | note |');
    out.push('|---|---|---:|---|---|');
    for (const r of rs) {
      const ts = r.status === 'missing' ? '**missing**' : r.ts.map((t) => `\`${cell(t)}\``).join(', ') + (r.status === 'built-in' ? ' (built-in)' : '');
      out.push(`| \`${cell(r.py)}\` | ${r.kind} | ${r.line} | ${ts} | ${cell(r.note ?? '')} |`);
    }
  }
  out.push('');
  return out.join('\n');
}

function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/** The coverage document for the libgpac.py text given (reads gpac-ts's sources and the overrides). */
export function generateCoverage(pyText: string, root = ROOT): { doc: string; rows: Row[] } {
  const rows = buildCoverage(readPythonApi(pyText), readTsApi(root), readOverrides(root));
  return { doc: renderCoverage(rows, pySource(pyText)), rows };
}

// ---------------------------------------------------------------------------------------------------

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { check: { type: 'boolean', default: false } } });
  const loc = locateLibgpacPy();
  if (!loc.path) {
    console.error(
      `coverage: ${loc.error ?? 'libgpac.py not found'} (looked at ${loc.tried.join(', ')}). ` +
        'Set LIBGPAC_PY to the file, GPAC_SRC to a GPAC source tree or GPAC_HOME to a GPAC install prefix.',
    );
    return 2;
  }
  const { doc, rows } = generateCoverage(readFileSync(loc.path, 'utf8'));
  const target = join(ROOT, COVERAGE_DOC);
  const missing = rows.filter((r) => r.status === 'missing').length;
  if (values.check) {
    if (existsSync(target) && readFileSync(target, 'utf8') === doc) {
      console.log(`coverage: ${COVERAGE_DOC} is current (${rows.length} members, ${missing} missing; from ${loc.path})`);
      return 0;
    }
    console.error(`coverage: ${COVERAGE_DOC} is stale for ${loc.path}: run \`${COMMAND}\``);
    return 1;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, doc);
  console.log(`coverage: wrote ${COVERAGE_DOC} from ${loc.path}: ${rows.length} members, ${rows.length - missing} covered, ${missing} missing`);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof CoverageError)) throw err;
    console.error(`coverage: ${err.message}`);
    process.exitCode = 2;
  }
}
