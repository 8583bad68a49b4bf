// IR → generated/*.ts (ts-morph): constants with branded enum types, the built-in property table and the
// property value types, one options interface per filter and the filter-name → options map.
// Everything comes from the IR; the only fixed texts are the value types (value-types.ts) and the lookup
// helpers (lookup.ts), which describe how this package represents GPAC values.
//
// Output is deterministic: statements follow the IR's (sorted) order and ts-morph prints them with fixed
// manipulation settings, so the same IR gives the same bytes.

import {
  StructureKind,
  VariableDeclarationKind,
  type InterfaceDeclarationStructure,
  type JSDocStructure,
  type OptionalKind,
  type PropertySignatureStructure,
  type SourceFile,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
  type WriterFunction,
  type CodeBlockWriter,
} from 'ts-morph';
import type { GpacIR, IRFilter, IRProperty, IRValueName } from '../ir-types.js';
import { emitEventTypes } from './events.js';
import {
  NAMED_UINT_PROPERTIES,
  banner,
  newProject,
  checkIR,
  compareStrings,
  fileSafeName,
  genericOptions,
  genericOptionsFor,
  isAnyOption,
  isDeclarableName,
  optionModel,
  pascalCase,
  propTypeMapping,
  propertyKey,
  tsString,
  valueNamesOf,
  type EmittedFile,
  type GenericOption,
  type GenericOptions,
  type OptionModel,
} from './common.js';

/** Which generated file a constant goes to, by the prefix of its C name (first match wins). */
const SUBJECTS: readonly { file: string; doc: string; prefixes: readonly string[] }[] = [
  { file: 'errors', doc: 'GF_Err codes and their names.', prefixes: [] },
  { file: 'events', doc: 'Filter event types (GF_FEVT_*).', prefixes: ['GF_FEVT_'] },
  {
    file: 'properties',
    doc: 'Property types (GF_PropType), built-in property codes (4CCs) and property flags.',
    prefixes: ['GF_PROP_'],
  },
  {
    file: 'media',
    doc: 'Stream types, codec ids, pixel and audio formats, color (CICP) constants.',
    prefixes: ['GF_STREAM_', 'GF_CODECID_', 'GF_PIXEL_', 'GF_AUDIO_', 'GF_CICP_', 'GF_COLOR_', 'GF_CHROMA'],
  },
  {
    file: 'session',
    doc: 'Filter session, register, argument and capability constants.',
    prefixes: ['GF_FS_', 'GF_CAPS_', 'GF_CAPFLAG_', 'GF_PLAYBACK_MODE_', 'GF_FILTER_', 'GF_SETUP_', 'GF_PID_'],
  },
  { file: 'constants', doc: 'Other GF_* constants of the GPAC headers.', prefixes: [] },
];
/** Enums that go to a file whatever their members' prefixes (GF_Err members have no common prefix). */
const ENUM_SUBJECT: Readonly<Record<string, string>> = { GF_Err: 'errors' };

function subjectOf(constantName: string): string {
  for (const s of SUBJECTS) if (s.prefixes.some((p) => constantName.startsWith(p))) return s.file;
  return 'constants';
}

/** A constant value as a TS literal: numbers as is, IR 'bigint' decimal strings as bigint literals. */
function literal(value: number | string, where: string): { text: string; big: boolean } {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`${where}: ${value} is not a safe integer (the IR should mark it 'bigint')`);
    return { text: String(value), big: false };
  }
  if (!/^-?(0|[1-9][0-9]*)$/.test(value)) throw new Error(`${where}: ${JSON.stringify(value)} is not an integer`);
  return { text: `${value}n`, big: true };
}

/** An object literal written through ts-morph's writer, so that nesting is indented by ts-morph. */
type ObjectEntries = readonly (readonly [key: string, value: string | ObjectEntries])[];
function objectLiteral(entries: ObjectEntries, suffix: string): WriterFunction {
  const write = (w: CodeBlockWriter, es: ObjectEntries): void => {
    if (es.length === 0) {
      w.write('{}');
      return;
    }
    w.inlineBlock(() => {
      for (const [k, v] of es) {
        if (v === k) w.write(k); // shorthand property
        else {
          w.write(`${k}: `);
          if (typeof v === 'string') w.write(v);
          else write(w, v);
        }
        w.write(',').newLine();
      }
    });
  };
  return (w) => {
    write(w, entries);
    w.write(suffix);
  };
}

