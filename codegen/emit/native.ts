// IR + codegen/native-api.json → generated/native/gpac_api.h and gpac_api.cc, the only view of libgpac the
// addon compiles against (no GPAC header is needed to build it):
//
//   - the C declarations of what the addon uses, pulled from the IR with the transitive closure of the
//     types they reference, in dependency order: complete definitions for types used by value (or listed
//     in 'types'), forward declarations for the rest;
//   - `struct GpacApi`, one function pointer per entry point, named like the C function, and
//     `gpac_api_bind(dl, missing)`, which fills the process-wide `gpac` table with dlsym;
//   - tables the addon reads at run time: the enums it exports to JavaScript, field layouts of the
//     structs in 'reflect' and of each filter event's member of union __gf_filter_event.
//
// Deterministic: every list follows the IR's or native-api.json's order. Anything the list names that the
// IR lacks is an error naming it, never a silent omission.

import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CParam, CType, GpacIR, IRConstant, IREnum, IRFunction, IRStruct, IRTypedef } from '../ir-types.js';
import { banner, type EmittedFile } from './common.js';

export interface NativeApiList {
  $comment?: string;
  /** libgpac functions the addon calls (also overrides.h entries, which the IR marks public: false). */
  functions: string[];
  /** Types the addon needs complete (typedef names or struct/union tags). */
  types?: string[];
  /** Enums emitted whole and exported to JavaScript (typedef names, or tags). */
  enums?: string[];
  /** Single constants: members of anonymous enums, or #defines. */
  constants?: string[];
  /** Structs (typedef names) that get a field table. */
  reflect?: string[];
  /** GF_FEVT_* name → member of union __gf_filter_event. */
  events?: Record<string, string>;
}

export class NativeEmitError extends Error {
  constructor(message: string) {
    super(`codegen (native): ${message}`);
    this.name = 'NativeEmitError';
  }
}

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');

/** C types and system typedefs that need no declaration of ours (the headers included cover them). */
const SYSTEM_TYPES = new Set([
  'void', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'unsigned',
  'signed', 'long', 'unsigned long', 'long long', 'unsigned long long', 'long int', 'unsigned long int',
  'long long int', 'unsigned long long int', 'short int', 'unsigned short int', 'float', 'double', 'long double',
  '_Bool', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'size_t',
  'ssize_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', 'FILE', 'va_list', 'time_t', 'off_t', 'wchar_t', 'pthread_t',
]);

const ANON = /^<anon (struct|union|enum) (.+)>$/;

interface Ctx {
  ir: GpacIR;
  typedefs: Map<string, IRTypedef>;
  structs: Map<string, IRStruct>;
  enums: Map<string, IREnum>;
  constants: Map<string, IRConstant>;
}

/** Where a named type leads: a typedef, a struct/union (by IR name), an enum, or a system type. */
type Resolved =
  | { kind: 'typedef'; def: IRTypedef }
  | { kind: 'record'; def: IRStruct; tag: string }
  | { kind: 'enum'; def: IREnum; tag: string }
  | { kind: 'system' };

function resolveName(ctx: Ctx, raw: string, where: string): Resolved {
  const name = raw.replace(/^const\s+/, '');
  if (SYSTEM_TYPES.has(name)) return { kind: 'system' };
  const m = /^(struct|union|enum)\s+(.+)$/.exec(name);
  if (m) {
    const [, kw, tag] = m as unknown as [string, string, string];
    if (kw === 'enum') {
      const def = ctx.enums.get(tag) ?? [...ctx.enums.values()].find((e) => e.tag === tag);
      if (!def) throw new NativeEmitError(`${where}: enum ${tag} is not in the IR`);
      return { kind: 'enum', def, tag };
    }
    const def = ctx.structs.get(tag);
    if (!def) throw new NativeEmitError(`${where}: ${kw} ${tag} is not in the IR`);
    return { kind: 'record', def, tag };
  }
  const anon = ANON.exec(name);
  if (anon) {
    const def = ctx.structs.get(name);
    if (!def) throw new NativeEmitError(`${where}: ${name} is not in the IR`);
    return { kind: 'record', def, tag: name };
  }
  const td = ctx.typedefs.get(name);
  if (td) return { kind: 'typedef', def: td };
  throw new NativeEmitError(`${where}: type ${name} is neither in the IR nor a known system type`);
}

