// Typed filter options → checked → GPAC's argument string.
//
// validateFilterOptions() checks an options object against generated/schemas/<filter>.schema.json
// (ajv, strict, allErrors; compiled validators cached per schema directory) and throws a
// FilterOptionsError (a TypeError) naming the filter, the option, what is allowed and what was received.
// optionsToGpacString() then writes GPAC's own syntax, `dasher:segdur=2:profile=live`.
//
// Escaping (GPAC's default separators `:=#,@`; see `gpac -h doc`, "Escaping option separators", and
// filter_parse_dyn_args in src/filter_core/filter.c): a value containing ':' (URLs, times) or '<' (XML,
// which GPAC scans up to the next ">:") is written as an "opaque" option `::name=value`, which GPAC
// takes verbatim up to the next `::`. The option after an opaque one is introduced by `::` (`:::` if it
// is opaque too, since GPAC skips one ':' after the `::` that closed the previous one). A value
// containing `::`, or ending with ':' when another option follows, cannot be expressed and is refused.
// In string lists a ',' inside an item is doubled (`a,,b` is the single item "a,b"); an item starting
// with ',' or an empty item before the last one cannot be expressed and is refused.
// Booleans are written true/false, fractions num/den, vectors XxY[xZ[xW]], data 0x<hex>, 64-bit integers
// in decimal; strings given by the caller are GPAC syntax already and are passed through.
// Every filter also takes the options the filter session handles itself (FID, SID, TAG, clone, gfreg, …;
// codegen/generic-options.json, listed in index.json) and `#Name` PID property assignments: flags are
// written as the bare name (`:RSID`, `:gfloc`; false leaves them out), switches as the bare name or
// `NAME=0` (clone, nomux), `#Name: true` as the bare `#Name`. gfloc/gfopt act on the options after them,
// so key order matters there. A PID property value cannot hold ':' except in a URL's "scheme://" (GPAC's
// PID property parser ignores the '::' escape), and is refused otherwise.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FilterName, FilterOptionsMap } from '../generated/filter-options.js';

/** The named keys of an options interface (not its index signatures: `[option: string]`, `[#${string}]`). */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : `#${string}` extends K ? never : K]: T[K] };
type AnyOptionName = { [F in FilterName]: KnownKeys<FilterOptionsMap[F]> }[FilterName];
type AnyOptionType<K> = { [F in FilterName]: K extends KnownKeys<FilterOptionsMap[F]> ? FilterOptionsMap[F][K] : never }[FilterName];

/**
 * Options of a source or destination (loadSrc, loadDst): any option of any filter of this GPAC build, with
 * the union of the types the filters having it give it, and `#Name` PID property assignments.
 */
export type UrlOptions = { [K in AnyOptionName]?: AnyOptionType<K> } & {
  [property: `#${string}`]: string | number | bigint | boolean | undefined;
};

/** The options object of filter `N`: generated for a filter of this GPAC build, any object otherwise. */
export type FilterOptionsOf<N extends string> = N extends FilterName ? FilterOptionsMap[N] : Record<string, unknown>;

// ajv costs ~40 ms to import: load it on the first validation, not with the package.
const AjvClass = (): typeof Ajv => (createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv }).Ajv;

/** How a GF_PROP type is represented in JavaScript (TS_TYPE_OF_PROP in codegen/emit/common.ts). */
export type OptionShape =
  | 'number'
  | 'bigint'
  | 'boolean'
  | 'string'
  | 'fraction'
  | 'fraction64'
  | 'vec2i'
  | 'vec2'
  | 'vec3i'
  | 'vec4i'
  | 'bytes'
  | 'pointer'
  | 'string-list'
  | 'uint-list'
  | 'sint-list'
  | 'vec2i-list'
  | '4cc'
  | '4cc-list'
  | 'enum-name';