function jsdoc(lines: (string | null | undefined)[]): OptionalKind<JSDocStructure>[] {
  const text = lines
    .filter((l): l is string => typeof l === 'string' && l.length > 0)
    .join('\n')
    .replace(/\*\//g, '*\\/');
  return text ? [{ description: text }] : [];
}

function constStatement(name: string, initializer: string | WriterFunction, docs?: OptionalKind<JSDocStructure>[]): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer }],
    ...(docs && docs.length ? { docs } : {}),
  };
}

function typeAlias(name: string, type: string, docs?: OptionalKind<JSDocStructure>[]): TypeAliasDeclarationStructure {
  return { kind: StructureKind.TypeAlias, isExported: true, name, type, ...(docs && docs.length ? { docs } : {}) };
}

interface ConstantsPlan {
  /** file → statements */
  statements: Map<string, StatementStructures[]>;
  errorNames: Map<number, string>;
}

/** Every GF_ enum member (branded by its enum when the enum has a name) and every integer GF_ #define. */
function planConstants(ir: GpacIR): ConstantsPlan {
  const statements = new Map<string, StatementStructures[]>(SUBJECTS.map((s) => [s.file, []]));
  const seen = new Map<string, string>(); // name → literal text
  const errorNames = new Map<number, string>();
  const enumNames = new Set<string>(); // branded enums: a type and an object of that name
  const push = (file: string, st: StatementStructures) => statements.get(file)!.push(st);
  const claim = (name: string, text: string, where: string): boolean => {
    if (enumNames.has(name)) throw new Error(`${where}: constant ${name} has the name of an enum`);
    const had = seen.get(name);
    if (had === undefined) {
      seen.set(name, text);
      return true;
    }
    if (had !== text) throw new Error(`${where}: constant ${name} is defined twice with different values (${had}, ${text})`);
    return false;
  };

  for (const e of ir.enums) {
    const members = e.members.filter((m) => m.name.startsWith('GF_'));
    if (members.length === 0) continue;
    const where = `enum ${e.name} (${e.source.header}:${e.source.line})`;
    const lits = members.map((m) => ({ name: m.name, ...literal(m.value, `${where} member ${m.name}`) }));
    const branded = isDeclarableName(e.name);
    const file = ENUM_SUBJECT[e.name] ?? subjectOf(members[0]!.name);
    if (branded) {
      if (seen.has(e.name) || enumNames.has(e.name)) throw new Error(`${where}: enum name ${e.name} is also a constant or enum name`);
      enumNames.add(e.name);
      const base = lits.every((l) => l.big) ? 'bigint' : lits.some((l) => l.big) ? '(number | bigint)' : 'number';
      push(
        file,
        typeAlias(e.name, `${base} & { readonly __brand: '${e.name}' }`, jsdoc([`Values of the C enum ${e.name} (${e.source.header}).`])),
      );
    }
    const declared: string[] = [];
    for (const l of lits) {
      if (!claim(l.name, l.text, where)) continue;
      declared.push(l.name);
      push(file, constStatement(l.name, branded ? `${l.text} as ${e.name}` : l.text));
      if (e.name === 'GF_Err' && !l.big && !errorNames.has(Number(l.text))) errorNames.set(Number(l.text), l.name);
    }
    if (branded && declared.length > 0) {
      push(
        file,
        constStatement(e.name, objectLiteral(declared.map((n) => [n, n] as const), ' as const'), jsdoc([`All members of ${e.name}, by name.`])),
      );
    }
  }
  const defines = ir.constants
    .filter((c) => c.enum === null && c.name.startsWith('GF_') && (c.valueKind === 'int' || c.valueKind === 'bigint'))
    .sort((a, b) => compareStrings(a.name, b.name));
  for (const c of defines) {
    const where = `#define ${c.name} (${c.source.header}:${c.source.line})`;
    const l = literal(c.value, where);
    if (!claim(c.name, l.text, where)) continue;
    push(subjectOf(c.name), constStatement(c.name, l.text));
  }
  return { statements, errorNames };
}


