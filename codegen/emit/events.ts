// IR + codegen/native-api.json `events` → generated/event-fields.ts: the TS types of filter event fields,
// one interface per member struct of union __gf_filter_event (GF_FEVT_Play, GF_FEVT_SegmentSize …), as the
// native reflection (native/src/reflect.cc) reads and writes them. The kind of each field follows the same
// rule the C++ compiler applies in gpac_reflect.h (gpac_field_kind), from the IR's C types:
//   8/16/32-bit integers and other enums → number, 64-bit integers → bigint (number accepted on write),
//   Bool → boolean, char * → string | null, GF_Fraction → Fraction, GF_Fraction64 → Fraction64,
//   other pointers → a bigint address (read only); `type` and `on_pid` are the event's own members.
import { StructureKind, type InterfaceDeclarationStructure, type OptionalKind, type PropertySignatureStructure } from 'ts-morph';
import type { CType, GpacIR, IRStruct } from '../ir-types.js';
import { banner, compareStrings, newProject, type EmittedFile } from './common.js';

export class EventEmitError extends Error {
  constructor(message: string) {
    super(`codegen (events): ${message}`);
    this.name = 'EventEmitError';
  }
}

interface FieldType {
  read: string;
  /** null: not writable from JavaScript (pointers, unsupported types). */
  write: string | null;
}

const INT64 = new Set(['int64_t', 'uint64_t', 'long long', 'unsigned long long', 'long long int', 'unsigned long long int']);
const NUMBER = new Set([
  'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'unsigned', 'signed',
  'short int', 'unsigned short int', 'int8_t', 'int16_t', 'int32_t', 'uint8_t', 'uint16_t', 'uint32_t', 'float', 'double',
]);

export const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export class Types {
  readonly typedefs = new Map<string, CType>();
  readonly structs = new Map<string, IRStruct>();
  readonly enums = new Set<string>();

  constructor(ir: GpacIR) {
    for (const t of ir.typedefs) this.typedefs.set(t.name, t.type);
    for (const s of ir.structs) this.structs.set(s.name, s);
    for (const e of ir.enums) {
      this.enums.add(e.name);
      if (e.tag) this.enums.add(`enum ${e.tag}`);
    }
  }

  /** The TS types of a field of C type `t` (null: the field is left out, as the native table marks it unsupported). */
  field(t: CType, where: string): FieldType | null {
    if (t.kind === 'pointer') {
      const to = t.to.kind === 'named' ? t.to.name.replace(/^const\s+/, '') : null;
      if (to === 'char') return { read: 'string | null', write: 'string | null' };
      return { read: 'bigint | null', write: null };
    }
    if (t.kind !== 'named') return null; // arrays, functions: GPAC_FIELD_UNSUPPORTED
    const name = t.name.replace(/^const\s+/, '');
    if (name === 'Bool' || name === 'enum Bool') return { read: 'boolean', write: 'boolean' };
    if (name === 'GF_Fraction' || name === 'struct GF_Fraction') return { read: 'Fraction', write: 'Fraction' };
    if (name === 'GF_Fraction64' || name === 'struct GF_Fraction64') return { read: 'Fraction64', write: 'Fraction64Input' };
    if (INT64.has(name)) return { read: 'bigint', write: 'number | bigint' };
    if (NUMBER.has(name)) return { read: 'number', write: 'number' };
    if (this.enums.has(name)) return { read: 'number', write: 'number' };
    const td = this.typedefs.get(name);
    if (td) return this.field(td, where);
    if (/^(struct|union) /.test(name) || this.structs.has(name)) return null; // a struct by value: unsupported
    throw new EventEmitError(`${where}: C type ${name} is not in the IR`);
  }

  /** The struct a typedef name of union __gf_filter_event's member stands for. */
  struct(typedefName: string, where: string): IRStruct {
    const td = this.typedefs.get(typedefName);
    const tag = td && td.kind === 'named' ? td.name.replace(/^struct\s+/, '') : typedefName;
    const s = this.structs.get(tag);
    if (!s?.fields) throw new EventEmitError(`${where}: struct ${typedefName} is not complete in the IR`);
    return s;
  }
}

interface Member {
  member: string; // union member, e.g. seg_size
  struct: string; // typedef name, e.g. GF_FEVT_SegmentSize
  types: string[]; // GF_FEVT_* using it
  fields: { js: string; c: string; type: FieldType }[];
}