/** Facts about one option, from generated/schemas/index.json (written by codegen/emit/schemas.ts). */
export interface OptionMeta {
  type: string;
  shape: OptionShape;
  default: string | null;
  /** The option's own min/max (GPAC's min_max_enum); null is unbounded. */
  min: number | null;
  max: number | null;
  /** Names the value must be one of (UINT enumerations, known enum-type names); null if free. */
  names: string[] | null;
  /** Names that are integers, also accepted as numbers. */
  numericNames: number[];
  /** Enum types that also take an integer code (CICP). */
  acceptsCode: boolean;
  /** Bounds of the number form (C type range ∩ min/max, safe integers for 64-bit types). */
  numberMin: number | null;
  numberMax: number | null;
  /** Set flags: advanced, expert, hidden, updatable, updateSync, meta, sinkAlias. */
  flags: string[];
}

/** An option the filter session handles for every filter (codegen/generic-options.json): FID, SID, … */
export interface GenericOptionMeta {
  /** GF_PROP type GPAC reads the value as. */
  type: string;
  /** 'value': NAME=VALUE; 'flag': bare NAME when true, left out when false; 'switch': bare NAME when true,
   *  NAME=0 when false; 'optional-value': bare NAME when true, else NAME=VALUE. */
  syntax: 'value' | 'flag' | 'switch' | 'optional-value';
  /** GPAC reads it with atoi(): plain decimal integers only. */
  digitsOnly?: boolean;
}

export interface FilterMeta {
  /** Schema file name inside the schema directory. */
  schema: string;
  /** GF_FS_REG_* flags of the filter register. */
  flags: string[];
  /** The filter also takes options it does not list (GF_FS_ARG_META "*", e.g. ffmpeg's). */
  anyOption: boolean;
  options: Record<string, OptionMeta>;
  /** The generic options this filter takes (all of them but those its register shadows). */
  generic: Record<string, GenericOptionMeta>;
}

/** OptionMeta as stored in index.json: fields at their empty value (null, [], false) are left out. */
export type StoredOptionMeta = Pick<OptionMeta, 'type' | 'shape'> & Partial<OptionMeta>;

export interface StoredFilterMeta extends Omit<FilterMeta, 'options' | 'generic'> {
  options: Record<string, StoredOptionMeta>;
  /** Generic options this filter does not take (its register has an option of that name, or lists it as
   *  an enumeration value GPAC would read a bare NAME as). */
  genericOmitted?: string[];
}

export interface SchemaIndex {
  $comment: string;
  gpac: string;
  dialect: string;
  /** The generic options, by name (absent from schemas made before they were added). */
  generic?: Record<string, GenericOptionMeta>;
  /** Pattern of `#Name` PID property assignment keys. */
  pidProperties?: string;
  filters: Record<string, StoredFilterMeta>;
}

/** Leaves out the fields of an OptionMeta that are at their empty value (index.json stays small). */
export function compactOptionMeta(m: OptionMeta): StoredOptionMeta {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === null || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as StoredOptionMeta;
}

function expandOptionMeta(m: StoredOptionMeta): OptionMeta {
  return {
    type: m.type,
    shape: m.shape,
    default: m.default ?? null,
    min: m.min ?? null,
    max: m.max ?? null,
    names: m.names ?? null,
    numericNames: m.numericNames ?? [],
    acceptsCode: m.acceptsCode ?? false,
    numberMin: m.numberMin ?? null,
    numberMax: m.numberMax ?? null,
    flags: m.flags ?? [],
  };
}

export interface OptionIssue {
  /** The option at fault; null when the whole object is (not an object, unknown filter). */
  option: string | null;
  /** What would have been accepted, in words. */
  allowed: string;
  /** The value given (as given, before any conversion). */
  received: unknown;
  message: string;
}

/** Thrown for options GPAC would reject or misread. One message line per problem. */
export class FilterOptionsError extends TypeError {
  readonly filter: string;
  readonly issues: readonly OptionIssue[];
  constructor(filter: string, issues: OptionIssue[]) {
    super(issues.map((i) => i.message).join('\n'));
    this.name = 'FilterOptionsError';
    this.filter = filter;
    this.issues = issues;
  }
}

