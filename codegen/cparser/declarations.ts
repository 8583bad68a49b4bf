// Parser for file-scope C declarations over preprocessed tokens: typedefs, enums (values evaluated
// with C semantics), structs/unions (nested, anonymous, bitfields), function prototypes with
// function-pointer parameters and returns. Inline function bodies and initializers of static
// tables are skipped deliberately (and listed); anything else it does not understand is a
// CParseError naming the file, line and token.

import type { CParam, CType, IRConstant, IREnum, IRField, IRFunction, IRStruct, IRTypedef, SourceRef } from '../ir-types.js';
import { evaluate, INT, LONG, mkInt, NotConstant, UINT, ULONG, type CValue, type EvalEnv, type Scalar } from './const-eval.js';
import { failAt } from './errors.js';
import { BASIC_TYPES, LIBC_TYPES } from './system.js';
import { spell, type Token } from './tokens.js';

/** Something seen in a header but deliberately not turned into IR, with the reason. */
export interface SkippedDecl {
  name: string;
  reason: string;
  source: SourceRef;
}

type Named = { kind: 'named'; name: string; const?: boolean };

interface RecordInfo {
  kind: 'struct' | 'union';
  tag: string | null;
  fields: IRField[] | null;
  source: SourceRef;
  /** The type object every use shares; its name is set once the record is named. */
  ref: Named;
  children: { rec: RecordInfo | EnumInfo; field: string }[];
  named: boolean;
}

interface EnumInfo {
  kind: 'enum';
  tag: string | null;
  members: { name: string; value: bigint; source: SourceRef }[];
  source: SourceRef;
  ref: Named;
  children: never[];
  named: boolean;
  /** Typedef name, when the enum is defined inside a typedef. */
  typedefName: string | null;
}

interface Specifiers {
  base: CType;
  storage: Set<string>;
  /** An anonymous struct/union/enum defined in these specifiers, named once declarators are known. */
  anon: RecordInfo | EnumInfo | null;
  /** A tagged struct/union mentioned without a body (a forward declaration when alone). */
  mentioned: RecordInfo | null;
  start: Token;
}

interface Declarator {
  name: string | null;
  nameTok: Token | null;
  wrap(base: CType): CType;
}

const STORAGE = new Set([
  'typedef', 'extern', 'static', 'inline', '__inline', '__inline__', '_Noreturn', 'register', 'auto',
  '_Thread_local', '__thread',
]);
const QUALIFIERS = new Set(['const', '__const', 'volatile', '__volatile__', 'restrict', '__restrict', '__restrict__', '_Atomic']);
const TYPE_WORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', '__signed__', 'unsigned', '_Bool',
  '_Complex', '__int128',
]);
const ATTRIBUTES = new Set(['__attribute__', '__attribute', '__declspec', '_Alignas', '__asm__', '__asm', 'asm']);

export interface ParserHooks {
  /** Where a token comes from, as the IR wants it. */
  source(tok: Token): SourceRef;
  /** Whether declarations at this token go to the IR as public (false for override files). */
  isPublic(tok: Token): boolean;
  warn(message: string): void;
}

export class DeclParser {
  private toks: readonly Token[] = [];
  private pos = 0;
  private end = 0;
  readonly typedefs = new Map<string, IRTypedef>();
  readonly functions = new Map<string, IRFunction>();
  readonly skipped: SkippedDecl[] = [];
  readonly staticConstants: IRConstant[] = [];
  private readonly records = new Map<string, RecordInfo>(); // keyed by IR name
  private readonly tags = new Map<string, RecordInfo>(); // struct/union tag -> record
  private readonly enums: EnumInfo[] = [];
  private readonly enumTags = new Map<string, EnumInfo>();
  /** Enum constants seen so far, typed as GCC types them (int, else unsigned int, else long...). */
  readonly enumConsts = new Map<string, { value: CValue; info: EnumInfo; source: SourceRef }>();
  private externDepth = 0;
  /** const-qualified copies of record references whose name is decided later (see specifiers). */
  private readonly constUses: { from: Named; to: Named }[] = [];