/** C identifier for a struct tag (anonymous typedef'd structs get their typedef name as tag). */
function cTag(tag: string): string {
  return tag;
}

/** Renders a CType as a declaration (like cparser's declare(), plus anonymous member types inline). */
function declare(ctx: Ctx, t: CType, name: string, indent: string): string {
  return render(ctx, t, name, indent);
}

function render(ctx: Ctx, t: CType, inner: string, indent: string): string {
  switch (t.kind) {
    case 'named': {
      let base = t.name;
      const anon = ANON.exec(t.name);
      if (anon) base = recordBody(ctx, ctx.structs.get(t.name)!, indent, true);
      else if (/^(struct|union)\s/.test(t.name)) base = t.name.replace(/^(struct|union)\s+(.+)$/, (_m, kw: string, tag: string) => `${kw} ${cTag(tag)}`);
      if (t.const) base = `const ${base}`;
      return inner ? `${base} ${inner}` : base;
    }
    case 'pointer': {
      const star = t.const ? (inner ? `*const ${inner}` : '*const') : `*${inner}`;
      const needsParens = t.to.kind === 'array' || t.to.kind === 'function';
      return render(ctx, t.to, needsParens ? `(${star})` : star, indent);
    }
    case 'array':
      return render(ctx, t.of, `${inner}[${t.size ?? ''}]`, indent);
    case 'function':
      return render(ctx, t.returns, `${inner}(${params(ctx, t.params, t.variadic, indent)})`, indent);
  }
}

function params(ctx: Ctx, ps: readonly CParam[], variadic: boolean, indent: string): string {
  const parts = ps.map((p) => render(ctx, p.type, p.name ?? '', indent));
  if (variadic) parts.push('...');
  return parts.length ? parts.join(', ') : 'void';
}

/** `struct tag { fields }` (anonymous inline members: `union { … }`). */
function recordBody(ctx: Ctx, s: IRStruct, indent: string, anonymous: boolean): string {
  if (!s.fields) throw new NativeEmitError(`${s.kind} ${s.name} is opaque in the IR but needed complete`);
  const inner = indent + '  ';
  const fields = s.fields.map((f) => `${inner}${declare(ctx, f.type, f.name, inner)}${f.bits !== null ? ` : ${f.bits}` : ''};`);
  const head = anonymous ? s.kind : `${s.kind} ${cTag(s.name)}`;
  return `${head} {\n${fields.join('\n')}\n${indent}}`;
}

/** The ordered declarations (forward declarations first, then definitions in dependency order). */
class Closure {
  readonly forward = new Map<string, string>(); // tag → "struct tag;"
  readonly items: string[] = [];
  readonly macros = new Map<string, IRConstant>();
  readonly emittedEnums: IREnum[] = [];
  private readonly done = new Set<string>();
  private readonly visiting = new Set<string>();

  constructor(private readonly ctx: Ctx) {}

  /** Makes `t` usable: complete when `complete`, else declared (pointers need only a declaration). */
  need(t: CType, complete: boolean, where: string): void {
    switch (t.kind) {
      case 'named':
        return this.needName(t.name, complete, where);
      case 'pointer':
        return this.need(t.to, false, where);
      case 'array':
        if (t.size) this.needSize(t.size, where);
        return this.need(t.of, true, where);
      case 'function':
        this.need(t.returns, false, where);
        for (const p of t.params) this.need(p.type, false, where);
        return;
    }
  }

  /** Array sizes written with constants ("GF_4CC_MSIZE") need those constants defined. */
  private needSize(size: string, where: string): void {
    for (const id of size.match(/[A-Za-z_]\w*/g) ?? []) {
      const c = this.ctx.constants.get(id);
      if (!c) throw new NativeEmitError(`${where}: array size ${size} uses ${id}, which is not an IR constant`);
      this.macros.set(id, c);
    }
  }