interface SchemaSet {
  dir: string;
  gpac: string;
  filters: Map<string, FilterMeta>;
  /** `#Name` keys (PID property assignments); null when the schemas do not take them. */
  pidProperties: RegExp | null;
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const sets = new Map<string, SchemaSet>();

/** generated/schemas next to the sources (src/ → ../generated) or the build (dist/src/ → ../../generated). */
export function defaultSchemasDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', 'generated', 'schemas'), resolve(here, '..', '..', 'generated', 'schemas')];
  return candidates.find((c) => existsSync(join(c, 'index.json'))) ?? candidates[0]!;
}

function schemaSet(dir: string | undefined): SchemaSet {
  const d = resolve(dir ?? defaultSchemasDir());
  const cached = sets.get(d);
  if (cached) return cached;
  const indexPath = join(d, 'index.json');
  if (!existsSync(indexPath)) {
    throw new Error(`no generated filter schemas: ${indexPath} does not exist (run \`npm run codegen\`)`);
  }
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as SchemaIndex;
  const filters = new Map<string, FilterMeta>();
  for (const [name, f] of Object.entries(index.filters)) {
    const options = Object.create(null) as Record<string, OptionMeta>; // option names are data
    for (const [o, m] of Object.entries(f.options)) options[o] = expandOptionMeta(m);
    const generic = Object.create(null) as Record<string, GenericOptionMeta>;
    const omitted = new Set(f.genericOmitted ?? []);
    for (const [g, m] of Object.entries(index.generic ?? {})) if (!omitted.has(g)) generic[g] = m;
    filters.set(name, { schema: f.schema, flags: f.flags, anyOption: f.anyOption, options, generic });
  }
  const set: SchemaSet = {
    dir: d,
    gpac: index.gpac,
    filters,
    pidProperties: index.pidProperties ? new RegExp(index.pidProperties, 'u') : null,
    ajv: new (AjvClass())({ strict: true, allErrors: true }),
    validators: new Map(),
  };
  sets.set(d, set);
  return set;
}