/** Value types shared by properties and options (hand-chosen representation, see TS_TYPE_OF_PROP). */
function valueTypesStatements(): StatementStructures[] {
  const iface = (name: string, props: [string, string][], doc: string): InterfaceDeclarationStructure => ({
    kind: StructureKind.Interface,
    isExported: true,
    name,
    docs: jsdoc([doc]),
    properties: props.map(([n, t]) => ({ name: n, type: t })),
  });
  return [
    iface('Fraction', [['num', 'number'], ['den', 'number']], 'GF_PROP_FRACTION: 32-bit numerator / 32-bit unsigned denominator.'),
    iface('Fraction64', [['num', 'bigint'], ['den', 'bigint']], 'GF_PROP_FRACTION64 as read from GPAC: 64-bit members as bigint.'),
    iface(
      'Fraction64Input',
      [['num', 'number | bigint'], ['den', 'number | bigint']],
      'GF_PROP_FRACTION64 as accepted: safe-integer numbers or bigint.',
    ),
    iface('Vec2', [['x', 'number'], ['y', 'number']], 'GF_PROP_VEC2I (integers) and GF_PROP_VEC2 (doubles), named like GF_PropVec2i.'),
    iface('Vec3', [['x', 'number'], ['y', 'number'], ['z', 'number']], 'GF_PROP_VEC3I, named like GF_PropVec3i.'),
    iface('Vec4', [['x', 'number'], ['y', 'number'], ['z', 'number'], ['w', 'number']], 'GF_PROP_VEC4I, named like GF_PropVec4i.'),
    typeAlias(
      'GpacUnit',
      `'k' | 'K' | 'm' | 'M' | 'g' | 'G' | 's' | 'S' | 'sec' | 'min'`,
      jsdoc(['Unit suffixes GPAC applies to numbers (x1000, x1000000, x1000000000, seconds → ms, minutes → ms).']),
    ),
    typeAlias(
      'GpacNumberString',
      '`${number}` | `${number}${GpacUnit}` | `0x${string}` | `0X${string}` | `T${string}` | `t${string}` | \'+I\' | \'-I\'',
      jsdoc(['A number in GPAC\'s syntax: decimal, hexadecimal, with a unit, a time `THH:MM:SS.ms`, or ±infinity (`+I`/`-I`).']),
    ),
    typeAlias('GpacBoolString', `'yes' | 'no' | 'true' | 'false' | '1' | '0'`, jsdoc(['A boolean in GPAC\'s syntax.'])),
    typeAlias(
      'GpacFractionString',
      '`${number}/${number}` | `${number}-${number}` | `${number}` | `T${string}` | `t${string}`',
      jsdoc(['A fraction in GPAC\'s syntax: `num/den`, `num-den`, a number (den 1, or 1000000 for decimals) or a time.']),
    ),
    typeAlias(
      'GpacVec2iString',
      "`${number}x${number}` | '360' | '480' | '576' | '720' | '1080' | '2160' | '4320' | 'hd' | 'HD' | '2k' | '2K' | '4k' | '4K' | '8k' | '8K'",
      jsdoc(['A 2D integer vector in GPAC\'s syntax: `WxH` or a resolution name.']),
    ),
    typeAlias('GpacVec2String', '`${number}x${number}`', jsdoc(['A 2D vector in GPAC\'s syntax: `XxY`.'])),
    typeAlias('GpacVec3String', '`${number}x${number}x${number}`', jsdoc(['A 3D integer vector in GPAC\'s syntax.'])),
    typeAlias('GpacVec4String', '`${number}x${number}x${number}x${number}`', jsdoc(['A 4D integer vector in GPAC\'s syntax.'])),
  ];
}

const VALUE_TYPE_NAMES = [
  'Fraction',
  'Fraction64',
  'Fraction64Input',
  'Vec2',
  'Vec3',
  'Vec4',
  'GpacNumberString',
  'GpacBoolString',
  'GpacFractionString',
  'GpacVec2iString',
  'GpacVec2String',
  'GpacVec3String',
  'GpacVec4String',
];

/** The TS type of an option value as accepted by FilterSession.load & co. */
export function optionInputType(m: OptionModel): string {
  if (m.names) {
    const parts = m.names.map(tsString);
    for (const n of m.numericNames) parts.push(String(n));
    if (m.acceptsCode) parts.push('number');
    return parts.join(' | ');
  }
  switch (m.shape) {
    case 'number':
      return 'number | GpacNumberString';
    case 'bigint':
      return 'number | bigint | GpacNumberString';
    case 'boolean':
      return 'boolean | GpacBoolString';
    case 'fraction':
      return 'number | Fraction | GpacFractionString';
    case 'fraction64':
      return 'number | bigint | Fraction64Input | GpacFractionString';
    case 'vec2i':
      return 'Vec2 | GpacVec2iString';
    case 'vec2':
      return 'Vec2 | GpacVec2String';
    case 'vec3i':
      return 'Vec3 | GpacVec3String';
    case 'vec4i':
      return 'Vec4 | GpacVec4String';
    case 'string':
      // Documented values GPAC does not enforce (e.g. dashin algo also takes a JS file): suggest, stay open.
      return m.hints ? `${m.hints.map(tsString).join(' | ')} | (string & {})` : 'string';
    case 'bytes':
      return 'Uint8Array | string';
    case 'pointer':
      return 'number | bigint | string';
    case 'string-list':
    case '4cc-list':
      return 'readonly string[] | string';
    case 'uint-list':
    case 'sint-list':
      return 'readonly number[] | string';
    case 'vec2i-list':
      return 'readonly Vec2[] | string';
    case '4cc':
      return 'string';
    case 'enum-name':
      return m.acceptsCode ? 'string | number' : 'string';
  }
}