  constructor(private readonly hooks: ParserHooks) {}

  parse(toks: readonly Token[]): void {
    this.toks = toks;
    this.pos = 0;
    this.end = toks.length;
    while (this.pos < this.end) this.external();
    if (this.externDepth) failAt(toks[toks.length - 1] as Token, 'unterminated extern "C" block');
  }

  // ---- token helpers ----

  private peek(k = 0): Token | undefined {
    return this.pos + k < this.end ? this.toks[this.pos + k] : undefined;
  }

  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }

  private lastTok(): Token {
    return (this.toks[Math.min(this.pos, this.end) - 1] ?? this.toks[0]) as Token;
  }

  private fail(message: string, tok?: Token): never {
    const t = tok ?? this.peek() ?? this.lastTok();
    return failAt(t, message);
  }

  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (!t || t.text !== text || (t.kind !== 'punct' && t.kind !== 'ident')) {
      this.fail(`expected '${text}' ${what}, found ${t ? `'${t.text}'` : 'end of input'}`);
    }
    this.pos++;
    return t;
  }

  /** Skips a balanced (...) / {...} / [...] group starting at the current token. */
  private skipBalanced(): void {
    const open = this.peek() as Token;
    const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
    const stack: string[] = [];
    do {
      const t = this.peek();
      if (!t) this.fail(`unbalanced '${open.text}' opened here`, open);
      this.pos++;
      if (t.kind !== 'punct') continue;
      if (pairs[t.text]) stack.push(pairs[t.text] as string);
      else if (t.text === ')' || t.text === '}' || t.text === ']') {
        if (stack.pop() !== t.text) this.fail(`mismatched '${t.text}' in group opened at line ${open.line}`, t);
      }
    } while (stack.length);
  }

  private skipAttributes(): void {
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'ident') return;
      if (t.text === '__extension__') {
        this.pos++;
        continue;
      }
      if (!ATTRIBUTES.has(t.text)) return;
      this.pos++;
      if (!this.is('(')) this.fail(`expected '(' after ${t.text}`);
      this.skipBalanced();
    }
  }

  // ---- types ----

  isTypeName(name: string): boolean {
    return this.typedefs.has(name) || LIBC_TYPES.has(name);
  }

  private startsType(t: Token | undefined): boolean {
    if (!t || t.kind !== 'ident') return false;
    return (
      TYPE_WORDS.has(t.text) || QUALIFIERS.has(t.text) || t.text === 'struct' || t.text === 'union' ||
      t.text === 'enum' || this.isTypeName(t.text)
    );
  }

  /** Resolves a type to what a cast or sizeof needs. */
  scalarOf(t: CType, seen = new Set<string>()): Scalar {
    switch (t.kind) {
      case 'pointer':
        return { kind: 'pointer', size: 8 };
      case 'array':
      case 'function':
        return { kind: 'other', size: null, what: t.kind };
      case 'named': {
        const basic = BASIC_TYPES.get(t.name) ?? LIBC_TYPES.get(t.name);
        if (basic) return basic;
        if (t.name.startsWith('enum ')) return { kind: 'int', t: INT, size: 4 };
        const td = this.typedefs.get(t.name);
        if (td && !seen.has(t.name)) {
          seen.add(t.name);
          return this.scalarOf(td.type, seen);
        }
        return { kind: 'other', size: null, what: t.name };
      }
    }
  }

  /** For the constant evaluator: a type name starting at toks[i]? */
  typeNameAt(toks: readonly Token[], i: number, end: number): { scalar: Scalar; next: number } | null {
    if (!this.startsType(toks[i])) return null;
    const saved = { toks: this.toks, pos: this.pos, end: this.end };
    this.toks = toks;
    this.pos = i;
    this.end = end;
    try {
      const spec = this.specifiers('cast');
      const d = this.declarator(true);
      if (d.name) this.fail(`unexpected name '${d.name}' in a type name`, d.nameTok ?? undefined);
      return { scalar: this.scalarOf(d.wrap(spec.base)), next: this.pos };
    } finally {
      this.toks = saved.toks;
      this.pos = saved.pos;
      this.end = saved.end;
    }
  }

  evalEnv(): EvalEnv {
    return {
      pp: false,
      ident: (name) => this.enumConsts.get(name)?.value,
      typeName: (toks, i, end) => this.typeNameAt(toks, i, end),
    };
  }

  private specifiers(ctx: 'file' | 'field' | 'param' | 'cast'): Specifiers {
    const start = this.peek() ?? this.lastTok();
    const storage = new Set<string>();
    const words: string[] = [];
    let named: CType | null = null;
    let isConst = false;
    let anon: RecordInfo | EnumInfo | null = null;
    let mentioned: RecordInfo | null = null;
    for (;;) {
      this.skipAttributes();
      const t = this.peek();
      if (!t) break;
      if (t.kind !== 'ident') {
        if (t.kind === 'other') this.fail(`unexpected character '${t.text}'`);
        break;
      }
      if (STORAGE.has(t.text)) {
        if (ctx === 'cast' || ctx === 'field') this.fail(`'${t.text}' is not allowed here`);
        storage.add(t.text === '__inline' || t.text === '__inline__' ? 'inline' : t.text);
        this.pos++;
        continue;
      }
      if (QUALIFIERS.has(t.text)) {
        if (t.text === 'const' || t.text === '__const') isConst = true;
        this.pos++;
        continue;
      }
      if (TYPE_WORDS.has(t.text)) {
        if (named) this.fail(`'${t.text}' cannot follow type '${typeText(named)}'`);
        words.push(t.text === '__signed__' ? 'signed' : t.text);
        this.pos++;
        continue;
      }
      if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') {
        if (named || words.length) this.fail(`'${t.text}' cannot follow another type specifier`);
        this.pos++;
        if (t.text === 'enum') {
          const e = this.enumSpecifier(t);
          named = e.ref;
          if (!e.named) anon = e;
        } else {
          const r = this.recordSpecifier(t.text, t);
          named = r.info.ref;
          if (!r.info.named) anon = r.info;
          if (!r.defined && ctx === 'file') mentioned = r.info;
        }
        continue;
      }
      // an identifier: a typedef name if no type was given yet, else the declarator's name
      if (named || words.length) break;
      if (this.isTypeName(t.text)) {
        named = { kind: 'named', name: t.text };
        this.pos++;
        continue;
      }
      this.fail(`unknown type name '${t.text}' (not a typedef seen so far nor a known C library type)`);
    }
    let base: CType;
    if (named) base = named;
    else if (words.length) base = { kind: 'named', name: canonicalBasic(words, (m) => this.fail(m, start)) };
    else this.fail(`expected a type, found '${this.peek()?.text ?? 'end of input'}'`);
    if (isConst) base = { ...base, const: true } as Named;
    // keep identity of record refs (their name is filled in later): a const use gets its own object
    // but must follow the same name, so it is linked through `constUses`
    if (isConst && named && (anon || (named as Named).name === '')) this.constUses.push({ from: named as Named, to: base as Named });
    return { base, storage, anon, mentioned, start };
  }

  private recordSpecifier(kind: string, kw: Token): { info: RecordInfo; defined: boolean } {
    this.skipAttributes();
    let tag: string | null = null;
    const tagTok = this.peek();
    if (tagTok?.kind === 'ident' && !ATTRIBUTES.has(tagTok.text)) {
      tag = tagTok.text;
      this.pos++;
    }
    this.skipAttributes();
    const k = kind as 'struct' | 'union';
    let info = tag ? this.tags.get(tag) : undefined;
    if (tag && info && info.kind !== k) this.fail(`'${tag}' declared as ${info.kind} and ${k}`, tagTok);
    if (!info) {
      info = {
        kind: k, tag, fields: null, source: this.hooks.source(tag ? (tagTok as Token) : kw),
        ref: { kind: 'named', name: tag ? `${k} ${tag}` : '' }, children: [], named: tag !== null,
      };
      if (tag) this.tags.set(tag, info);
    }
    if (!this.is('{')) {
      if (!tag) this.fail(`expected a tag or '{' after '${kind}'`);
      return { info, defined: false };
    }
    if (info.fields) this.fail(`redefinition of ${k} ${tag}`, tagTok);
    const fields: IRField[] = [];
    info.source = this.hooks.source(tag ? (tagTok as Token) : kw);
    this.pos++;
    while (!this.is('}')) {
      if (!this.peek()) this.fail(`unterminated ${kind} body opened at line ${kw.line}`, kw);
      if (this.is(';')) {
        this.pos++;
        continue;
      }
      const spec = this.specifiers('field');
      if (this.is(';')) {
        // C11 anonymous member: `union { ... };`
        if (!spec.anon || spec.anon.kind === 'enum') {
          // `struct x;` or `enum {...};` inside a struct declares nothing as a member
          if (spec.anon?.kind === 'enum') this.nameAnon(spec.anon, `<anon enum ${firstMember(spec.anon)}>`);
          this.pos++;
          continue;
        }
        info.children.push({ rec: spec.anon, field: String(fields.length) });
        fields.push({ name: '', type: spec.base, bits: null });
        this.pos++;
        continue;
      }
      for (;;) {
        let name = '';
        let type: CType = spec.base;
        if (!this.is(':')) {
          const d = this.declarator(false);
          name = d.name ?? '';
          type = d.wrap(spec.base);
        }
        let bits: number | null = null;
        if (this.is(':')) {
          const colon = this.expect(':', '');
          const exprStart = this.pos;
          this.skipExpression();
          bits = Number(this.evalInt(exprStart, this.pos, colon, 'bitfield width'));
        }
        this.skipAttributes();
        if (spec.anon && !spec.anon.named) info.children.push({ rec: spec.anon, field: name || String(fields.length) });
        fields.push({ name, type, bits });
        if (this.is(',')) {
          this.pos++;
          continue;
        }
        this.expect(';', `after member '${name}' of ${kind} ${tag ?? ''}`.trimEnd());
        break;
      }
    }
    this.pos++;
    this.skipAttributes();
    info.fields = fields;
    if (tag) {
      // a tagged definition has file scope wherever it appears; its anonymous members are named now
      this.registerRecord(info);
      for (const c of info.children) this.nameAnon(c.rec, `<anon ${c.rec.kind} ${tag}.${c.field}>`);
    }
    return { info, defined: true };
  }

  private enumSpecifier(kw: Token): EnumInfo {
    this.skipAttributes();
    let tag: string | null = null;
    const tagTok = this.peek();
    if (tagTok?.kind === 'ident' && !ATTRIBUTES.has(tagTok.text)) {
      tag = tagTok.text;
      this.pos++;
    }
    this.skipAttributes();
    if (!this.is('{')) {
      if (!tag) this.fail("expected a tag or '{' after 'enum'");
      const known = this.enumTags.get(tag);
      return known ?? { kind: 'enum', tag, members: [], source: this.hooks.source(tagTok as Token), ref: { kind: 'named', name: `enum ${tag}` }, children: [], named: true, typedefName: null };
    }
    if (tag && this.enumTags.get(tag)?.members.length) this.fail(`redefinition of enum ${tag}`, tagTok);
    const info: EnumInfo = {
      kind: 'enum', tag, members: [], source: this.hooks.source(tag ? (tagTok as Token) : kw),
      ref: { kind: 'named', name: tag ? `enum ${tag}` : '' }, children: [], named: false, typedefName: null,
    };
    if (tag) this.enumTags.set(tag, info);
    this.enums.push(info);
    this.pos++;
    let next = 0n;
    while (!this.is('}')) {
      const id = this.peek();
      if (!id) this.fail(`unterminated enum opened at line ${kw.line}`, kw);
      if (id.kind !== 'ident') this.fail(`expected an enumerator name, found '${id.text}'`);
      this.pos++;
      this.skipAttributes();
      let value = next;
      if (this.is('=')) {
        const eq = this.expect('=', '');
        const start = this.pos;
        this.skipExpression();
        value = this.evalInt(start, this.pos, eq, `value of ${id.text}`);
      }
      if (this.enumConsts.has(id.text)) this.fail(`redeclaration of enumerator '${id.text}'`, id);
      const source = this.hooks.source(id);
      info.members.push({ name: id.text, value, source });
      this.enumConsts.set(id.text, { value: enumValue(value), info, source });
      next = value + 1n;
      if (this.is(',')) this.pos++;
      else if (!this.is('}')) this.fail(`expected ',' or '}' after enumerator ${id.text}`);
    }
    this.pos++;
    this.skipAttributes();
    return info;
  }

  /** Advances over a constant expression up to ',' ';' '}' or ']' at depth 0 (or ':' for bitfields). */
  private skipExpression(): void {
    for (;;) {
      const t = this.peek();
      if (!t) return;
      if (t.kind === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') {
          this.skipBalanced();
          continue;
        }
        if (t.text === ',' || t.text === ';' || t.text === '}' || t.text === ']' || t.text === ')') return;
      }
      this.pos++;
    }
  }

  private evalInt(start: number, end: number, at: Token, what: string): bigint {
    if (start === end) this.fail(`missing expression for ${what}`, at);
    try {
      const v = evaluate(this.toks, this.evalEnv(), start, end);
      if (v.kind !== 'int') this.fail(`${what} is not an integer constant: ${spell(this.toks.slice(start, end))}`, at);
      return v.v;
    } catch (e) {
      if (e instanceof NotConstant) this.fail(`${what}: ${e.message} in '${spell(this.toks.slice(start, end))}'`, e.tok ?? at);
      throw e;
    }
  }

  // ---- declarators ----

  private declarator(abstract: boolean): Declarator {
    const ptrs: { const: boolean }[] = [];
    for (;;) {
      this.skipAttributes();
      if (!this.is('*')) break;
      this.pos++;
      const q = { const: false };
      for (;;) {
        this.skipAttributes();
        const t = this.peek();
        if (t?.kind === 'ident' && QUALIFIERS.has(t.text)) {
          if (t.text === 'const' || t.text === '__const') q.const = true;
          this.pos++;
          continue;
        }
        break;
      }
      ptrs.push(q);
    }
    let inner: Declarator | null = null;
    let name: string | null = null;
    let nameTok: Token | null = null;
    const t = this.peek();
    if (t && t.kind === 'punct' && t.text === '(' && this.isGrouping(abstract)) {
      this.pos++;
      inner = this.declarator(abstract);
      this.expect(')', 'to close a parenthesized declarator');
    } else if (t && t.kind === 'ident' && !ATTRIBUTES.has(t.text) && !(abstract && this.startsType(t))) {
      name = t.text;
      nameTok = t;
      this.pos++;
    } else if (!abstract) {
      this.fail(`expected a declarator name, found ${t ? `'${t.text}'` : 'end of input'}`);
    }
    const suffixes: ((base: CType) => CType)[] = [];
    for (;;) {
      this.skipAttributes();
      if (this.is('[')) {
        const open = this.pos;
        this.skipBalanced();
        const inside = this.toks.slice(open + 1, this.pos - 1).filter((x) => !(x.kind === 'ident' && (QUALIFIERS.has(x.text) || x.text === 'static')));
        const size = inside.length ? sourceSpelling(inside) : null;
        if (inside.length) {
          // the size must be a constant the evaluator understands, or the IR would carry garbage
          try {
            const v = evaluate(inside, this.evalEnv());
            if (v.kind !== 'int') this.fail(`array size '${size}' is not an integer`, this.toks[open]);
          } catch (e) {
            if (e instanceof NotConstant) this.fail(`array size '${size}': ${e.message}`, e.tok ?? this.toks[open]);
            throw e;
          }
        }
        suffixes.push((of) => ({ kind: 'array', of, size }));
        continue;
      }
      if (this.is('(')) {
        const { params, variadic } = this.parameters();
        suffixes.push((returns) => ({ kind: 'function', returns, params, variadic }));
        continue;
      }
      break;
    }
    return {
      name: inner ? inner.name : name,
      nameTok: inner ? inner.nameTok : nameTok,
      wrap: (base) => {
        let r = base;
        for (const p of ptrs) r = p.const ? { kind: 'pointer', to: r, const: true } : { kind: 'pointer', to: r };
        for (let i = suffixes.length - 1; i >= 0; i--) r = (suffixes[i] as (b: CType) => CType)(r);
        return inner ? inner.wrap(r) : r;
      },
    };
  }

  /** At '(' in declarator position: a parenthesized declarator, or (abstract only) a parameter list. */
  private isGrouping(abstract: boolean): boolean {
    if (!abstract) return true;
    const n = this.peek(1);
    if (!n) return false;
    if (n.kind === 'punct') return n.text === '*' || n.text === '(' || n.text === '[';
    if (n.kind === 'ident') return !this.startsType(n) && !ATTRIBUTES.has(n.text);
    return false;
  }

  private parameters(): { params: CParam[]; variadic: boolean } {
    const open = this.expect('(', 'to open a parameter list');
    const params: CParam[] = [];
    let variadic = false;
    if (this.is(')')) {
      this.pos++;
      return { params, variadic }; // `f()`: unspecified in C, treated as no parameters
    }
    if (this.is('void') && this.is(')', 1)) {
      this.pos += 2;
      return { params, variadic };
    }
    for (;;) {
      if (this.is('...')) {
        this.pos++;
        variadic = true;
        this.expect(')', "after '...'");
        return { params, variadic };
      }
      if (!this.peek()) this.fail(`unterminated parameter list opened at line ${open.line}`, open);
      const spec = this.specifiers('param');
      const d = this.declarator(true);
      params.push({ name: d.name, type: d.wrap(spec.base) });
      this.skipAttributes();
      if (this.is(',')) {
        this.pos++;
        continue;
      }
      this.expect(')', 'to close the parameter list');
      return { params, variadic };
    }
  }

  // ---- external declarations ----

  private external(): void {
    const t = this.peek() as Token;
    if (t.kind === 'punct' && t.text === ';') {
      this.pos++;
      return;
    }
    if (t.kind === 'punct' && t.text === '}' && this.externDepth > 0) {
      this.externDepth--;
      this.pos++;
      return;
    }
    if (t.kind === 'ident' && (t.text === '_Static_assert' || t.text === 'static_assert')) {
      this.pos++;
      this.skipBalanced();
      this.expect(';', 'after _Static_assert');
      return;
    }
    if (t.kind === 'ident' && t.text === 'extern' && this.peek(1)?.kind === 'string') {
      this.pos += 2;
      if (this.is('{')) {
        this.pos++;
        this.externDepth++;
      }
      return;
    }
    const spec = this.specifiers('file');
    const isTypedef = spec.storage.has('typedef');
    if (this.is(';')) {
      this.pos++;
      if (spec.anon) this.nameAnon(spec.anon, spec.anon.kind === 'enum' ? `<anon enum ${firstMember(spec.anon)}>` : this.anonHere(spec.anon, spec.start));
      if (spec.mentioned) this.registerRecord(spec.mentioned);
      return;
    }
    let first = true;
    for (;;) {
      const d = this.declarator(false);
      const name = d.name as string;
      const nameTok = d.nameTok as Token;
      const type = d.wrap(spec.base);
      this.skipAttributes();
      if (first && spec.anon) this.nameAnon(spec.anon, isTypedef ? name : spec.anon.kind === 'enum' ? `<anon enum ${firstMember(spec.anon)}>` : this.anonHere(spec.anon, spec.start), isTypedef);
      if (first && spec.mentioned && isTypedef) this.registerRecord(spec.mentioned);
      first = false;
      const source = this.hooks.source(nameTok);
      if (isTypedef) {
        this.addTypedef({ name, type, source }, nameTok);
      } else if (type.kind === 'function') {
        if (this.is('{')) {
          this.skipBalanced();
          this.skipped.push({ name, reason: `${spec.storage.has('static') ? 'static ' : ''}${spec.storage.has('inline') ? 'inline ' : ''}function definition in a header (body skipped)`, source });
          if (!spec.storage.has('static')) this.addFunction(name, type, nameTok, source);
          return;
        }
        if (spec.storage.has('static')) this.skipped.push({ name, reason: 'static function (not exported)', source });
        else this.addFunction(name, type, nameTok, source);
      } else {
        this.variable(name, type, spec, source);
      }
      if (this.is(',')) {
        this.pos++;
        continue;
      }
      this.expect(';', `after the declaration of '${name}'`);
      return;
    }
  }

  private variable(name: string, type: CType, spec: Specifiers, source: SourceRef): void {
    if (!this.is('=')) {
      this.skipped.push({ name, reason: `${spec.storage.has('extern') ? 'extern ' : ''}variable declaration (the IR has no variables)`, source });
      return;
    }
    const eq = this.expect('=', '');
    const start = this.pos;
    this.skipExpression();
    const scalar = this.scalarOf(type);
    const isConstScalar = type.kind === 'named' && type.const === true && scalar.kind === 'int';
    if (isConstScalar && spec.storage.has('static')) {
      // `static const unsigned int X = 7;` is a named integer constant as good as a #define
      const v = mkInt(this.evalInt(start, this.pos, eq, `initializer of ${name}`), scalar.t);
      if (v.kind === 'int') this.staticConstants.push(constantOf(name, v.v, null, source));
      return;
    }
    this.skipped.push({ name, reason: 'variable with an initializer (the IR has no variables)', source });
  }

  private anonHere(info: RecordInfo | EnumInfo, at: Token): string {
    const s = this.hooks.source(at);
    return `<anon ${info.kind} ${s.header}:${s.line}>`;
  }

  /** Names an anonymous record/enum and, recursively, the anonymous records nested in it. */
  private nameAnon(info: RecordInfo | EnumInfo, name: string, fromTypedef = false): void {
    if (info.kind === 'enum' && info.tag) {
      // a tagged enum keeps its tag as type name; a typedef only gives the IR enum its name
      if (fromTypedef && !info.typedefName) info.typedefName = name;
      info.named = true;
      return;
    }
    if (info.named) return;
    info.named = true;
    if (info.kind === 'enum') {
      info.typedefName = fromTypedef ? name : null;
      info.ref.name = fromTypedef ? `enum ${name}` : name;
      this.syncConst(info.ref);
      return;
    }
    info.ref.name = fromTypedef ? `${info.kind} ${name}` : name;
    this.syncConst(info.ref);
    this.registerRecord(info, name);
    for (const c of info.children) {
      this.nameAnon(c.rec, `<anon ${c.rec.kind} ${name}.${c.field}>`);
    }
  }

  private syncConst(ref: Named): void {
    for (const u of this.constUses) if (u.from === ref) u.to.name = ref.name;
  }

  private registerRecord(info: RecordInfo, anonName?: string): void {
    const name = info.tag ?? anonName;
    if (!name) return;
    const prev = this.records.get(name);
    if (prev && prev !== info) this.fail(`struct/union name '${name}' is used twice`, undefined);
    this.records.set(name, info);
  }

  private addTypedef(td: IRTypedef, at: Token): void {
    const prev = this.typedefs.get(td.name);
    if (prev) {
      if (JSON.stringify(prev.type) !== JSON.stringify(td.type)) {
        this.fail(`conflicting typedef '${td.name}' (first declared at ${prev.source.header}:${prev.source.line})`, at);
      }
      return;
    }
    this.typedefs.set(td.name, td);
  }

  private addFunction(name: string, type: CType & { kind: 'function' }, at: Token, source: SourceRef): void {
    const fn: IRFunction = { name, returns: type.returns, params: type.params, variadic: type.variadic, public: this.hooks.isPublic(at), source };
    const prev = this.functions.get(name);
    if (prev) {
      const same = JSON.stringify([prev.returns, prev.params.map((p) => p.type), prev.variadic]) === JSON.stringify([fn.returns, fn.params.map((p) => p.type), fn.variadic]);
      if (!same) this.hooks.warn(`${source.header}:${source.line}: ${name} redeclared differently than at ${prev.source.header}:${prev.source.line}; keeping the first declaration`);
      if (prev.public && !fn.public) this.hooks.warn(`${source.header}:${source.line}: override declares ${name}, which the public headers already declare at ${prev.source.header}:${prev.source.line}`);
      return;
    }
    this.functions.set(name, fn);
  }

  // ---- results ----

  structs(): IRStruct[] {
    return [...this.records.entries()].map(([name, r]) => ({ name, kind: r.kind, fields: r.fields, source: r.source }));
  }

  enumList(): { enums: IREnum[]; constants: IRConstant[] } {
    const enums: IREnum[] = [];
    const constants: IRConstant[] = [];
    for (const e of this.enums) {
      const name = e.typedefName ?? e.tag ?? (e.ref.name || `<anon enum ${firstMember(e)}>`);
      enums.push({ name, tag: e.tag, members: e.members.map((m) => ({ name: m.name, value: jsonInt(m.value) })), source: e.source });
      for (const m of e.members) constants.push(constantOf(m.name, m.value, name, m.source));
    }
    return { enums, constants };
  }
}