function validatorFor(set: SchemaSet, filter: string, meta: FilterMeta): ValidateFunction {
  let v = set.validators.get(filter);
  if (!v) {
    const path = join(set.dir, meta.schema);
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path}: cannot read the schema of filter ${filter}: ${(e as Error).message}`);
    }
    v = set.ajv.compile(schema as object);
    set.validators.set(filter, v);
  }
  return v;
}

/** The facts about a filter's options (flags such as "updatable", defaults, ranges), or undefined. */
export function filterOptionInfo(filter: string, schemasDir?: string): FilterMeta | undefined {
  return schemaSet(schemasDir).filters.get(filter);
}

// ---------------------------------------------------------------------------------------------- words

/** A value as shown in messages: strings quoted, bigint with n, objects as JSON (shortened). */
export function formatReceived(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return v.toString();
  let s: string;
  try {
    s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? `Uint8Array(${x.length})` : x));
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function range(min: number | bigint | null, max: number | bigint | null): string {
  if (min !== null && max !== null) return ` between ${min} and ${max}`;
  if (min !== null) return ` ≥ ${min}`;
  if (max !== null) return ` ≤ ${max}`;
  return '';
}

/** C ranges of the integer types; unsigned ones also take -1 (GPAC's "unset" / all bits set). */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  GF_PROP_SINT: [-2147483648n, 2147483647n],
  GF_PROP_UINT: [-1n, 4294967295n],
  GF_PROP_LSINT: [-9223372036854775808n, 9223372036854775807n],
  GF_PROP_LUINT: [-1n, 18446744073709551615n],
};

const NUMBER_STRING_HINT = 'a GPAC number string (e.g. "2k", "0x1F", "T00:01:00", "+I")';

/** What an option accepts, in words. */
export function describeAllowed(meta: OptionMeta): string {
  if (meta.names) return `one of ${meta.names.join(', ')}${meta.acceptsCode ? ' or an integer code' : ''}`;
  const integer = meta.type !== 'GF_PROP_FLOAT' && meta.type !== 'GF_PROP_DOUBLE';
  switch (meta.shape) {
    case 'number':
      return `${integer ? 'an integer' : 'a number'}${range(meta.numberMin, meta.numberMax)} or ${NUMBER_STRING_HINT}`;
    case 'bigint': {
      // The number form stops at 2^53-1; the range shown is the C type's (∩ min/max), reachable with bigint.
      const r = INTEGER_RANGES[meta.type];
      const lo = r && meta.min === null ? r[0] : meta.min;
      const hi = r && meta.max === null ? r[1] : meta.max;
      return `an integer${range(lo, hi)} (as a bigint beyond 2^53-1) or ${NUMBER_STRING_HINT}`;
    }
    case 'boolean':
      return 'a boolean or one of "yes", "no", "true", "false", "1", "0"';
    case 'fraction':
      return `a number${range(meta.min, meta.max)}, a fraction string "num/den" or an object {num, den} of integers`;
    case 'fraction64':
      return `a number${range(meta.min, meta.max)}, a fraction string "num/den" or an object {num, den} of integers or bigints`;
    case 'vec2i':
      return 'an object {x, y} of integers or a string "WxH" (or 360, 480, 576, 720, 1080, 2160, 4320, hd, 2k, 4k, 8k)';
    case 'vec2':
      return 'an object {x, y} of numbers or a string "XxY"';
    case 'vec3i':
      return 'an object {x, y, z} of integers or a string "XxYxZ"';
    case 'vec4i':
      return 'an object {x, y, z, w} of integers or a string "XxYxZxW"';
    case 'string':
      return 'a string';
    case 'bytes':
      return 'a Uint8Array or a GPAC data string (0x…, b64@…, file@…)';
    case 'pointer':
      return 'a non-negative integer, a bigint or a hexadecimal string';
    case 'string-list':
      return 'an array of strings or a comma-separated string';
    case 'uint-list':
      return 'an array of unsigned 32-bit integers or a comma-separated string of them';
    case 'sint-list':
      return 'an array of 32-bit integers or a comma-separated string of them';
    case 'vec2i-list':
      return 'an array of {x, y} integer objects or a string "WxH,WxH,…"';
    case '4cc':
      return 'a 4-character code (e.g. "avc1")';
    case '4cc-list':
      return 'an array of 4-character codes or a comma-separated string of them';
    case 'enum-name':
      return `a name${meta.acceptsCode ? ' or an integer code' : ''}`;
  }
}

/** What a generic option accepts, in words. */
export function describeGenericAllowed(meta: GenericOptionMeta): string {
  switch (meta.syntax) {
    case 'flag':
      return 'true (written as the bare option) or false (left out)';
    case 'switch':
      return 'a boolean';
    case 'optional-value':
      return 'true (the bare option), an array of names or a comma-separated string of them';
    case 'value':
      if (meta.type === 'GF_PROP_UINT') return `a non-negative integer${meta.digitsOnly ? ' (plain decimal: GPAC reads it with atoi, no units)' : ''}`;
      if (meta.type === 'GF_PROP_STRING_LIST') return 'an array of names or a comma-separated string of them (no ":")';
      return 'a string';
  }
}

const PID_PROPERTY_ALLOWED = 'a string (GPAC property syntax), number, bigint or boolean';

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean". */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}

// ------------------------------------------------------------------------------------------ checking

function toHex(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** JSON-able copy for ajv: bigint → number when safe, else a decimal string (pointers: 0x<hex>);
 *  Uint8Array → "0x<hex>". */
function normalize(v: unknown, shape: OptionShape | undefined): unknown {
  if (shape === 'pointer' && (typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0))) {
    return `0x${v.toString(16)}`;
  }
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map((x) => normalize(x, undefined));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = normalize(x, undefined);
    return o;
  }
  return v;
}


/** Checks ajv cannot make: non-finite numbers, the range of plain decimal strings (and of bigint, which
 *  reach here as strings), the value of fractions against the option's min/max. Returns why not, or null. */
function extraCheck(meta: OptionMeta, v: unknown): string | null {
  const check = (x: number): boolean => (meta.min === null || x >= meta.min) && (meta.max === null || x <= meta.max);
  if (typeof v === 'number' && !Number.isFinite(v)) return 'not finite';
  if (meta.shape === 'number' || meta.shape === 'bigint') {
    if (typeof v === 'string' && /^[+-]?[0-9]+$/.test(v)) {
      const r = INTEGER_RANGES[meta.type];
      const b = BigInt(v);
      if (r && (b < r[0] || b > r[1])) return 'out of range';
      if (!check(Number(v))) return 'out of range';
    } else if (typeof v === 'string' && /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(v) && !check(Number(v))) {
      return 'out of range';
    }
  }
  if ((meta.shape === 'fraction' || meta.shape === 'fraction64') && (meta.min !== null || meta.max !== null)) {
    let x: number | null = null;
    if (typeof v === 'object' && v !== null) {
      const f = v as { num: unknown; den: unknown };
      if (Number(f.den) !== 0) x = Number(f.num) / Number(f.den);
    } else if (typeof v === 'string') {
      const m = /^([+-]?[0-9]+)[/-]([+-]?[0-9]+)$/.exec(v);
      if (m) x = Number(m[2]) !== 0 ? Number(m[1]) / Number(m[2]) : null;
      else if (/^[+-]?[0-9]*\.?[0-9]+$/.test(v)) x = Number(v);
    }
    if (x !== null && !check(x)) return 'out of range';
  }
  return null;
}

function firstSegment(instancePath: string): string | null {
  if (!instancePath.startsWith('/')) return null;
  const seg = instancePath.slice(1).split('/')[0]!;
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

interface Checked {
  set: SchemaSet;
  meta: FilterMeta;
  /** Option name → JSON-able value (undefined entries dropped). */
  normalized: Map<string, unknown>;
}

function check(filter: string, options: unknown, schemasDir: string | undefined): Checked {
  const set = schemaSet(schemasDir);
  // Annotated so that TS narrows after a call (never-returning calls only narrow with explicit types).
  const fail: (issues: OptionIssue[]) => never = (issues) => {
    throw new FilterOptionsError(filter, issues);
  };
  const meta = set.filters.get(filter);
  if (!meta) {
    const guess = closest(filter, set.filters.keys());
    fail([
      {
        option: null,
        allowed: 'a filter of this GPAC build',
        received: filter,
        message: `unknown filter ${JSON.stringify(filter)}: GPAC ${set.gpac} has no such filter${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`,
      },
    ]);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail([{ option: null, allowed: 'an object', received: options, message: `${filter}: options must be an object (received ${formatReceived(options)})` }]);
  }
  const given = options as Record<string, unknown>;
  const issues: OptionIssue[] = [];
  const normalized = new Map<string, unknown>();
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined) continue;
    const om = Object.prototype.hasOwnProperty.call(meta.options, k) ? meta.options[k] : undefined;
    if (!om && (Object.prototype.hasOwnProperty.call(meta.generic, k) || set.pidProperties?.test(k))) {
      normalized.set(k, normalize(v, undefined));
      continue;
    }
    if (!om && !meta.anyOption) {
      const guess = closest(k, [...Object.keys(meta.options), ...Object.keys(meta.generic)]);
      issues.push({
        option: k,
        allowed: 'an option of this filter',
        received: v,
        message: `${filter} has no option ${JSON.stringify(k)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`,
      });
      continue;
    }
    normalized.set(k, normalize(v, om?.shape));
  }
  const bad = new Set<string>();
  const validate = validatorFor(set, filter, meta);
  if (!validate(Object.fromEntries(normalized))) {
    for (const e of validate.errors ?? ([] as ErrorObject[])) {
      const name = firstSegment(e.instancePath) ?? (e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : null);
      if (name !== null) bad.add(name);
    }
  }
  for (const [k, v] of normalized) {
    const om = meta.options[k];
    const received = given[k];
    const gm = om ? undefined : meta.generic[k];
    if (gm) {
      const tooBig = gm.type === 'GF_PROP_UINT' && typeof v === 'string' && /^[0-9]+$/.test(v) && BigInt(v) > 4294967295n;
      const why = bad.has(k) ? 'invalid' : tooBig ? 'out of range' : null;
      if (why !== null) {
        const allowed = describeGenericAllowed(gm);
        issues.push({ option: k, allowed, received, message: `${filter}: option ${JSON.stringify(k)} must be ${allowed} (received ${formatReceived(received)})` });
      }
      continue;
    }
    if (!om && set.pidProperties?.test(k)) {
      if (bad.has(k) || (typeof v === 'number' && !Number.isFinite(v))) {
        issues.push({
          option: k,
          allowed: PID_PROPERTY_ALLOWED,
          received,
          message: `${filter}: PID property ${JSON.stringify(k)} must be ${PID_PROPERTY_ALLOWED} (received ${formatReceived(received)})`,
        });
      }
      continue;
    }
    if (!om) {
      // Extra options of meta filters are passed as strings: scalars only.
      if (bad.has(k)) {
        issues.push({
          option: k,
          allowed: 'a string, number or boolean',
          received,
          message: `${filter}: option ${JSON.stringify(k)} must be a string, number or boolean (received ${formatReceived(received)})`,
        });
      }
      continue;
    }
    const why = bad.has(k) ? 'invalid' : extraCheck(om, v);
    if (why !== null) {
      const allowed = describeAllowed(om);
      issues.push({ option: k, allowed, received, message: `${filter}: option ${JSON.stringify(k)} must be ${allowed} (received ${formatReceived(received)})` });
    }
  }
  if (issues.length) fail(issues);
  return { set, meta, normalized };
}

/**
 * Checks `options` for `filter` against its generated schema; throws a FilterOptionsError (a TypeError)
 * listing every problem. `schemasDir` defaults to the package's generated/schemas.
 */
export function validateFilterOptions(filter: string, options: Record<string, unknown>, schemasDir?: string): void {
  check(filter, options, schemasDir);
}

/**
 * Checks GPAC's own string form, `dasher:segdur=2:profile=live`, as validateFilterOptions checks an object
 * (GPAC would otherwise take `segdur=abc` silently, as its default): each `name=value` (a value in GPAC's
 * text syntax) and each bare `name` (true). A filter this build's schemas do not list (a JavaScript filter's
 * path …) is left to GPAC, and so is everything after a `::` escape (opaque values).
 */
export function validateFilterString(description: string, schemasDir?: string): void {
  const cut = description.indexOf('::');
  const [filter, ...tokens] = (cut >= 0 ? description.slice(0, cut) : description).split(':');
  if (!filter || !schemaSet(schemasDir).filters.has(filter)) return;
  const options: Record<string, unknown> = {};
  for (let i = 0; i < tokens.length; i++) {
    let t = tokens[i]!;
    if (!t) continue;
    // A URL's "scheme://" holds a ':' GPAC does not split on.
    while (i + 1 < tokens.length && tokens[i + 1]!.startsWith('//')) t += `:${tokens[++i]!}`;
    const eq = t.indexOf('=');
    options[eq < 0 ? t : t.slice(0, eq)] = eq < 0 ? true : t.slice(eq + 1);
  }
  check(filter, options, schemasDir);
}

// ------------------------------------------------------------------------------------------- writing

function cannot(filter: string, option: string, received: unknown, why: string): never {
  throw new FilterOptionsError(filter, [
    {
      option,
      allowed: 'a value GPAC\'s argument syntax can express',
      received,
      message: `${filter}: option ${JSON.stringify(option)} cannot be written in GPAC's argument syntax: ${why} (received ${formatReceived(received)})`,
    },
  ]);
}