function usedValueTypes(typeText: string): string[] {
  return VALUE_TYPE_NAMES.filter((n) => new RegExp(`\\b${n}\\b`).test(typeText));
}

function optionDocs(m: OptionModel, description: string | undefined, irMin: number | null, irMax: number | null): OptionalKind<JSDocStructure>[] {
  const facts = [`GPAC type ${m.type}`];
  if (irMin !== null || irMax !== null) facts.push(`range ${irMin ?? '-∞'}..${irMax ?? '+∞'}`);
  if (m.hints) facts.push(`values ${m.hints.join('|')}`);
  if (m.flags.length) facts.push(`flags: ${m.flags.join(', ')}`);
  return jsdoc([
    description,
    facts.join('; ') + '.',
    m.default !== null ? `@defaultValue ${m.default === '' ? '""' : m.default}` : null,
  ]);
}

interface FilterPlan {
  filter: IRFilter;
  iface: string;
  file: string;
}

function planFilters(ir: GpacIR): FilterPlan[] {
  const byIface = new Map<string, string>();
  return ir.filters.map((f) => {
    const iface = `${pascalCase(f.name)}Options`;
    const other = byIface.get(iface);
    if (other !== undefined) throw new Error(`filters ${other} and ${f.name} both give the interface name ${iface}`);
    byIface.set(iface, f.name);
    return { filter: f, iface, file: `filters/${fileSafeName(f.name)}` };
  });
}

/** The TS type of a generic option (see GenericSyntax in common.ts). */
export function genericInputType(g: GenericOption): string {
  if (g.syntax === 'flag' || g.syntax === 'switch') return 'boolean';
  const base = g.type === 'GF_PROP_UINT' ? 'number | `${bigint}`' : g.type === 'GF_PROP_STRING_LIST' ? 'readonly string[] | string' : 'string';
  return g.syntax === 'optional-value' ? `true | ${base}` : base;
}

/** generated/generic-options.ts: the options every filter takes and `#Name` PID property assignments. */
function genericOptionsStatements(generic: GenericOptions): StatementStructures[] {
  const syntaxDoc: Record<string, string> = {
    value: '',
    flag: 'Written as the bare option when true, left out when false.',
    switch: 'Written as the bare option when true, `=0` when false.',
    'optional-value': 'true writes the bare option.',
  };
  return [
    {
      kind: StructureKind.Interface,
      isExported: true,
      name: 'GenericFilterOptions',
      docs: jsdoc([
        'Options GPAC\'s filter session handles for every filter (codegen/generic-options.json, `gpac -h doc`), and',
        '`#Name` PID property assignments. A filter whose register has an option of the same name leaves that one out.',
        'gfloc / gfopt act on the options written after them: object key order is kept.',
      ]),
      properties: generic.options.map((g) => ({
        name: g.name,
        type: genericInputType(g),
        hasQuestionToken: true,
        docs: jsdoc([`${g.note[0]!.toUpperCase()}${g.note.slice(1)}.`, `GPAC type ${g.type}; ${g.where}.`, syntaxDoc[g.syntax]]),
      })),
      indexSignatures: [
        {
          keyName: 'property',
          keyType: '`#${string}`',
          returnType: 'string | number | bigint | boolean | undefined',
          docs: jsdoc([`${generic.pidProperties.note[0]!.toUpperCase()}${generic.pidProperties.note.slice(1)}.`]),
        },
      ],
    },
    constStatement(
      'GENERIC_OPTION_NAMES',
      `[${generic.options.map((g) => tsString(g.name)).join(', ')}] as const`,
      jsdoc(['Names of the generic options.']),
    ),
  ];
}

