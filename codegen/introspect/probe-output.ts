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
  };
}