function numberText(v: number, shape: OptionShape | undefined): string {
  if (shape === 'fraction' || shape === 'fraction64') {
    // gf_parse_frac reads integers and plain decimals, not exponents.
    if (Number.isInteger(v)) return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
    const s = String(v);
    return /e/i.test(s) ? `${Math.round(v * 1e9)}/1000000000` : s; // only |v| < 1e-6 reaches the exponent form
  }
  return String(v);
}

function scalarText(v: unknown, shape: OptionShape | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberText(v, shape);
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

/** The GPAC text of one (validated, normalized) value. */
function valueText(filter: string, name: string, v: unknown, shape: OptionShape | undefined, received: unknown): string {
  if (Array.isArray(v)) {
    return v
      .map((item: unknown, i) => {
        if (shape === 'vec2i-list') {
          const p = item as { x: number; y: number };
          return `${p.x}x${p.y}`;
        }
        const t = scalarText(item, undefined);
        if (shape === 'string-list') {
          if (t.startsWith(',')) cannot(filter, name, received, `list item ${i} starts with ','`);
          if (t === '' && i < v.length - 1) cannot(filter, name, received, `list item ${i} is empty`);
          return t.replace(/,/g, ',,');
        }
        if (t.includes(',')) cannot(filter, name, received, `list item ${i} contains ','`);
        return t;
      })
      .join(',');
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (shape === 'fraction' || shape === 'fraction64') return `${scalarText(o.num, undefined)}/${scalarText(o.den, undefined)}`;
    const keys = shape === 'vec4i' ? ['x', 'y', 'z', 'w'] : shape === 'vec3i' ? ['x', 'y', 'z'] : ['x', 'y'];
    return keys.map((k) => scalarText(o[k], undefined)).join('x');
  }
  return scalarText(v, shape);
}

/** A URL whose only ':' is the one of "scheme://", which GPAC's separator search skips. */
const URL_VALUE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^:]*$/;