function filterFile(sf: SourceFile, p: FilterPlan, ir: GpacIR): void {
  const names = valueNamesOf(ir);
  const props: OptionalKind<PropertySignatureStructure>[] = [];
  const used = new Set<string>();
  let anyOption = false;
  const seen = new Set<string>();
  for (const o of p.filter.options) {
    if (seen.has(o.name)) throw new Error(`filter ${p.filter.name}: option ${o.name} is listed twice`);
    seen.add(o.name);
    if (isAnyOption(o)) {
      anyOption = true;
      continue;
    }
    const m = optionModel(p.filter, o, names);
    const type = optionInputType(m);
    for (const t of usedValueTypes(type)) used.add(t);
    props.push({ name: propertyKey(o.name), type, hasQuestionToken: true, docs: optionDocs(m, o.description, o.min, o.max) });
  }
  if (used.size) {
    sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: '../value-types.js', namedImports: [...used].sort(compareStrings) });
  }
  const generic = genericOptions();
  const offered = new Set(genericOptionsFor(p.filter, generic).map((g) => g.name));
  const omitted = generic.options.filter((g) => !offered.has(g.name)).map((g) => tsString(g.name));
  sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: '../generic-options.js', namedImports: ['GenericFilterOptions'] });
  const doc = [
    p.filter.description,
    `Options of the GPAC filter \`${p.filter.name}\`${p.filter.flags.length ? ` (register flags: ${p.filter.flags.join(', ')})` : ''}.`,
    'Values may also be given in GPAC\'s own string syntax; they are validated against generated/schemas/' +
      `${p.filter.name}.schema.json before GPAC sees them.`,
  ];
  sf.addInterface({
    isExported: true,
    name: p.iface,
    docs: jsdoc(doc),
    extends: [omitted.length ? `Omit<GenericFilterOptions, ${omitted.join(' | ')}>` : 'GenericFilterOptions'],
    properties: props,
    ...(anyOption
      ? {
          indexSignatures: [
            {
              keyName: 'option',
              keyType: 'string',
              returnType: 'unknown',
              docs: jsdoc(['Any option of the wrapped library (GF_FS_ARG_META "*"), passed to GPAC as a string.']),
            },
          ],
        }
      : {}),
  });
}

/**
 * The TS type of a property value as the native marshaller gives it: enum types (and the UINT properties
 * GPAC shows by name) are the name libgpac gives the value when that name parses back to it, else the
 * number (native/src/props.cc; same rule as the IR's own names).
 */
function propertyValueType(p: IRProperty, valueNames: Record<string, IRValueName[]>): string {
  const m = propTypeMapping(p.type, `property ${p.name} (${p.fourcc})`);
  const kind = m.shape === 'enum-name' ? p.type : p.type === 'GF_PROP_UINT' ? NAMED_UINT_PROPERTIES[p.name] : undefined;
  if (kind === undefined) return m.read;
  return valueNames[kind]?.some((e) => !e.alias) ? `ReadValueNameOf<${tsString(kind)}> | number` : 'string | number';
}

/**
 * The TS type a property value may be written as (FilterPid.setProp, pushCap, negotiateCap): TS_TYPE_OF_PROP's
 * write side; enum types and the UINT properties GPAC shows by name take any name GPAC's parser knows for the
 * kind, or the number (native/src/plugin/plugin_props.cc).
 */
function propertyInputType(p: IRProperty, valueNames: Record<string, IRValueName[]>): string {
  const m = propTypeMapping(p.type, `property ${p.name} (${p.fourcc})`);
  const kind = m.shape === 'enum-name' ? p.type : p.type === 'GF_PROP_UINT' ? NAMED_UINT_PROPERTIES[p.name] : undefined;
  if (kind === undefined) return m.write;
  return valueNames[kind]?.length ? `ValueNameOf<${tsString(kind)}> | number` : 'string | number';
}

