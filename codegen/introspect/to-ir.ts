// The probe's numbers → the IR's names: GF_PropType names, GF_FS_REG_* flag names, IROption flag
// booleans, 4CC strings; then sorting. Pure, so it is unit-tested without GPAC.
import type { IRFilter, IROption, IRProperty, IRValueName } from '../ir-types.js';
import { parseMinMaxEnum } from './min-max-enum.js';
import type { EnumTable, ProbeArg, ProbeFilter, ProbeOutput, ProbeProperty, ProbeValueName } from './probe-output.js';

// Bounds and markers of GF_PropType (GF_PROP_FIRST_ENUM = GF_PROP_PIXFMT, GF_PROP_LAST_DEFINED): a value
// they share with a real type is named after the type.
const PROP_TYPE_SENTINEL = /^GF_PROP_(FIRST|LAST)_/;

/** value → GF_PropType name, from the header's own member list. */
export function propTypeNames(table: EnumTable): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, value] of table) {
    const had = names.get(value);
    if (had === undefined || (PROP_TYPE_SENTINEL.test(had) && !PROP_TYPE_SENTINEL.test(name))) names.set(value, name);
  }
  return names;
}

/** The GF_PropType name of a value; values the header does not name become "GF_PROP_<n>" so nothing is lost. */
export function propTypeName(names: Map<number, string>, value: number): string {
  return names.get(value) ?? `GF_PROP_${value}`;
}

function isSingleBit(v: number): boolean {
  return v > 0 && v <= 0x80000000 && (v & (v - 1)) === 0;
}

/** Names of the single-bit members set in `flags`, sorted; bits the header does not name become "<prefix>0x<bit>". */
export function flagNames(table: EnumTable, flags: number, unknownPrefix: string): string[] {
  const names: string[] = [];
  let rest = flags >>> 0;
  const seen = new Set<number>();
  for (const [name, value] of table) {
    if (!isSingleBit(value) || seen.has(value)) continue;
    seen.add(value);
    if ((rest & value) >>> 0 !== 0) {
      names.push(name);
      rest = (rest & ~value) >>> 0;
    }
  }
  for (let bit = 1; rest !== 0; bit = (bit * 2) >>> 0) {
    if ((rest & bit) >>> 0 !== 0) {
      names.push(`${unknownPrefix}0x${bit.toString(16)}`);
      rest = (rest & ~bit) >>> 0;
    }
    if (bit === 0x80000000) break;
  }
  return names.sort(byCodeUnits);
}

/** GF_FSArgumentFlags bits → IROption.flags; a member the header lacks reads as false. */
export function optionFlags(table: EnumTable, flags: number): IROption['flags'] {
  const values = new Map(table);
  const has = (name: string): boolean => {
    const v = values.get(name);
    return v !== undefined && v !== 0 && (flags & v) !== 0;
  };
  return {
    advanced: has('GF_FS_ARG_HINT_ADVANCED'),
    expert: has('GF_FS_ARG_HINT_EXPERT'),
    hidden: has('GF_FS_ARG_HINT_HIDE'),
    updatable: has('GF_FS_ARG_UPDATE'),
    updateSync: has('GF_FS_ARG_UPDATE_SYNC'),
    meta: has('GF_FS_ARG_META'),
    sinkAlias: has('GF_FS_ARG_SINK_ALIAS'),
  };
}

/** A 4CC code as its four characters, most significant byte first (as gf_4cc_to_str). Throws on a
 *  byte that is not printable ASCII, since the IR's fourcc must be a readable 4-character string. */
export function fourccString(code: number): string {
  let s = '';
  for (const shift of [24, 16, 8, 0]) {
    const b = (code >>> shift) & 0xff;
    if (b < 0x20 || b > 0x7e) throw new Error(`4CC 0x${(code >>> 0).toString(16)} has a non-printable byte 0x${b.toString(16)}`);
    s += String.fromCharCode(b);
  }
  return s;
}

/** Code-unit order: deterministic whatever the locale of the machine that generates. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return byCodeUnits(a.name, b.name);
}

/** An option whose min_max_enum is neither "a|b" nor a range (the IR keeps it raw only). */
export interface Unrecognized {
  filter: string;
  option: string;
  minMaxEnum: string;
}

function toOption(a: ProbeArg, types: Map<number, string>, argFlags: EnumTable, withDocs: boolean): IROption {
  const mme = parseMinMaxEnum(a.minMaxEnum);
  const opt: IROption = {
    name: a.name,
    type: propTypeName(types, a.type),
    default: a.default,
    min: mme.min,
    max: mme.max,
    values: mme.values,
    minMaxEnum: a.minMaxEnum,
    flags: optionFlags(argFlags, a.flags),
  };
  if (withDocs && typeof a.description === 'string') opt.description = a.description;
  return opt;
}

function toFilter(f: ProbeFilter, probe: ProbeOutput, types: Map<number, string>, withDocs: boolean): IRFilter {
  const filter: IRFilter = {
    name: f.name,
    flags: flagNames(probe.enums.GF_FSRegisterFlags, f.flags, 'GF_FS_REG_'),
    options: f.args.map((a) => toOption(a, types, probe.enums.GF_FSArgumentFlags, withDocs)).sort(byName),
  };
  if (withDocs && typeof f.description === 'string') filter.description = f.description;
  return filter;
}

