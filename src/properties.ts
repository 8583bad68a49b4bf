// PID and packet property values as JavaScript sees them, and their GPAC text form.
//
// GPAC → JS (native/src/props.cc): 32-bit integers are numbers, 64-bit integers bigints (no precision
// loss), fractions {num, den} (64-bit: bigints), vectors {x, y[, z, w]}, data a Uint8Array copy, lists
// arrays; 4CCs, enum types (pixel/audio formats, CICP …), StreamType and CodecID are names, as in
// libgpac.py (a value whose name does not parse back to it stays a number).
//
// JS → GPAC goes through GPAC's own property syntax, which is what a source's `:#Name=value` fragment and
// a filter option take: formatPropertyValue() writes it, propertyFragment() makes the `#Name=…` argument
// (user-defined properties carry their type, `#Name=type@value`).
import { call } from './errors.js';
import { native } from './native.js';

import type { PropertyInputTypes, PropertyName, PropertyValueTypes } from '../generated/property-table.js';
import type { Fraction, Fraction64, Fraction64Input, Vec2, Vec3, Vec4 } from '../generated/value-types.js';

export type { Fraction, Fraction64, Fraction64Input, Vec2, Vec3, Vec4 };

export type PropertyValue =
  | number
  | bigint
  | boolean
  | string
  | Fraction
  | Fraction64
  | Vec2
  | Vec3
  | Vec4
  | Uint8Array
  | string[]
  | number[]
  | Vec2[];

/**
 * The value of property `K` as read: the generated type of a built-in property (PropertyValueTypes), any
 * PropertyValue for a user-defined name or a 4CC code.
 */
export type PropertyOf<K extends string | number> = K extends PropertyName ? PropertyValueTypes[K] : PropertyValue;

/** What a property value may be written as: a PropertyValue, lists also readonly. */
export type PropertyInput = PropertyValue | Fraction64Input | readonly string[] | readonly number[] | readonly Vec2[];

/** What property `K` may be written as: PropertyInputTypes for a built-in property, else any PropertyInput. */
export type PropertyInputOf<K extends string | number> = K extends PropertyName ? PropertyInputTypes[K] : PropertyInput;

/**
 * Every property of a PID or packet by name: built-in ones typed as PropertyValueTypes says, user-defined
 * ones PropertyValue.
 */
export type PropertyMap = { [K in PropertyName]?: PropertyValueTypes[K] } & { [name: string]: PropertyValue | undefined };

/** GPAC's short names of property types (gf_props_get_type_name / gf_props_parse_type). */
export type PropertyType =
  | 'sint'
  | 'uint'
  | 'lsint'
  | 'luint'
  | 'bool'
  | 'frac'
  | 'lfrac'
  | 'flt'
  | 'dbl'
  | 'v2di'
  | 'v2d'
  | 'v3di'
  | 'v4di'
  | 'str'
  | 'mem'
  | 'strl'
  | 'uintl'
  | 'sintl'
  | 'v2il'
  | '4cc'
  | '4ccl'
  | 'pfmt'
  | 'afmt'
  | 'cprm'
  | 'ctfc'
  | 'cmxc'
  | 'alay';

export const ENUM_PROPERTY_TYPES: readonly PropertyType[] = ['pfmt', 'afmt', 'cprm', 'ctfc', 'cmxc', 'alay'];

export interface PropertyInfo {
  /** The built-in property's 4CC code. */
  code: number;
  /** Its name, e.g. 'StreamType'. */
  name: string;
  type: PropertyType;
}

/** A built-in property by name or 4CC, or undefined for a user-defined name. */
export function builtinProperty(name: string): PropertyInfo | undefined {
  return (call(() => native().propertyInfo(name)) as PropertyInfo | null) ?? undefined;
}

class PropertyTextError extends TypeError {}

function fail(type: string, what: string, value: unknown): never {
  throw new PropertyTextError(`property of type ${type}: expected ${what}, received ${describe(value)}`);
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

function int(type: string, v: unknown, lo: number, hi: number): string {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(type, `an integer in [${lo}, ${hi}]`, v);
  return String(v);
}

function int64(type: string, v: unknown, lo: bigint, hi: bigint): string {
  const b = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (b === undefined || b < lo || b > hi) fail(type, `a bigint (or safe integer) in [${lo}, ${hi}]`, v);
  return b.toString();
}

function num(type: string, v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(type, 'a finite number', v);
  return String(v);
}

/** Text without GPAC's argument separators, which would end the value early. */
function plain(type: string, s: unknown, extra = ''): string {
  if (typeof s !== 'string') fail(type, 'a string', s);
  const bad = [':', ...extra].find((c) => s.includes(c));
  if (bad !== undefined) fail(type, `a string without '${bad}' (GPAC's argument separator)`, s);
  return s;
}

function obj(type: string, v: unknown, keys: string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || keys.some((k) => !(k in (v as object)))) fail(type, `an object {${keys.join(', ')}}`, v);
  return v as Record<string, unknown>;
}

function list(type: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(type, 'an array', v);
  return v;
}

const S32: [number, number] = [-2147483648, 2147483647];
const U32: [number, number] = [0, 4294967295];