/** One option in GPAC's argument syntax; text null is the bare option name. */
interface OptionPart {
  name: string;
  text: string | null;
  /** Written `::name=value` (the value holds ':' or '<'). */
  opaque: boolean;
  /** What the caller gave, for error messages. */
  received: unknown;
  /** The filter whose schema the option was checked against. */
  filter: string;
}

function optionParts(filter: string, options: Record<string, unknown>, schemasDir: string | undefined): OptionPart[] {
  const { set, meta, normalized } = check(filter, options, schemasDir);
  const parts: OptionPart[] = [];
  for (const [name, v] of normalized) {
    const gm = meta.options[name] ? undefined : meta.generic[name];
    const received = options[name];
    let text: string | null;
    if (gm && (gm.syntax === 'flag' || gm.syntax === 'switch' || gm.syntax === 'optional-value') && v === true) text = null;
    else if (gm?.syntax === 'flag') continue; // false: left out
    else if (gm?.syntax === 'switch') text = '0'; // false: GPAC reads 0/false/no as off
    else if (gm) text = valueText(filter, name, v, gm.type === 'GF_PROP_STRING_LIST' ? 'string-list' : undefined, received);
    else if (!meta.options[name] && set.pidProperties?.test(name)) {
      if (v === true) text = null;
      else {
        text = valueText(filter, name, v, undefined, received);
        // GPAC's PID property parser (filter_pid.c) does not honour the '::' escape: "x:y" is read as "x".
        // It does skip the "scheme://" of a URL, so those are written as they are.
        if (text.includes(':')) {
          if (!URL_VALUE.test(text)) cannot(filter, name, received, 'GPAC reads a PID property value only up to its first ":" (URLs aside)');
          parts.push({ name, text, opaque: false, received, filter });
          continue;
        }
      }
    } else text = valueText(filter, name, v, meta.options[name]?.shape, received);
    if (text !== null && text.includes('::')) cannot(filter, name, received, 'the value contains "::"');
    parts.push({ name, text, opaque: text !== null && (text.includes(':') || text.includes('<')), received, filter });
  }
  return parts;
}

