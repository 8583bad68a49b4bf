// The JSON document gpac_introspect.c prints, and a strict shape check: a probe from another version
// of this file, or one cut short, must be refused whole rather than turned into a partial IR.

export type EnumTable = [name: string, value: number][];

export interface ProbeArg {
  name: string;
  type: number;
  typeName: string | null;
  default: string | null;
  minMaxEnum: string | null;
  flags: number;
  description?: string | null;
}

export interface ProbeFilter {
  name: string;
  flags: number;
  /** A JavaScript filter of <share>/scripts/jsf, listed by loading it (not a register). */
  script: boolean;
  description?: string | null;
  args: ProbeArg[];
}

export interface ProbeProperty {
  code: number;
  name: string;
  type: number;
  typeName: string | null;
  flags: number;
  description?: string | null;
}

/** [value, name, own (1: the name libgpac gives the value, 0: an alias its parser takes), description?] */
export type ProbeValueName = [value: number, name: string, own: 0 | 1, description?: string];

export interface ProbeValueNames {
  StreamType: ProbeValueName[];
  CodecID: ProbeValueName[];
  /** One list per GF_PropType value that is an enum type (gf_props_type_is_enum). */
  enumTypes: { type: number; names: ProbeValueName[] }[];
}

export interface ProbeOutput {
  version: string;
  abi: { major: number; minor: number; micro: number };
  /** The build has descriptions and --docs was given. */
  docs: boolean;
  enums: { GF_PropType: EnumTable; GF_FSRegisterFlags: EnumTable; GF_FSArgumentFlags: EnumTable };
  /** GF_PROP_FLAG_* macro values, for those the header defines. */
  propFlags: Record<string, number>;
  filters: ProbeFilter[];
  /** <share>/scripts/jsf/ where the shipped JavaScript filters were looked for; null if GPAC knows no share directory. */
  scriptsDir: string | null;
  /** [path, error] of shipped JavaScript filters that did not load. */
  scriptsFailed: [path: string, error: string][];
  properties: ProbeProperty[];
  valueNames: ProbeValueNames;
}

export class ProbeShapeError extends Error {}

type Obj = Record<string, unknown>;

function fail(path: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
  throw new ProbeShapeError(`${path}: expected ${expected}, got ${shown}`);
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Obj;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v;
}

function strOrNull(v: unknown, path: string): string | null {
  if (v !== null && typeof v !== 'string') fail(path, 'a string or null', v);
  return v;
}

function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(path, 'an integer', v);
  return v;
}

function enumTable(v: unknown, path: string): EnumTable {
  return arr(v, path).map((e, i) => {
    const pair = arr(e, `${path}[${i}]`);
    if (pair.length !== 2) fail(`${path}[${i}]`, '[name, value]', e);
    return [str(pair[0], `${path}[${i}][0]`), int(pair[1], `${path}[${i}][1]`)];
  });
}

function scriptFlag(v: unknown, path: string): boolean {
  if (v === undefined) return false;
  if (v !== true) fail(path, 'true or absent', v);
  return true;
}

function optDescription(o: Obj, path: string): { description?: string | null } {
  return 'description' in o ? { description: strOrNull(o.description, `${path}.description`) } : {};
}

function valueNameList(v: unknown, path: string): ProbeValueName[] {
  return arr(v, path).map((e, i) => {
    const p = `${path}[${i}]`;
    const t = arr(e, p);
    if (t.length !== 3 && t.length !== 4) fail(p, '[value, name, own, description?]', e);
    const value = int(t[0], `${p}[0]`);
    if (value < 0 || value > 0xffffffff) fail(`${p}[0]`, 'a u32', t[0]);
    const own = t[2];
    if (own !== 0 && own !== 1) fail(`${p}[2]`, '0 or 1', own);
    const entry: ProbeValueName = [value, str(t[1], `${p}[1]`), own];
    if (t.length === 4) entry.push(str(t[3], `${p}[3]`));
    return entry;
  });
}