  needName(name: string, complete: boolean, where: string): void {
    const r = resolveName(this.ctx, name, where);
    switch (r.kind) {
      case 'system':
        return;
      case 'enum':
        return this.enumDef(r.def);
      case 'typedef':
        return this.typedefDef(r.def, complete);
      case 'record':
        if (ANON.test(r.tag)) {
          // Inline member: its own fields must be usable where it is written.
          this.fieldDeps(r.def, `${where} > ${r.tag}`);
          return;
        }
        this.forward.set(r.tag, `${r.def.kind} ${cTag(r.tag)};`);
        if (complete) this.recordDef(r.def);
        return;
    }
  }

  private enumDef(e: IREnum): void {
    const key = `enum:${e.name}`;
    if (this.done.has(key)) return;
    this.done.add(key);
    this.emittedEnums.push(e);
    const anon = ANON.test(e.name);
    const tag = anon ? '' : ` ${e.tag ?? e.name}`;
    const members = e.members.map((m) => `  ${m.name} = ${enumValue(m.value)},`);
    this.items.push(`enum${tag} {\n${members.join('\n')}\n};`);
  }

  private typedefDef(td: IRTypedef, complete: boolean): void {
    const key = `typedef:${td.name}`;
    if (!this.done.has(key)) {
      if (this.visiting.has(key)) throw new NativeEmitError(`typedef ${td.name} depends on itself`);
      this.visiting.add(key);
      // The typedef itself only needs its target declared; completeness is asked for separately below.
      this.need(td.type, false, `typedef ${td.name}`);
      this.visiting.delete(key);
      this.done.add(key);
      this.items.push(`typedef ${declare(this.ctx, td.type, td.name, '')};`);
    }
    if (complete) this.need(td.type, true, `typedef ${td.name}`);
  }

  private fieldDeps(s: IRStruct, where: string): void {
    if (!s.fields) throw new NativeEmitError(`${where}: ${s.kind} ${s.name} is opaque in the IR but needed complete`);
    for (const f of s.fields) this.need(f.type, true, `${where}.${f.name}`);
  }

  private recordDef(s: IRStruct): void {
    const key = `record:${s.name}`;
    if (this.done.has(key)) return;
    if (this.visiting.has(key)) throw new NativeEmitError(`${s.kind} ${s.name} contains itself by value`);
    this.visiting.add(key);
    this.fieldDeps(s, `${s.kind} ${s.name}`);
    this.visiting.delete(key);
    this.done.add(key);
    this.items.push(`${recordBody(this.ctx, s, '', false)};`);
  }
}

