// The intermediate representation (IR) that the generator writes to codegen/ir/gpac-<version>.json.
// Everything generated/ holds is derived from one IR file, so the IR must be deterministic:
// every array is sorted by name (members of enums and fields of structs keep source order).
// It carries facts only: descriptions are kept out unless the generator runs with --with-docs.

export const IR_FORMAT = 1;

/** A C type, structured so that emitters can write declarations back (`declare(type, name)`). */
export type CType =
  | { kind: 'named'; name: string; const?: boolean } // u32, char, void, GF_Filter, struct __x, enum Y
  | { kind: 'pointer'; to: CType; const?: boolean }
  | { kind: 'array'; of: CType; size: string | null } // size is the source expression ("GF_PROP_DUMP_ARG_SIZE", "4")
  | { kind: 'function'; returns: CType; params: CParam[]; variadic: boolean };

export interface CParam {
  name: string | null;
  type: CType;
}

export interface SourceRef {
  /** Header path relative to the include root, e.g. "gpac/filters.h". */
  header: string;
  line: number;
}

export interface IRConstant {
  name: string;
  /** Numbers that fit in 2^53 are numbers; larger integers are decimal strings with kind 'bigint'. */
  value: number | string;
  valueKind: 'int' | 'bigint' | 'float' | 'string';
  /** The enum this constant belongs to (typedef name, or tag if untyped); null for #define constants. */
  enum: string | null;
  source: SourceRef;
}

export interface IREnum {
  name: string; // typedef name when there is one, else "enum tag"
  tag: string | null;
  members: { name: string; value: number | string }[]; // source order
  source: SourceRef;
}

export interface IRField {
  name: string;
  type: CType;
  bits: number | null;
}

export interface IRStruct {
  /** Tag, e.g. "__gf_prop_val"; anonymous structs that are only typedef'd get the typedef name. */
  name: string;
  kind: 'struct' | 'union';
  /** null when the header only forward-declares it (opaque). Nested anonymous members are inlined as
   *  fields whose type is {kind:'named', name:'<anon struct N>'} pointing at another IRStruct. */
  fields: IRField[] | null;
  source: SourceRef;
}

export interface IRTypedef {
  name: string;
  type: CType;
  source: SourceRef;
}

export interface IRFunction {
  name: string;
  returns: CType;
  params: CParam[];
  variadic: boolean;
  /** false for entry points libgpac exports without declaring them publicly (codegen/overrides.h). */
  public: boolean;
  source: SourceRef;
}

/** An option of a filter, from GF_FilterArgs. */
export interface IROption {
  name: string;
  /** GF_PropType name, e.g. "GF_PROP_UINT", "GF_PROP_STRING_LIST". */
  type: string;
  default: string | null;
  /** min/max from "min,max" / "min-max" (-I / +I are infinities, written as null). */
  min: number | null;
  max: number | null;
  /** Enumerated names for "a|b|c" (skipped positions are ""). */
  values: string[] | null;
  /** The raw min_max_enum string, kept so that nothing is lost in translation. */
  minMaxEnum: string | null;
  flags: {
    advanced: boolean;
    expert: boolean;
    hidden: boolean;
    updatable: boolean;
    updateSync: boolean;
    meta: boolean;
    sinkAlias: boolean;
  };
  description?: string;
}

export interface IRFilter {
  name: string;
  /** GF_FS_REG_* flag names set on the register. */
  flags: string[];
  options: IROption[];
  description?: string;
}

export interface IRProperty {
  name: string;
  fourcc: string; // e.g. "PIDI"
  code: number; // the 4CC as u32
  /** The enum constant naming it in filters.h (e.g. GF_PROP_PID_ID), when there is one. */
  constant: string | null;
  type: string; // GF_PropType name
  flags: { packet: boolean; gsfRemovable: boolean };
  description?: string;
}

/**
 * A name libgpac gives to a value, read by the introspection probe from the library's own tables (these
 * names are in libgpac's C source, not in its headers). Only names GPAC's parser maps back to the value
 * are kept.
 */
export interface IRValueName {
  value: number;
  name: string;
  /** Accepted by GPAC's parser for this value, but not the name libgpac gives the value when it prints it
   *  (CodecID 33 is "264"; "avc" and "h264" are aliases). Absent when false. */
  alias?: true;
  /** GPAC's description (codec long name, pixel/audio format description); only with --with-docs. */
  description?: string;
}

export interface GpacIR {
  format: typeof IR_FORMAT;
  gpac: {
    version: string; // GPAC_VERSION from version.h, or gf_gpac_version() when docs came from a library
    abi: { major: number; minor: number; micro: number };
    /** Where the docs part came from, e.g. "introspection" or null when no docs could be read. */
    docs: string | null;
  };
  constants: IRConstant[];
  enums: IREnum[];
  structs: IRStruct[];
  typedefs: IRTypedef[];
  functions: IRFunction[];
  properties: IRProperty[];
  filters: IRFilter[];
  /**
   * Names of values, per kind: a GF_PROP_* enum type (GF_PROP_PIXFMT, GF_PROP_PCMFMT, GF_PROP_CICP_*), or
   * 'StreamType' / 'CodecID' for the GF_PROP_UINT properties GPAC shows by name. Each list is sorted by
   * value, the value's own name first, then aliases by name. Optional: IRs made before it existed lack it.
   */
  valueNames?: Record<string, IRValueName[]>;
}