function propertyTableStatements(ir: GpacIR): StatementStructures[] {
  const pid: IRProperty[] = [];
  const pck: IRProperty[] = [];
  const byFourcc = new Map<string, string>();
  const valueTypes = new Map<string, Set<string>>();
  const inputTypes = new Map<string, Set<string>>();
  for (const p of ir.properties) {
    const other = byFourcc.get(p.fourcc);
    if (other !== undefined) throw new Error(`properties ${other} and ${p.name} share the 4CC ${p.fourcc}`);
    byFourcc.set(p.fourcc, p.name);
    const list = p.flags.packet ? pck : pid;
    if (list.some((q) => q.name === p.name)) {
      throw new Error(`two ${p.flags.packet ? 'packet' : 'PID'} properties are named ${p.name}`);
    }
    list.push(p);
    const t = propertyValueType(p, valueNamesOf(ir));
    if (!valueTypes.has(p.name)) valueTypes.set(p.name, new Set());
    valueTypes.get(p.name)!.add(t);
    if (!inputTypes.has(p.name)) inputTypes.set(p.name, new Set());
    for (const part of propertyInputType(p, valueNamesOf(ir)).split(' | ')) inputTypes.get(p.name)!.add(part);
  }
  const entry = (p: IRProperty): readonly [string, string] => [
    propertyKey(p.name),
    `{ fourcc: ${tsString(p.fourcc)}, code: ${p.code}, type: ${tsString(p.type)}, ` +
      `constant: ${p.constant === null ? 'null' : tsString(p.constant)}, flags: { packet: ${p.flags.packet}, gsfRemovable: ${p.flags.gsfRemovable} } }`,
  ];
  const table = (list: IRProperty[]): WriterFunction =>
    objectLiteral(list.map(entry), ' as const satisfies Readonly<Record<string, PropertyInfo>>');
  const names = [...valueTypes.keys()].sort(compareStrings);
  return [
    {
      kind: StructureKind.Interface,
      isExported: true,
      name: 'PropertyInfo',
      docs: jsdoc(['A built-in property: its 4CC (as text and as the u32 code), GF_PROP_* type, filters.h constant and flags.']),
      properties: [
        { name: 'fourcc', type: 'string', isReadonly: true },
        { name: 'code', type: 'number', isReadonly: true },
        { name: 'type', type: 'string', isReadonly: true },
        { name: 'constant', type: 'string | null', isReadonly: true },
        { name: 'flags', type: '{ readonly packet: boolean; readonly gsfRemovable: boolean }', isReadonly: true },
      ],
    },
    constStatement(
      'PID_PROPERTIES',
      table(pid),
      jsdoc(['Built-in PID properties by name (`gpac -h props`).']),
    ),
    constStatement(
      'PACKET_PROPERTIES',
      table(pck),
      jsdoc(['Built-in packet properties by name (GF_PROP_FLAG_PCK); a few share a name with a PID property.']),
    ),
    {
      kind: StructureKind.Interface,
      isExported: true,
      name: 'PropertyValueTypes',
      docs: jsdoc([
        'The TS type of each built-in property value as read from GPAC (see TS_TYPE_OF_PROP in codegen/emit/common.ts):',
        '64-bit integers are bigint, fractions {num, den}, vectors {x, y[, z, w]}, data Uint8Array, 4CCs strings;',
        'StreamType, CodecID and enumerated types (PixelFormat, AudioFormat, CICP…) are names, as in libgpac.py, or the',
        'number when libgpac has no name for the value that its parser reads back.',
      ]),
      properties: names.map((n) => ({ name: propertyKey(n), type: [...valueTypes.get(n)!].sort(compareStrings).join(' | ') })),
    },
    typeAlias('PropertyName', 'keyof PropertyValueTypes', jsdoc(['Names of the built-in properties.'])),
    {
      kind: StructureKind.Interface,
      isExported: true,
      name: 'PropertyInputTypes',
      docs: jsdoc([
        'The TS type each built-in property value may be written as (setProp, pushCap, negotiateCap): 64-bit integers',
        'and fractions also as numbers, lists as readonly arrays, enumerated types and StreamType/CodecID as any name',
        "GPAC's parser takes for them, or the number.",
      ]),
      properties: names.map((n) => ({ name: propertyKey(n), type: [...inputTypes.get(n)!].join(' | ') })),
    },
  ];
}

const LOOKUP_SOURCE = `/** The member name of an enum object (e.g. GF_FEventType) holding \`value\`; the first one in header order
 *  when several share it. */
export function enumName<T extends Readonly<Record<string, number | bigint>>>(
  e: T,
  value: number | bigint,
): (keyof T & string) | undefined {
  for (const k of Object.keys(e)) if (e[k] === value) return k as keyof T & string;
  return undefined;
}

/** The value of the member \`name\` of an enum object, or undefined. */
export function enumValue<T extends Readonly<Record<string, number | bigint>>>(e: T, name: string): T[keyof T] | undefined {
  return Object.prototype.hasOwnProperty.call(e, name) ? e[name as keyof T] : undefined;
}
`;

/**
 * value-names.ts: per kind, value → the name libgpac gives it (what reading a property yields), and name →
 * value for every name GPAC's parser takes (own names and aliases); name-union types over both.
 */