/** The parts after a filter name or URL, with the separators opaque options need. */
function joinParts(parts: OptionPart[]): string {
  let out = '';
  parts.forEach((p, i) => {
    if (p.opaque && p.text!.endsWith(':') && i < parts.length - 1) {
      cannot(p.filter, p.name, p.received, 'the value ends with ":" and another option follows');
    }
    const prevOpaque = i > 0 && parts[i - 1]!.opaque;
    const sep = prevOpaque ? (p.opaque ? ':::' : '::') : p.opaque ? '::' : ':';
    out += p.text === null ? `${sep}${p.name}` : `${sep}${p.name}=${p.text}`;
  });
  return out;
}

/**
 * Validates `options` (see validateFilterOptions) and writes them in GPAC's argument syntax after the
 * filter name, in the object's key order: `dasher:segdur=2:profile=live`. See the top of this file for
 * how separators inside values are escaped.
 */
export function optionsToGpacString(filter: string, options: Record<string, unknown>, schemasDir?: string): string {
  return filter + joinParts(optionParts(filter, options, schemasDir));
}

/**
 * Options of a source or destination (loadSrc/loadDst): GPAC gives them to the filters it loads for the
 * URL (`-o out.mpd:segdur=2` reaches the dasher), so each must be an option of some filter of this GPAC
 * build, a generic option or a `#Name` PID property, and is checked against the first filter (in name
 * order) that has it and accepts the value. Returns the `:name=value…` text to append to the URL; `what`
 * names the call in errors.
 */
