// IR → generated/schemas/<filter>.schema.json (JSON Schema draft-07, which ajv 8's default class
// compiles; every schema must compile under ajv strict mode) + generated/schemas/index.json, the facts
// the runtime needs beyond the schema (GPAC type, default, range, enumerations, flags of each option)
// to word its errors and to write GPAC's argument string (src/options.ts).
//
// What a schema accepts for each GF_PROP type — a JSON value or GPAC's own string syntax
// (`gpac -h doc`, "Property and filter option format"; src/filter_core/filter_props.c):
//   BOOL          true/false, or "yes" "no" "true" "false" "1" "0"
//   SINT/UINT     integer within the C range ∩ the option's min/max, or a GPAC number string
//                 (decimal/hex, unit k/m/g/s (UINT also sec/min), THH:MM:SS.ms, +I/-I)
//   LSINT/LUINT   as above, number form limited to safe integers (src/options.ts turns a bigint into a
//                 decimal string first, so 64-bit values never pass through a double)
//   FLOAT/DOUBLE  number within min/max, or a GPAC number string
//   FRACTION(64)  number, "num/den" | "num-den" | "num" | time string, or {num, den}
//   VEC2I…VEC4I   {x, y[, z, w]} or "WxH[xD[xE]]" (VEC2I also 720, 1080, hd, 4k…)
//   STRING/NAME   string (GPAC's file@/bxml@ forms included)
//   DATA          string (src/options.ts turns a Uint8Array into "0x<hex>")
//   POINTER       non-negative integer or a hexadecimal string
//   *_LIST        array of items, or GPAC's comma-separated string
//   4CC / 4CC_LIST a 4-character string / an array of them or a comma-separated string
//   UINT with "a|b|c" values   one of the names (names that are integers also as numbers)
//   PIXFMT/PCMFMT/CICP_*       a name (the option's own list and/or the IR's valueNames, else any
//                              non-empty string); CICP also an integer code, as number or string
// Numeric *strings* are only checked for syntax here; src/options.ts also checks plain decimal strings
// against min/max.
// Every schema also takes the generic options the filter session handles for any filter
// (codegen/generic-options.json: FID, SID, TAG, clone, gfreg …, unless the register has an option of
// that name) and `#Name` PID property assignments (patternProperties, any scalar).

import { compactOptionMeta, type GenericOptionMeta, type SchemaIndex, type StoredFilterMeta, type StoredOptionMeta } from '../../src/options.js';
import type { GpacIR, IRFilter } from '../ir-types.js';
import {
  banner,
  checkIR,
  fileSafeName,
  genericOptions,
  genericOptionsFor,
  isAnyOption,
  optionModel,
  stableJson,
  valueNamesOf,
  type EmittedFile,
  type GenericOption,
  type GenericOptions,
  type OptionModel,
} from './common.js';

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
export const schemaId = (filter: string): string => `urn:gpac-ts:filter:${filter}`;

type Schema = Record<string, unknown>;

// Patterns are written for the 'u' flag ajv compiles them with.
const INT_UNITS = '(?:[kKmMgGsS])?';
export const PATTERNS = {
  int: `^(?:[+-]?(?:[0-9]+|0[xX][0-9a-fA-F]+)${INT_UNITS}|[+-]I|[tT][0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2})?(?:\\.[0-9]+)?)$`,
  // GF_PROP_UINT alone also takes the 'sec' and 'min' suffixes.
  uint: `^(?:[+-]?(?:[0-9]+|0[xX][0-9a-fA-F]+)(?:[kKmMgGsS]|sec|min)?|\\+I|[tT][0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2})?(?:\\.[0-9]+)?)$`,
  float: '^(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[kKmMgGsS]?|[+-]I|[tT][0-9:.]+)$',
  fraction: '^(?:[+-]?[0-9]+(?:[/-][+-]?[0-9]+)?|[+-]?[0-9]*\\.[0-9]+|[tT][0-9:.]+)$',
  decimalInt: '^[+-]?[0-9]+$',
  vec2i: '^(?:[+-]?[0-9]+x[+-]?[0-9]+|0|360|480|576|720|1080|2160|4320|[hH][dD]|[248][kK])$',
  vec2: '^(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)x[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)|0)$',
  vec3i: '^(?:[+-]?[0-9]+x[+-]?[0-9]+x[+-]?[0-9]+|0)$',
  vec4i: '^(?:[+-]?[0-9]+x[+-]?[0-9]+x[+-]?[0-9]+x[+-]?[0-9]+|0)$',
  uintList: '^(?:[0-9]+(?:,[0-9]+)*)?$',
  sintList: '^(?:[+-]?[0-9]+(?:,[+-]?[0-9]+)*)?$',
  vec2iList: '^(?:[+-]?[0-9]+x[+-]?[0-9]+(?:,[+-]?[0-9]+x[+-]?[0-9]+)*)?$',
  fourcc: '^[ -~]{4}$',
  pointer: '^(?:0[xX])?[0-9a-fA-F]+$',
  code: '^(?:-1|[0-9]+)$',
} as const;