function firstMember(e: EnumInfo): string {
  return e.members[0]?.name ?? 'empty';
}

export function jsonInt(v: bigint): number | string {
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v.toString();
}

export function constantOf(name: string, v: bigint, enumName: string | null, source: SourceRef): IRConstant {
  const value = jsonInt(v);
  return { name, value, valueKind: typeof value === 'number' ? 'int' : 'bigint', enum: enumName, source };
}

/** GCC types an enumerator as int when it fits, else unsigned int, long, unsigned long. */
function enumValue(v: bigint): CValue {
  for (const t of [INT, UINT, LONG, ULONG]) {
    const c = mkInt(v, t);
    if (c.kind === 'int' && c.v === v) return c;
  }
  return mkInt(v, ULONG);
}

function typeText(t: CType): string {
  return t.kind === 'named' ? t.name : t.kind;
}

/** Source spelling of tokens, quoting each macro invocation once as written. */
export function sourceSpelling(toks: readonly Token[]): string {
  let s = '';
  let lastExp = -1;
  for (const t of toks) {
    if (t.exp) {
      if (t.exp.id === lastExp) continue;
      lastExp = t.exp.id;
      if (s && t.space) s += ' ';
      s += t.exp.text;
      continue;
    }
    lastExp = -1;
    if (s && t.space) s += ' ';
    s += t.text;
  }
  return s;
}