export function urlOptionsToGpacString(what: string, options: Record<string, unknown>, schemasDir?: string): string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new FilterOptionsError(what, [{ option: null, allowed: 'an object', received: options, message: `${what}: options must be an object (received ${formatReceived(options)})` }]);
  }
  const set = schemaSet(schemasDir);
  const parts: OptionPart[] = [];
  const issues: OptionIssue[] = [];
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    const own = (m: FilterMeta) => Object.prototype.hasOwnProperty.call(m.options, k);
    const generic = (m: FilterMeta) => Object.prototype.hasOwnProperty.call(m.generic, k);
    // The filters having the option themselves; a generic option or a #property is the same in every filter,
    // so one that takes it is enough (and spares compiling every filter's schema).
    const homes = [...set.filters.entries()].filter(([, m]) => own(m)).map(([name]) => name).sort();
    if (!homes.length) {
      const one = [...set.filters.entries()].filter(([, m]) => generic(m) || (set.pidProperties?.test(k) ?? false)).map(([name]) => name).sort()[0];
      if (one !== undefined) homes.push(one);
    }
    if (!homes.length) {
      const all = new Set<string>();
      for (const m of set.filters.values()) for (const o of [...Object.keys(m.options), ...Object.keys(m.generic)]) all.add(o);
      const guess = closest(k, all);
      issues.push({
        option: k,
        allowed: 'an option of a filter of this GPAC build',
        received: v,
        message: `${what}: no filter of GPAC ${set.gpac} has an option ${JSON.stringify(k)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`,
      });
      continue;
    }
    let first: FilterOptionsError | undefined;
    let done = false;
    for (const home of homes) {
      try {
        parts.push(...optionParts(home, { [k]: v }, schemasDir));
        done = true;
        break;
      } catch (e) {
        if (!(e instanceof FilterOptionsError)) throw e;
        first ??= e;
      }
    }
    if (!done) {
      const shown = homes.length > 3 ? `${homes.slice(0, 3).join(', ')} …` : homes.join(', ');
      for (const i of first!.issues) issues.push({ ...i, message: `${what}: ${i.message} (option of ${shown})` });
    }
  }
  if (issues.length) throw new FilterOptionsError(what, issues);
  return joinParts(parts);
}

/** Drops the cached schemas and validators (tests; a regenerated generated/). */
export function clearOptionSchemaCache(): void {
  sets.clear();
}