const BOOL_STRINGS = ['yes', 'no', 'true', 'false', '1', '0'];

function anyOf(branches: Schema[]): Schema {
  return branches.length === 1 ? branches[0]! : { anyOf: branches };
}

function bounded(type: 'integer' | 'number', min: number | null, max: number | null): Schema {
  const s: Schema = { type };
  if (min !== null) s.minimum = min;
  if (max !== null) s.maximum = max;
  return s;
}

const S32 = { min: -2147483648, max: 2147483647 };
const U32 = { min: 0, max: 4294967295 };
const intItem = (r: { min: number; max: number }): Schema => ({ type: 'integer', minimum: r.min, maximum: r.max });
const vecObject = (keys: string[], type: 'integer' | 'number'): Schema => ({
  type: 'object',
  properties: Object.fromEntries(keys.map((k) => [k, type === 'integer' ? intItem(S32) : { type }])),
  required: keys,
  additionalProperties: false,
});
/** CICP types also take the integer code, as a number or a string ("-1" = unset: cicp_parse_int). */
const CODE_BRANCHES: Schema[] = [
  { type: 'integer', minimum: -1, maximum: U32.max },
  { type: 'string', pattern: PATTERNS.code },
];
const safeIntOrDecimal = (min: number, max: number): Schema =>
  anyOf([{ type: 'integer', minimum: min, maximum: max }, { type: 'string', pattern: PATTERNS.decimalInt }]);

/** The schema of one option value (see the table at the top of this file). */
export function optionSchema(m: OptionModel): Schema {
  if (m.names) {
    const branches: Schema[] = [{ type: 'string', enum: m.names }];
    if (m.numericNames.length) branches.push({ type: 'integer', enum: m.numericNames });
    if (m.acceptsCode) branches.push(...CODE_BRANCHES);
    return anyOf(branches);
  }
  switch (m.shape) {
    case 'number': {
      const integer = m.type !== 'GF_PROP_FLOAT' && m.type !== 'GF_PROP_DOUBLE';
      const pattern = integer ? (m.type === 'GF_PROP_UINT' ? PATTERNS.uint : PATTERNS.int) : PATTERNS.float;
      return anyOf([bounded(integer ? 'integer' : 'number', m.min, m.max), { type: 'string', pattern }]);
    }
    case 'bigint':
      return anyOf([bounded('integer', m.min, m.max), { type: 'string', pattern: PATTERNS.int }]);
    case 'boolean':
      return anyOf([{ type: 'boolean' }, { type: 'string', enum: BOOL_STRINGS }]);
    case 'fraction':
      return anyOf([
        bounded('number', m.min, m.max),
        { type: 'string', pattern: PATTERNS.fraction },
        {
          type: 'object',
          properties: { num: intItem(S32), den: { type: 'integer', minimum: S32.min, maximum: U32.max } },
          required: ['num', 'den'],
          additionalProperties: false,
        },
      ]);
    case 'fraction64': {
      const safe = Number.MAX_SAFE_INTEGER;
      return anyOf([
        bounded('number', m.min, m.max),
        { type: 'string', pattern: PATTERNS.fraction },
        {
          type: 'object',
          properties: { num: safeIntOrDecimal(-safe, safe), den: safeIntOrDecimal(-safe, safe) },
          required: ['num', 'den'],
          additionalProperties: false,
        },
      ]);
    }
    case 'vec2i':
      return anyOf([vecObject(['x', 'y'], 'integer'), { type: 'string', pattern: PATTERNS.vec2i }]);
    case 'vec2':
      return anyOf([vecObject(['x', 'y'], 'number'), { type: 'string', pattern: PATTERNS.vec2 }]);
    case 'vec3i':
      return anyOf([vecObject(['x', 'y', 'z'], 'integer'), { type: 'string', pattern: PATTERNS.vec3i }]);
    case 'vec4i':
      return anyOf([vecObject(['x', 'y', 'z', 'w'], 'integer'), { type: 'string', pattern: PATTERNS.vec4i }]);
    case 'string':
    case 'bytes':
      return { type: 'string' };
    case 'pointer':
      return anyOf([{ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, { type: 'string', pattern: PATTERNS.pointer }]);
    case 'string-list':
      return anyOf([{ type: 'array', items: { type: 'string' } }, { type: 'string' }]);
    case 'uint-list':
      return anyOf([{ type: 'array', items: intItem(U32) }, { type: 'string', pattern: PATTERNS.uintList }]);
    case 'sint-list':
      return anyOf([{ type: 'array', items: intItem(S32) }, { type: 'string', pattern: PATTERNS.sintList }]);
    case 'vec2i-list':
      return anyOf([{ type: 'array', items: vecObject(['x', 'y'], 'integer') }, { type: 'string', pattern: PATTERNS.vec2iList }]);
    case '4cc':
      return { type: 'string', pattern: PATTERNS.fourcc };
    case '4cc-list':
      return anyOf([{ type: 'array', items: { type: 'string', pattern: PATTERNS.fourcc } }, { type: 'string' }]);
    case 'enum-name':
      return anyOf([{ type: 'string', minLength: 1 }, ...(m.acceptsCode ? [CODE_BRANCHES[0]!] : [])]);
  }
}

/** The schema of a generic option (codegen/generic-options.json), by its syntax and type. */
export function genericOptionSchema(g: GenericOption): Schema {
  if (g.syntax === 'flag' || g.syntax === 'switch') return { type: 'boolean' };
  if (g.type === 'GF_PROP_UINT') {
    // atoi(): units and other number forms would be misread, so plain decimal only.
    return g.digitsOnly
      ? anyOf([{ type: 'integer', minimum: 0, maximum: U32.max }, { type: 'string', pattern: '^[0-9]+$' }])
      : anyOf([{ type: 'integer', minimum: 0, maximum: U32.max }, { type: 'string', pattern: PATTERNS.uint }]);
  }
  const branches: Schema[] =
    g.type === 'GF_PROP_STRING_LIST'
      ? // plain comma-separated names (gfreg is read with strstr, ccp as a list): no ',' or ':' inside an item
        [{ type: 'array', items: { type: 'string', pattern: '^[^,:]+$' } }, { type: 'string', pattern: '^[^:]*$' }]
      : [{ type: 'string' }];
  if (g.syntax === 'optional-value') branches.unshift({ const: true });
  return anyOf(branches);
}

/** PID property assignments `#Name=value`: any scalar, in GPAC's syntax when a string. */
const PID_PROPERTY_VALUE: Schema = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };

function genericMeta(g: GenericOption): GenericOptionMeta {
  return { type: g.type, syntax: g.syntax, ...(g.digitsOnly ? { digitsOnly: true } : {}) };
}

function filterSchema(ir: GpacIR, f: IRFilter, head: string, generic: GenericOptions): { schema: Schema; meta: StoredFilterMeta } {
  const names = valueNamesOf(ir);
  // Null-prototype maps: option names are data, whatever they are.
  const properties = Object.create(null) as Record<string, Schema>;
  const options = Object.create(null) as Record<string, StoredOptionMeta>;
  let anyOption = false;
  for (const o of f.options) {
    if (Object.prototype.hasOwnProperty.call(properties, o.name)) throw new Error(`filter ${f.name}: option ${o.name} is listed twice`);
    if (isAnyOption(o)) {
      anyOption = true;
      continue;
    }
    const m = optionModel(f, o, names);
    const s = optionSchema(m);
    properties[o.name] = o.description !== undefined ? { description: o.description, ...s } : s;
    options[o.name] = compactOptionMeta({
      type: m.type,
      shape: m.shape,
      default: m.default,
      min: o.min,
      max: o.max,
      names: m.names,
      numericNames: m.numericNames,
      acceptsCode: m.acceptsCode,
      numberMin: m.min,
      numberMax: m.max,
      flags: m.flags,
    });
  }
  // Options the session handles for every filter (those the register does not shadow), after the register's.
  const offered = genericOptionsFor(f, generic);
  for (const g of offered) properties[g.name] = genericOptionSchema(g);
  const omitted = generic.options.filter((g) => !offered.includes(g)).map((g) => g.name);
  const schema: Schema = {
    $schema: SCHEMA_DIALECT,
    $id: schemaId(f.name),
    $comment: head,
    title: f.name,
    ...(f.description !== undefined ? { description: f.description } : {}),
    type: 'object',
    properties,
    patternProperties: { [generic.pidProperties.pattern]: PID_PROPERTY_VALUE },
    // Filters wrapping another library (ffmpeg: option "*") take any further option, as a scalar.
    additionalProperties: anyOption ? { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } : false,
  };
  return {
    schema,
    meta: {
      schema: `${fileSafeName(f.name)}.schema.json`,
      flags: [...f.flags],
      anyOption,
      options,
      ...(omitted.length ? { genericOmitted: omitted } : {}),
    },
  };
}

/** One schema per filter plus generated/schemas/index.json. */
export function emitSchemas(ir: GpacIR): EmittedFile[] {
  checkIR(ir);
  const head = banner('schemas', 'json', ir.gpac.version);
  const out: EmittedFile[] = [];
  const generic = genericOptions();
  const index: SchemaIndex = {
    $comment: head,
    gpac: ir.gpac.version,
    dialect: SCHEMA_DIALECT,
    generic: Object.fromEntries(generic.options.map((g) => [g.name, genericMeta(g)])),
    pidProperties: generic.pidProperties.pattern,
    filters: Object.create(null) as SchemaIndex['filters'],
  };
  for (const f of ir.filters) {
    if (Object.prototype.hasOwnProperty.call(index.filters, f.name)) throw new Error(`filter ${f.name} is listed twice in the IR`);
    const { schema, meta } = filterSchema(ir, f, head, generic);
    index.filters[f.name] = meta;
    out.push({ path: `generated/schemas/${meta.schema}`, content: stableJson(schema) });
  }
  out.push({ path: 'generated/schemas/index.json', content: stableJson(index) });
  return out;
}