/** The members of union __gf_filter_event that `events` names, with their fields, in union order. */
function members(ir: GpacIR, events: Record<string, string>): Member[] {
  const types = new Types(ir);
  const union = types.structs.get('__gf_filter_event');
  if (!union?.fields) throw new EventEmitError('union __gf_filter_event is not complete in the IR');
  const constants = new Set(ir.constants.map((c) => c.name));
  const out: Member[] = [];
  for (const f of union.fields) {
    const evTypes = Object.keys(events).filter((t) => events[t] === f.name);
    if (!evTypes.length) continue;
    if (f.type.kind !== 'named') throw new EventEmitError(`member ${f.name} of union __gf_filter_event is not a named struct`);
    for (const t of evTypes) if (!constants.has(t)) throw new EventEmitError(`${t} is not an IR constant`);
    const s = types.struct(f.type.name, `member ${f.name}`);
    const fields: Member['fields'] = [];
    for (const sf of s.fields!) {
      if (sf.name === 'type' || sf.name === 'on_pid' || sf.bits !== null) continue;
      const type = types.field(sf.type, `${f.type.name}.${sf.name}`);
      if (type) fields.push({ js: camel(sf.name), c: sf.name, type });
    }
    out.push({ member: f.name, struct: f.type.name, types: evTypes, fields });
  }
  for (const [t, m] of Object.entries(events))
    if (!union.fields.some((f) => f.name === m)) throw new EventEmitError(`${t} → ${m} is not a member of union __gf_filter_event`);
  return out;
}

const doc = (text: string) => [{ description: text }];

export function emitEventTypes(ir: GpacIR, events: Record<string, string>): EmittedFile[] {
  const list = members(ir, events);
  const project = newProject();
  const sf = project.createSourceFile('/generated/event-fields.ts', '');
  sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: './value-types.js', namedImports: ['Fraction', 'Fraction64', 'Fraction64Input'] });

  const iface = (name: string, docs: string, props: OptionalKind<PropertySignatureStructure>[]): InterfaceDeclarationStructure => ({
    kind: StructureKind.Interface,
    isExported: true,
    name,
    docs: doc(docs),
    properties: props,
  });
  for (const m of list) {
    const used = `used by ${m.types.join(', ')}`;
    sf.addInterface(
      iface(m.struct, `Fields of ${m.struct} (union member \`${m.member}\`), as read from GPAC; ${used}.`,
        m.fields.map((f) => ({ name: f.js, type: f.type.read, isReadonly: false, docs: doc(`C field \`${f.c}\`.`) }))),
    );
    sf.addInterface(
      iface(`${m.struct}Init`, `Writable fields of ${m.struct}, all optional (unset fields are 0): what an event of this kind is made with.`,
        m.fields.filter((f) => f.type.write !== null).map((f) => ({ name: f.js, type: f.type.write!, hasQuestionToken: true }))),
    );
  }
  const byType = list.flatMap((m) => m.types.map((t) => [t, m.struct] as const)).sort((a, b) => compareStrings(a[0], b[0]));
  sf.addInterface(iface('FilterEventFieldsByType', 'GF_FEVT_* name → the fields of its event, as read.', byType.map(([t, s]) => ({ name: t, type: s }))));
  sf.addInterface(iface('FilterEventInitByType', 'GF_FEVT_* name → the fields an event of that type is made with.', byType.map(([t, s]) => ({ name: t, type: `${s}Init` }))));
  sf.addInterface(
    iface('FilterEventMembers', "libgpac.py's member names of GF_FilterEvent, camelCased (evt.play, evt.segSize …) → their fields.",
      list.map((m) => ({ name: camel(m.member), type: m.struct }))),
  );
  // A field name used by several members with different types gets the union of them.
  const merged = (pick: (t: FieldType) => string | null) => {
    const byName = new Map<string, Set<string>>();
    for (const m of list)
      for (const f of m.fields) {
        const t = pick(f.type);
        if (t === null) continue;
        if (!byName.has(f.js)) byName.set(f.js, new Set());
        for (const part of t.split(' | ')) byName.get(f.js)!.add(part);
      }
    return [...byName.keys()].sort(compareStrings).map((n) => ({ name: n, type: [...byName.get(n)!].join(' | '), hasQuestionToken: true }));
  };
  sf.addInterface(iface('FilterEventAnyFields', 'Every field of every event member (a field shared by several members has the union of their types), as read.', merged((t) => t.read)));
  sf.addInterface(iface('FilterEventAnyInit', 'Every writable field of every event member: what an event whose type is given as a number may carry.', merged((t) => t.write)));
  sf.formatText({ indentSize: 2, convertTabsToSpaces: true });
  const head = banner('events', 'ts', ir.gpac.version);
  return [{ path: 'generated/event-fields.ts', content: `${head}\n// Filter event fields (union __gf_filter_event), typed as the native reflection reads and writes them.\n\n${sf.getFullText()}` }];
}