function enumValue(v: number | string): string {
  const s = String(v);
  // Values above INT_MAX (4CCs with the high bit) keep their unsigned meaning in C++.
  return /^\d+$/.test(s) && BigInt(s) > 2147483647n ? `${s}u` : s;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function loadTemplate(file: string): Handlebars.TemplateDelegate {
  const hb = Handlebars.create();
  return hb.compile(readFileSync(join(TEMPLATES, file), 'utf8'), { noEscape: true, strict: true });
}

interface ReflectTable {
  struct: string;
  ident: string;
  fields: { c: string; js: string }[];
}

export function emitNative(ir: GpacIR, api: NativeApiList): EmittedFile[] {
  const ctx: Ctx = {
    ir,
    typedefs: new Map(ir.typedefs.map((t) => [t.name, t])),
    structs: new Map(ir.structs.map((s) => [s.name, s])),
    enums: new Map(ir.enums.map((e) => [e.name, e])),
    constants: new Map(ir.constants.map((c) => [c.name, c])),
  };
  const closure = new Closure(ctx);
  const byName = new Map(ir.functions.map((f) => [f.name, f]));

  const missingFns = api.functions.filter((n) => !byName.has(n));
  if (missingFns.length)
    throw new NativeEmitError(
      `codegen/native-api.json lists functions the IR does not declare: ${missingFns.join(', ')} ` +
        '(renamed or removed in this GPAC? for entry points libgpac exports without declaring them, add them to codegen/overrides.h)',
    );
  const fns: IRFunction[] = api.functions.map((n) => byName.get(n)!);
  for (const t of api.types ?? []) closure.needName(t, true, `native-api.json types: ${t}`);
  for (const f of fns) {
    closure.need(f.returns, false, `${f.name}()`);
    for (const p of f.params) closure.need(p.type, false, `${f.name}(${p.name ?? ''})`);
  }
  for (const e of api.enums ?? []) closure.needName(e.startsWith('enum ') ? e : e, true, `native-api.json enums: ${e}`);

  // Single constants: anonymous enum members become one anonymous enum; #defines become #defines.
  const singles: IRConstant[] = [];
  for (const name of api.constants ?? []) {
    const c = ctx.constants.get(name);
    if (!c) throw new NativeEmitError(`codegen/native-api.json constants: ${name} is not in the IR`);
    if (c.enum !== null && !ANON.test(c.enum)) closure.needName(c.enum, true, `constant ${name}`);
    else if (c.enum === null) closure.macros.set(name, c);
    else singles.push(c);
  }
  for (const c of closure.macros.values())
    if (c.valueKind === 'string' || c.valueKind === 'float')
      throw new NativeEmitError(`constant ${c.name}: only integer #defines can be emitted (it is ${c.valueKind})`);

  // Reflection tables: the listed structs, and each event member's struct.
  const eventUnion = ctx.structs.get('__gf_filter_event');
  const reflectNames = [...(api.reflect ?? [])];
  const eventRows: { type: string; member: string; ident: string }[] = [];
  if (api.events && Object.keys(api.events).length) {
    if (!eventUnion?.fields) throw new NativeEmitError('events: union __gf_filter_event is not complete in the IR');
    closure.needName('GF_FilterEvent', true, 'events');
    for (const [type, member] of Object.entries(api.events)) {
      if (!ctx.constants.has(type)) throw new NativeEmitError(`events: ${type} is not an IR constant`);
      const field = eventUnion.fields.find((f) => f.name === member);
      if (!field || field.type.kind !== 'named') throw new NativeEmitError(`events: ${type} → ${member} is not a member of union __gf_filter_event`);
      const tdName = field.type.name;
      if (!reflectNames.includes(tdName)) reflectNames.push(tdName);
      eventRows.push({ type, member, ident: ident(tdName) });
    }
  }
  const reflect: ReflectTable[] = reflectNames.map((name) => {
    const td = ctx.typedefs.get(name);
    if (!td || td.type.kind !== 'named') throw new NativeEmitError(`reflect: ${name} must be a typedef name of a struct`);
    closure.needName(name, true, `reflect ${name}`);
    const r = resolveName(ctx, td.type.name, `reflect ${name}`);
    if (r.kind !== 'record') throw new NativeEmitError(`reflect: ${name} is not a struct`);
    const fields = (r.def.fields ?? [])
      .filter((f) => f.bits === null && !(f.type.kind === 'named' && ANON.test(f.type.name)))
      .map((f) => ({ c: f.name, js: camel(f.name) }));
    return { struct: name, ident: ident(name), fields };
  });

  const exportedEnums = closure.emittedEnums.filter((e) => !ANON.test(e.name));
  const version = ir.gpac.version;
  const head = banner('native', 'ts', version);
  const data = {
    banner: head,
    version: JSON.stringify(version),
    abi: ir.gpac.abi,
    macros: [...closure.macros.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => ({ name: c.name, value: String(c.value) })),
    forward: [...closure.forward.values()],
    items: closure.items,
    singles: singles.map((c) => ({ name: c.name, value: enumValue(c.value) })),
    functions: fns.map((f) => ({
      name: f.name,
      decl: declare(ctx, { kind: 'pointer', to: { kind: 'function', returns: f.returns, params: f.params, variadic: f.variadic } }, f.name, '  '),
    })),
    enums: exportedEnums.map((e) => ({
      ident: ident(e.name),
      name: JSON.stringify(e.name),
      members: e.members.map((m) => ({ name: m.name, value: enumValue(m.value) })),
    })),
    singlesTable: singles.length > 0,
    singleRows: singles.map((c) => ({ name: c.name })),
    reflect,
    events: eventRows,
  };
  const h = loadTemplate('gpac_api.h.hbs')(data);
  const cc = loadTemplate('gpac_api.cc.hbs')(data);
  return [
    { path: 'generated/native/gpac_api.h', content: h },
    { path: 'generated/native/gpac_api.cc', content: cc },
  ];
}

function ident(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