/** A value in GPAC's property text syntax for `type` (what gf_props_parse_value reads). */
export function formatPropertyValue(value: unknown, type: PropertyType): string {
  switch (type) {
    case 'sint':
      return int(type, value, ...S32);
    case 'uint':
      return int(type, value, ...U32);
    case 'lsint':
      return int64(type, value, -(2n ** 63n), 2n ** 63n - 1n);
    case 'luint':
      return int64(type, value, 0n, 2n ** 64n - 1n);
    case 'bool':
      if (typeof value !== 'boolean') fail(type, 'a boolean', value);
      return value ? 'true' : 'false';
    case 'frac': {
      const f = obj(type, value, ['num', 'den']);
      return `${int(type, f.num, ...S32)}/${int(type, f.den, ...U32)}`;
    }
    case 'lfrac': {
      const f = obj(type, value, ['num', 'den']);
      return `${int64(type, f.num, -(2n ** 63n), 2n ** 63n - 1n)}/${int64(type, f.den, 0n, 2n ** 64n - 1n)}`;
    }
    case 'flt':
    case 'dbl':
      return num(type, value);
    case 'v2di': {
      const v = obj(type, value, ['x', 'y']);
      return `${int(type, v.x, ...S32)}x${int(type, v.y, ...S32)}`;
    }
    case 'v2d': {
      const v = obj(type, value, ['x', 'y']);
      return `${num(type, v.x)}x${num(type, v.y)}`;
    }
    case 'v3di': {
      const v = obj(type, value, ['x', 'y', 'z']);
      return [v.x, v.y, v.z].map((c) => int(type, c, ...S32)).join('x');
    }
    case 'v4di': {
      const v = obj(type, value, ['x', 'y', 'z', 'w']);
      return [v.x, v.y, v.z, v.w].map((c) => int(type, c, ...S32)).join('x');
    }
    case 'str':
      return plain(type, value);
    case 'mem':
      if (!(value instanceof Uint8Array)) fail(type, 'a Uint8Array', value);
      if (value.length === 0) fail(type, 'a non-empty Uint8Array (GPAC refuses empty data)', value);
      return '0x' + Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
    case 'strl':
      return list(type, value)
        .map((s) => plain(type, s, ','))
        .join(',');
    case 'uintl':
      return list(type, value)
        .map((n) => int(type, n, ...U32))
        .join(',');
    case 'sintl':
      return list(type, value)
        .map((n) => int(type, n, ...S32))
        .join(',');
    case 'v2il':
      return list(type, value)
        .map((p) => formatPropertyValue(p, 'v2di'))
        .join(',');
    case '4cc':
      if (typeof value !== 'string' || value.length !== 4) fail(type, 'a four-character string', value);
      return plain(type, value);
    case '4ccl':
      return list(type, value)
        .map((s) => formatPropertyValue(s, '4cc'))
        .join(',');
    case 'pfmt':
    case 'afmt':
    case 'cprm':
    case 'ctfc':
    case 'cmxc':
    case 'alay':
      if (typeof value === 'number') return int(type, value, ...U32);
      return plain(type, value);
    default:
      throw new PropertyTextError(`unknown property type ${JSON.stringify(type)}`);
  }
}

/** The type a JS value gets as a user-defined property when none is given. */
export function inferPropertyType(value: unknown): PropertyType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'bigint') return value < 0n ? 'lsint' : 'luint';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'dbl';
    if (value >= S32[0] && value <= S32[1]) return 'sint';
    if (value >= 0 && value <= U32[1]) return 'uint';
    return 'lsint';
  }
  if (value instanceof Uint8Array) return 'mem';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return 'strl';
    if (value.every((v) => typeof v === 'number')) return value.every((v) => v >= 0) ? 'uintl' : 'sintl';
    return 'v2il';
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('num' in o && 'den' in o) return typeof o.num === 'bigint' || typeof o.den === 'bigint' ? 'lfrac' : 'frac';
    if ('w' in o) return 'v4di';
    if ('z' in o) return 'v3di';
    if ('x' in o && 'y' in o) return Number.isInteger(o.x) && Number.isInteger(o.y) ? 'v2di' : 'v2d';
  }
  throw new PropertyTextError(`cannot tell the property type of ${describe(value)}; give it explicitly`);
}

/**
 * A `#Name=value` argument that sets a property on the PIDs a source emits (append it to the source URL:
 * `fs.loadSrc('in.mp4:' + propertyFragment('Foo', 3))`). Built-in properties use their own type;
 * user-defined ones are written `#Name=type@value`, with `type` given or inferred from the value.
 */
export function propertyFragment(name: string, value: unknown, type?: PropertyType): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new PropertyTextError(`property name ${JSON.stringify(name)}: use letters, digits, '_', '.', '-'`);
  const builtin = builtinProperty(name);
  if (builtin) {
    if (type !== undefined && type !== builtin.type)
      throw new PropertyTextError(`property ${name} is built in with type ${builtin.type}, not ${type}`);
    // GPAC's fragment parser takes names for these two (gf_stream_type_by_name, gf_codecid_parse).
    if (typeof value === 'string' && (builtin.name === 'StreamType' || builtin.name === 'CodecID'))
      return `#${builtin.name}=${plain(builtin.type, value)}`;
    return `#${builtin.name}=${formatPropertyValue(value, builtin.type)}`;
  }
  const t = type ?? inferPropertyType(value);
  if (t === 'mem' || t === 'strl' || t === 'uintl' || t === 'sintl' || t === 'v2il' || t === '4ccl')
    throw new PropertyTextError(
      `user-defined property ${name} of type ${t}: GPAC drops user-defined data and list properties given in text ` +
        '(the parsed value is released before it is set); use a built-in property of that type',
    );
  // An untyped user-defined value is a string; with "str@" GPAC would release the copy it just made.
  if (t === 'str') {
    const text = formatPropertyValue(value, t);
    if (text.includes('@')) throw new PropertyTextError(`user-defined string property ${name}: '@' would be read as a type prefix`);
    return `#${name}=${text}`;
  }
  return `#${name}=${t}@${formatPropertyValue(value, t)}`;
}