function valueNamesStatements(valueNames: Record<string, IRValueName[]>): StatementStructures[] {
  const kinds = Object.keys(valueNames).sort(compareStrings);
  const byValue: ObjectEntries = kinds.map((k) => {
    const rows = valueNames[k]!.filter((e) => !e.alias)
      .sort((a, b) => a.value - b.value)
      .map((e) => [tsString(String(e.value)), tsString(e.name)] as const);
    return [propertyKey(k), rows] as const;
  });
  const byName: ObjectEntries = kinds.map((k) => {
    const seen = new Set<string>();
    const rows = valueNames[k]!.map((e) => {
      if (seen.has(e.name)) throw new Error(`value names of ${k}: ${e.name} is listed twice`);
      seen.add(e.name);
      return [propertyKey(e.name), String(e.value)] as const;
    });
    return [propertyKey(k), rows] as const;
  });
  const tables = 'const tables: Readonly<Record<string, Readonly<Record<string, string>>>> = VALUE_NAMES;';
  const nameTables = 'const tables: Readonly<Record<string, Readonly<Record<string, number>>>> = NAME_VALUES;';
  return [
    constStatement(
      'VALUE_NAMES',
      objectLiteral(byValue, ' as const satisfies Readonly<Record<string, Readonly<Record<string, string>>>>'),
      jsdoc([
        'value → the name libgpac gives it, per kind: a GF_PROP_* enum type (GF_PROP_PIXFMT…) or a property shown by name',
        '(StreamType, CodecID). A value missing here is read as a number. Empty when the IR carries no value names',
        '(they come from libgpac introspection, not from the headers).',
      ]),
    ),
    constStatement(
      'NAME_VALUES',
      objectLiteral(byName, ' as const satisfies Readonly<Record<string, Readonly<Record<string, number>>>>'),
      jsdoc(['name → value per kind, for every name GPAC\'s parser maps to that value (the names above and aliases such as "avc").']),
    ),
    typeAlias('ValueNameKind', 'keyof typeof NAME_VALUES', jsdoc(['The kinds of value-name tables.'])),
    {
      ...typeAlias('ValueNameOf', 'keyof (typeof NAME_VALUES)[K] & string', jsdoc(['Every name GPAC accepts for a value of kind K (what can be written).'])),
      typeParameters: [{ name: 'K', constraint: 'ValueNameKind' }],
    },
    {
      ...typeAlias(
        'ReadValueNameOf',
        '(typeof VALUE_NAMES)[K][keyof (typeof VALUE_NAMES)[K]]',
        jsdoc(['The names libgpac gives values of kind K (what reading yields, besides plain numbers).']),
      ),
      typeParameters: [{ name: 'K', constraint: 'keyof typeof VALUE_NAMES' }],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: 'valueName',
      parameters: [
        { name: 'kind', type: 'string' },
        { name: 'value', type: 'number' },
      ],
      returnType: 'string | undefined',
      docs: jsdoc(['The name libgpac gives `value` in the table `kind`, e.g. valueName("StreamType", 4) → "Visual".']),
      statements: [tables, 'return tables[kind]?.[String(value)];'],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: 'valueByName',
      parameters: [
        { name: 'kind', type: 'string' },
        { name: 'name', type: 'string' },
      ],
      returnType: 'number | undefined',
      docs: jsdoc(['The value GPAC reads for `name` in the table `kind`, e.g. valueByName("CodecID", "avc") → 33.']),
      statements: [nameTables, 'const table = tables[kind];', 'return table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;'],
    },
  ];
}

/**
 * Emits every generated TS file for one IR; with `events` (codegen/native-api.json: GF_FEVT_* → member of
 * union __gf_filter_event), also the event field types.
 */