function canonicalBasic(words: string[], fail: (message: string) => never): string {
  const count = (w: string): number => words.filter((x) => x === w).length;
  const longs = count('long');
  const unsigned = count('unsigned') > 0;
  const signed = count('signed') > 0;
  const bad = (): never => fail(`invalid combination of type specifiers '${words.join(' ')}'`);
  if (unsigned && signed) bad();
  if (count('_Complex')) bad();
  const only = (...allowed: string[]): void => {
    for (const w of words) if (!allowed.includes(w)) bad();
  };
  if (count('void')) {
    only('void');
    return 'void';
  }
  if (count('_Bool')) {
    only('_Bool');
    return '_Bool';
  }
  if (count('char')) {
    only('char', 'signed', 'unsigned');
    return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  }
  if (count('float')) {
    only('float');
    return 'float';
  }
  if (count('double')) {
    only('double', 'long');
    return longs ? 'long double' : 'double';
  }
  if (count('__int128')) {
    only('__int128', 'signed', 'unsigned');
    return unsigned ? 'unsigned __int128' : '__int128';
  }
  if (count('short')) {
    only('short', 'int', 'signed', 'unsigned');
    return unsigned ? 'unsigned short' : 'short';
  }
  only('int', 'long', 'signed', 'unsigned');
  if (longs > 2) bad();
  const base = longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return unsigned ? `unsigned ${base}` : base;
}