function toProperty(p: ProbeProperty, probe: ProbeOutput, types: Map<number, string>, withDocs: boolean): IRProperty {
  const pck = probe.propFlags.GF_PROP_FLAG_PCK;
  const rem = probe.propFlags.GF_PROP_FLAG_GSF_REM;
  const prop: IRProperty = {
    name: p.name,
    fourcc: fourccString(p.code),
    code: p.code >>> 0,
    constant: null, // filled by the generator from the parsed header constants
    type: propTypeName(types, p.type),
    flags: {
      packet: pck !== undefined && (p.flags & pck) !== 0,
      gsfRemovable: rem !== undefined && (p.flags & rem) !== 0,
    },
  };
  if (withDocs && typeof p.description === 'string') prop.description = p.description;
  return prop;
}

/** One value-name list of the probe, in IR order: by value, the value's own name first, then by name. */
export function valueNameList(list: ProbeValueName[], withDocs: boolean): IRValueName[] {
  const seen = new Set<string>();
  const out = list.map(([value, name, own, description]) => {
    if (seen.has(name)) throw new Error(`value name ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    const e: IRValueName = { value, name };
    if (!own) e.alias = true;
    if (withDocs && description !== undefined) e.description = description;
    return e;
  });
  const own = new Set<number>();
  for (const e of out) {
    if (e.alias) continue;
    if (own.has(e.value)) throw new Error(`value ${e.value} has two own names`);
    own.add(e.value);
  }
  return out.sort((a, b) => a.value - b.value || Number(a.alias === true) - Number(b.alias === true) || byCodeUnits(a.name, b.name));
}

/** The probe's value names keyed as the IR keys them ('CodecID', 'GF_PROP_PIXFMT', …, 'StreamType'), keys sorted. */
export function valueNamesToIR(probe: ProbeOutput, types: Map<number, string>, withDocs: boolean): Record<string, IRValueName[]> {
  const tables: [string, ProbeValueName[]][] = [
    ['StreamType', probe.valueNames.StreamType],
    ['CodecID', probe.valueNames.CodecID],
    ...probe.valueNames.enumTypes.map((e): [string, ProbeValueName[]] => [propTypeName(types, e.type), e.names]),
  ];
  const out: Record<string, IRValueName[]> = {};
  for (const [key, list] of tables.sort((a, b) => byCodeUnits(a[0], b[0]))) {
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new Error(`value names of ${key} are listed twice`);
    try {
      out[key] = valueNameList(list, withDocs);
    } catch (e) {
      throw new Error(`value names of ${key}: ${(e as Error).message}`);
    }
  }
  return out;
}

export interface IntrospectResult {
  version: string;
  abi: { major: number; minor: number; micro: number };
  filters: IRFilter[];
  properties: IRProperty[];
  /** See GpacIR.valueNames. */
  valueNames: Record<string, IRValueName[]>;
  /** Facts the IR could not hold as read (shipped scripts that did not load, unreadable min_max_enum). */
  warnings: string[];
}

export interface ToIROptions {
  withDocs: boolean;
  /** Keep the per-codec/per-format registers meta filters add ("ffdec:h264", "ffmx:matroska"). */
  subFilters: boolean;
}

/** A register a meta filter adds for one of its codecs/formats: GPAC names them "<filter>:<codec>". */
export function isSubFilter(name: string): boolean {
  return name.includes(':');
}

/** The IR parts of a checked probe document, every array sorted by name. */
export function probeToResult(probe: ProbeOutput, opts: ToIROptions): IntrospectResult {
  const types = propTypeNames(probe.enums.GF_PropType);
  const kept = probe.filters.filter((f) => opts.subFilters || !isSubFilter(f.name));
  const warnings = [
    ...(probe.scriptsDir === null ? ['GPAC knows no share directory: its JavaScript filters (scripts/jsf) are not listed'] : []),
    ...probe.scriptsFailed.map(([path, error]) => `JavaScript filter ${path} did not load (${error}): not listed`),
    ...unrecognizedMinMaxEnums(kept).map(
      (u) => `${u.filter}.${u.option}: min_max_enum ${JSON.stringify(u.minMaxEnum)} is neither "a|b|..." nor a range: kept raw only`,
    ),
  ];
  return {
    version: probe.version,
    abi: { ...probe.abi },
    filters: kept.map((f) => toFilter(f, probe, types, opts.withDocs)).sort(byName),
    // a name can be both a PID and a packet property with two 4CCs (ContentLightLevel: CLLI, CLLP): code breaks the tie
    properties: probe.properties
      .map((p) => toProperty(p, probe, types, opts.withDocs))
      .sort((a, b) => byName(a, b) || a.code - b.code),
    valueNames: valueNamesToIR(probe, types, opts.withDocs),
    warnings,
  };
}

/** Options whose min_max_enum the parser could not read (they keep only minMaxEnum). */
export function unrecognizedMinMaxEnums(filters: ProbeFilter[]): Unrecognized[] {
  const out: Unrecognized[] = [];
  for (const f of filters) {
    for (const a of f.args) {
      if (!parseMinMaxEnum(a.minMaxEnum).recognized) out.push({ filter: f.name, option: a.name, minMaxEnum: a.minMaxEnum ?? '' });
    }
  }
  return out;
}