export function emitTs(ir: GpacIR, events: Record<string, string> = {}): EmittedFile[] {
  checkIR(ir);
  const head = banner('ts', 'ts', ir.gpac.version);
  const project = newProject();
  const out: EmittedFile[] = [];
  const file = (rel: string, doc: string, build: (sf: SourceFile) => void): void => {
    const sf = project.createSourceFile(`/generated/${rel}.ts`, '', { overwrite: true });
    build(sf);
    // ts-morph writes initializers with a hanging indent; the TS formatter puts them back to 2 spaces.
    sf.formatText({ indentSize: 2, convertTabsToSpaces: true });
    out.push({ path: `generated/${rel}.ts`, content: `${head}\n// ${doc}\n\n${sf.getFullText()}` });
  };

  const plan = planConstants(ir);
  for (const s of SUBJECTS) {
    file(s.file, s.doc, (sf) => {
      const st = plan.statements.get(s.file)!;
      if (st.length) sf.addStatements(st);
      if (s.file === 'errors') {
        const entries = [...plan.errorNames.entries()].sort((a, b) => b[0] - a[0]);
        sf.addStatements([
          constStatement(
            'GF_ERR_NAMES',
            objectLiteral(
              entries.map(([v, n]) => [tsString(String(v)), tsString(n)] as const),
              ' as const satisfies Readonly<Record<string, string>>',
            ),
            jsdoc(['GF_Err code → C name (e.g. -12 → "GF_URL_ERROR").']),
          ),
          {
            kind: StructureKind.Function,
            isExported: true,
            name: 'gpacErrorName',
            parameters: [{ name: 'code', type: 'number' }],
            returnType: 'string | undefined',
            docs: jsdoc(['The C name of a GF_Err code, or undefined for a code this GPAC does not define.']),
            statements: ['const names: Readonly<Record<string, string>> = GF_ERR_NAMES;', 'return names[String(code)];'],
          },
        ]);
      }
    });
  }

  file('value-types', 'How GPAC values are represented in TypeScript, and GPAC\'s string syntax for them.', (sf) => {
    sf.addStatements(valueTypesStatements());
  });
  file('generic-options', 'Options every filter takes (handled by the filter session) and PID property assignments.', (sf) => {
    sf.addStatements(genericOptionsStatements(genericOptions()));
  });
  file('lookup', 'Name ↔ value lookups over the generated enum objects and value-name tables.', (sf) => {
    sf.addStatements(LOOKUP_SOURCE);
  });

  const valueNames = valueNamesOf(ir);
  file('value-names', 'Names libgpac gives to values (stream types, codec ids, pixel/audio formats, CICP), as libgpac.py shows them.', (sf) => {
    sf.addStatements(valueNamesStatements(valueNames));
  });

  file('property-table', 'The built-in property table and the TS type of each property value.', (sf) => {
    sf.addStatements(propertyTableStatements(ir));
    const used = VALUE_TYPE_NAMES.filter((n) => new RegExp(`\\b${n}\\b`).test(sf.getFullText()));
    if (used.length) sf.insertImportDeclaration(0, { isTypeOnly: true, moduleSpecifier: './value-types.js', namedImports: used });
    const names = ['ReadValueNameOf', 'ValueNameOf'].filter((n) => new RegExp(`\\b${n}<`).test(sf.getFullText()));
    if (names.length) sf.insertImportDeclaration(0, { isTypeOnly: true, moduleSpecifier: './value-names.js', namedImports: names });
  });

  const filters = planFilters(ir);
  for (const p of filters) {
    file(p.file, `Options of the GPAC filter ${p.filter.name}.`, (sf) => filterFile(sf, p, ir));
  }
  file('filter-options', 'Filter name → options interface, and the list of filter names.', (sf) => {
    for (const p of filters) {
      sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: `./${p.file}.js`, namedImports: [p.iface] });
    }
    for (const p of filters) {
      sf.addExportDeclaration({ isTypeOnly: true, moduleSpecifier: `./${p.file}.js`, namedExports: [p.iface] });
    }
    sf.addInterface({
      isExported: true,
      name: 'FilterOptionsMap',
      docs: jsdoc(['Filter name → its options, so that `load<K extends keyof FilterOptionsMap>(name: K, opts: FilterOptionsMap[K])` is typed.']),
      properties: filters.map((p) => ({ name: propertyKey(p.filter.name), type: p.iface })),
    });
    sf.addStatements([
      constStatement(
        'FILTER_NAMES',
        `[${filters.map((p) => tsString(p.filter.name)).join(', ')}] as const`,
        jsdoc(['Every filter of the GPAC build the IR was made from.']),
      ),
      typeAlias('FilterName', '(typeof FILTER_NAMES)[number]'),
    ]);
  });

  file('index', 'Re-exports every generated module.', (sf) => {
    const withEvents = Object.keys(events).length > 0;
    const modules = [...SUBJECTS.map((s) => s.file), 'value-types', 'generic-options', 'lookup', 'value-names', 'property-table', 'filter-options', ...(withEvents ? ['event-fields'] : [])];
    for (const m of modules) sf.addExportDeclaration({ moduleSpecifier: `./${m}.js` });
  });
  if (Object.keys(events).length) out.push(...emitEventTypes(ir, events));
  return out;
}