function valueNames(v: unknown, path: string): ProbeValueNames {
  const o = obj(v, path);
  return {
    StreamType: valueNameList(o.StreamType, `${path}.StreamType`),
    CodecID: valueNameList(o.CodecID, `${path}.CodecID`),
    enumTypes: arr(o.enumTypes, `${path}.enumTypes`).map((e, i) => {
      const p = `${path}.enumTypes[${i}]`;
      const eo = obj(e, p);
      return { type: int(eo.type, `${p}.type`), names: valueNameList(eo.names, `${p}.names`) };
    }),
  };
}

/** The probe's document, checked field by field; throws ProbeShapeError naming the first bad path. */
export function checkProbeOutput(json: unknown): ProbeOutput {
  const root = obj(json, '$');
  const abi = obj(root.abi, '$.abi');
  const enums = obj(root.enums, '$.enums');
  if (typeof root.docs !== 'boolean') fail('$.docs', 'a boolean', root.docs);
  return {
    version: str(root.version, '$.version'),
    abi: { major: int(abi.major, '$.abi.major'), minor: int(abi.minor, '$.abi.minor'), micro: int(abi.micro, '$.abi.micro') },
    docs: root.docs,
    enums: {
      GF_PropType: enumTable(enums.GF_PropType, '$.enums.GF_PropType'),
      GF_FSRegisterFlags: enumTable(enums.GF_FSRegisterFlags, '$.enums.GF_FSRegisterFlags'),
      GF_FSArgumentFlags: enumTable(enums.GF_FSArgumentFlags, '$.enums.GF_FSArgumentFlags'),
    },
    propFlags: Object.fromEntries(
      Object.entries(obj(root.propFlags, '$.propFlags')).map(([k, v]) => [k, int(v, `$.propFlags.${k}`)]),
    ),
    filters: arr(root.filters, '$.filters').map((f, i) => {
      const p = `$.filters[${i}]`;
      const o = obj(f, p);
      return {
        name: str(o.name, `${p}.name`),
        flags: int(o.flags, `${p}.flags`),
        script: scriptFlag(o.script, `${p}.script`),
        ...optDescription(o, p),
        args: arr(o.args, `${p}.args`).map((a, j) => {
          const q = `${p}.args[${j}]`;
          const ao = obj(a, q);
          return {
            name: str(ao.name, `${q}.name`),
            type: int(ao.type, `${q}.type`),
            typeName: strOrNull(ao.typeName, `${q}.typeName`),
            default: strOrNull(ao.default, `${q}.default`),
            minMaxEnum: strOrNull(ao.minMaxEnum, `${q}.minMaxEnum`),
            flags: int(ao.flags, `${q}.flags`),
            ...optDescription(ao, q),
          };
        }),
      };
    }),
    scriptsDir: strOrNull(root.scriptsDir, '$.scriptsDir'),
    scriptsFailed: arr(root.scriptsFailed, '$.scriptsFailed').map((e, i) => {
      const pair = arr(e, `$.scriptsFailed[${i}]`);
      if (pair.length !== 2) fail(`$.scriptsFailed[${i}]`, '[path, error]', e);
      return [str(pair[0], `$.scriptsFailed[${i}][0]`), str(pair[1], `$.scriptsFailed[${i}][1]`)];
    }),
    properties: arr(root.properties, '$.properties').map((pr, i) => {
      const p = `$.properties[${i}]`;
      const o = obj(pr, p);
      return {
        code: int(o.code, `${p}.code`),
        name: str(o.name, `${p}.name`),
        type: int(o.type, `${p}.type`),
        typeName: strOrNull(o.typeName, `${p}.typeName`),
        flags: int(o.flags, `${p}.flags`),
        ...optDescription(o, p),
      };
    }),
    valueNames: valueNames(root.valueNames, '$.valueNames'),
  };
}
