// A C preprocessor sufficient for GPAC's public headers: #include of gpac/ headers (system headers
// are skipped, their relevant macros are modelled in predefined.ts), include guards and
// #pragma once, object- and function-like macros (variadic, # and ##) expanded with hide sets
// (Prosser's algorithm, as in GCC), #undef, and #if/#ifdef/#ifndef/#elif/#else/#endif.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate, NotConstant } from './const-eval.js';
import { CParseError, failAt, type Loc } from './errors.js';
import { spell, tokenize, type Expansion, type Token } from './tokens.js';

export interface MacroDef {
  name: string;
  /** null for object-like macros. */
  params: string[] | null;
  variadic: boolean;
  body: Token[];
  file: string;
  line: number;
}

interface Cond {
  active: boolean;
  taken: boolean;
  parentActive: boolean;
  seenElse: boolean;
  loc: Loc;
}

interface Frame {
  file: string;
  toks: Token[];
  pos: number;
  conds: Cond[];
  /** Where this file was included from, for error messages. */
  from: Loc | null;
}

export interface PreprocessorOptions {
  includeRoot: string;
  /** Replaces the contents of a header, keyed by its path relative to includeRoot. */
  overrides?: Map<string, { text: string; why: string }>;
  warn(message: string): void;
}

const EMPTY_HIDE: ReadonlySet<string> = new Set();

export class Preprocessor {
  readonly macros = new Map<string, MacroDef>();
  /** Every gpac header that was read, relative to includeRoot. */
  readonly headersRead = new Set<string>();
  private readonly frames: Frame[] = [];
  private readonly pending: Token[] = [];
  private readonly once = new Set<string>();
  private readonly cache = new Map<string, Token[]>();
  private expansionId = 0;
  private readonly root: string;

  constructor(private readonly opts: PreprocessorOptions) {
    this.root = path.resolve(opts.includeRoot);
  }

  /** Defines macros from `#define` lines held in a string (predefined and system macros). */
  defineFromText(text: string, file: string): void {
    this.frames.push({ file, toks: tokenize(text, file), pos: 0, conds: [], from: null });
    const out = this.next();
    if (out) failAt(out, `unexpected text '${out.text}' in predefined macros`);
  }

  /** Preprocesses one file (absolute path) and returns its fully expanded tokens. */
  run(file: string, from: Loc | null = null): Token[] {
    this.pushFile(file, from);
    const out: Token[] = [];
    for (let t = this.next(); t; t = this.next()) out.push(t);
    return out;
  }

  /** Path relative to the include root when inside it, else the path as given. */
  relative(file: string): string {
    const rel = path.relative(this.root, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
  }

  private pushFile(file: string, from: Loc | null): void {
    if (this.once.has(file)) return;
    if (this.frames.length > 200) failAt(from ?? { file, line: 0 }, 'includes nested too deeply (more than 200 levels)');
    let toks = this.cache.get(file);
    if (!toks) {
      const rel = this.relative(file);
      const ov = this.opts.overrides?.get(rel);
      let text: string;
      if (ov) {
        text = ov.text;
      } else {
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          if (from) failAt(from, `cannot read ${file}: ${why}`);
          throw new CParseError(`cannot read header: ${why}`, file, 0);
        }
      }
      toks = tokenize(text, file);
      this.cache.set(file, toks);
      if (file.startsWith(this.root + path.sep)) this.headersRead.add(rel);
    }
    this.frames.push({ file, toks, pos: 0, conds: [], from });
  }

  // ---- raw token source: files, directives, conditional skipping ----

  private nextRaw(): Token | null {
    for (;;) {
      const f = this.frames[this.frames.length - 1];
      if (!f) return null;
      if (f.pos >= f.toks.length) {
        const open = f.conds[f.conds.length - 1];
        if (open) failAt(open.loc, 'unterminated conditional directive (#if without #endif)');
        this.frames.pop();
        continue;
      }
      const t = f.toks[f.pos] as Token;
      if (t.bol && t.kind === 'punct' && t.text === '#') {
        let end = f.pos + 1;
        while (end < f.toks.length && !(f.toks[end] as Token).bol) end++;
        const line = f.toks.slice(f.pos + 1, end);
        f.pos = end;
        this.directive(f, t, line);
        continue;
      }
      f.pos++;
      const c = f.conds[f.conds.length - 1];
      if (c && !c.active) continue;
      return t;
    }
  }

  private directive(f: Frame, hash: Token, line: Token[]): void {
    const name = line[0];
    const c = f.conds[f.conds.length - 1];
    const active = !c || c.active;
    if (!name) return; // null directive
    const rest = line.slice(1);
    switch (name.text) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let val = false;
        if (active) {
          if (name.text === 'if') val = this.evalIf(rest, name);
          else {
            const id = rest[0];
            if (!id || id.kind !== 'ident') failAt(name, `#${name.text} expects a macro name`);
            val = this.macros.has(id.text) === (name.text === 'ifdef');
          }
        }
        f.conds.push({ active: active && val, taken: !active || val, parentActive: active, seenElse: false, loc: name });
        return;
      }
      case 'elif': {
        if (!c) failAt(name, '#elif without #if');
        if (c.seenElse) failAt(name, '#elif after #else');
        if (!c.parentActive || c.taken) {
          c.active = false;
        } else {
          c.active = this.evalIf(rest, name);
          c.taken = c.active;
        }
        return;
      }
      case 'else':
        if (!c) failAt(name, '#else without #if');
        if (c.seenElse) failAt(name, '#else after #else');
        c.seenElse = true;
        c.active = c.parentActive && !c.taken;
        c.taken = true;
        return;
      case 'endif':
        if (!c) failAt(name, '#endif without #if');
        f.conds.pop();
        return;
    }
    if (!active) return; // any other directive in a skipped block is ignored, as in GCC
    switch (name.text) {
      case 'define':
        this.define(rest, name);
        return;
      case 'undef': {
        const id = rest[0];
        if (!id || id.kind !== 'ident') failAt(name, '#undef expects a macro name');
        this.macros.delete(id.text);
        return;
      }
      case 'include':
        this.include(rest, name);
        return;
      case 'include_next':
        return; // only system headers use it
      case 'error':
        failAt(name, `#error ${spell(rest)}`);
      // eslint-disable-next-line no-fallthrough
      case 'warning':
        this.opts.warn(`${name.file}:${name.line}: #warning ${spell(rest)}`);
        return;
      case 'pragma':
        if (rest[0]?.text === 'once') this.once.add(f.file);
        return;
      case 'line':
      case 'ident':
      case 'sccs':
        return;
      default:
        failAt(hash, `unknown preprocessor directive '#${name.text}'`);
    }
  }

  private define(rest: Token[], at: Token): void {
    const id = rest[0];
    if (!id || id.kind !== 'ident') failAt(at, '#define expects a macro name');
    let i = 1;
    let params: string[] | null = null;
    let variadic = false;
    const open = rest[1];
    if (open && open.text === '(' && !open.space) {
      params = [];
      i = 2;
      for (;;) {
        const p = rest[i];
        if (!p) failAt(id, `unterminated parameter list in #define ${id.text}`);
        if (p.text === ')' && params.length === 0 && !variadic) {
          i++;
          break;
        }
        if (p.text === '...') {
          params.push('__VA_ARGS__');
          variadic = true;
          i++;
        } else if (p.kind === 'ident') {
          params.push(p.text);
          i++;
          if (rest[i]?.text === '...') {
            variadic = true; // GNU named variadic parameter: `args...`
            i++;
          }
        } else {
          failAt(p, `unexpected '${p.text}' in parameter list of #define ${id.text}`);
        }
        const sep = rest[i];
        if (sep?.text === ')') {
          i++;
          break;
        }
        if (sep?.text !== ',' || variadic) failAt(sep ?? id, `expected ',' or ')' in parameter list of #define ${id.text}`);
        i++;
      }
    }
    const body = rest.slice(i);
    if (body[0]) body[0] = { ...body[0], space: false };
    this.macros.set(id.text, { name: id.text, params, variadic, body, file: id.file, line: id.line });
  }

  private include(rest: Token[], at: Token): void {
    let toks = rest;
    if (toks[0] && toks[0].kind !== 'string' && toks[0].text !== '<') toks = this.expandList(toks);
    const first = toks[0];
    let name: string;
    let quoted: boolean;
    if (first?.kind === 'string') {
      name = first.text.slice(1, -1);
      quoted = true;
    } else if (first?.text === '<') {
      const close = toks.findIndex((t) => t.text === '>');
      if (close < 0) failAt(at, "#include <...> without '>'");
      name = toks.slice(1, close).map((t) => t.text).join('');
      quoted = false;
    } else {
      failAt(at, `#include expects "file" or <file>, found '${spell(rest)}'`);
    }
    let file: string | null = null;
    if (quoted) {
      const local = path.resolve(path.dirname(at.file), name);
      if (local.startsWith(this.root + path.sep) && existsSync(local)) file = local;
    }
    if (!file && name.startsWith('gpac/')) {
      file = path.join(this.root, name);
      const overridden = this.opts.overrides?.has(name);
      if (!overridden && !existsSync(file)) failAt(at, `cannot find <${name}> under ${this.root}`);
    }
    if (!file) {
      return; // a system header: not followed (see system.ts)
    }
    this.pushFile(file, { file: at.file, line: at.line });
  }

  private evalIf(rest: Token[], at: Token): boolean {
    if (rest.length === 0) failAt(at, `#${at.text} with no expression`);
    const expanded = this.replaceDefined(this.expandList(this.replaceDefined(rest, at)), at);
    try {
      const v = evaluate(expanded, { pp: true });
      if (v.kind === 'string') failAt(at, `#${at.text} expression is a string`);
      return v.kind === 'int' ? v.v !== 0n : v.v !== 0;
    } catch (e) {
      if (e instanceof NotConstant) failAt(e.tok ?? at, `in #${at.text} ${spell(rest)}: ${e.message}`);
      throw e;
    }
  }

  /** `defined X` and `defined(X)` become 1 or 0 before macro expansion. */
  private replaceDefined(toks: Token[], at: Token): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.kind !== 'ident' || t.text !== 'defined') {
        out.push(t);
        continue;
      }
      let j = i + 1;
      const paren = toks[j]?.text === '(';
      if (paren) j++;
      const id = toks[j];
      if (!id || id.kind !== 'ident') failAt(at, `'defined' without a macro name in #${at.text}`);
      if (paren) {
        if (toks[j + 1]?.text !== ')') failAt(at, `missing ')' after defined(${id.text}`);
        j++;
      }
      out.push({ ...t, kind: 'number', text: this.macros.has(id.text) ? '1' : '0' });
      i = j;
    }
    return out;
  }

  // ---- macro expansion ----

  /** Next fully expanded token of the translation unit. */
  private next(): Token | null {
    return this.expandFrom(
      () => this.pending.pop() ?? this.nextRaw(),
      (t) => this.pending.push(t),
    );
  }

  /** Fully expands a finite token list in isolation (macro arguments, #if and #include lines). */
  expandList(toks: readonly Token[]): Token[] {
    const stack = [...toks].reverse();
    const out: Token[] = [];
    const take = (): Token | null => stack.pop() ?? null;
    const unread = (t: Token): void => void stack.push(t);
    for (let t = this.expandFrom(take, unread); t; t = this.expandFrom(take, unread)) out.push(t);
    return out;
  }

  private expandFrom(take: () => Token | null, unread: (t: Token) => void): Token | null {
    for (;;) {
      const t = take();
      if (!t) return null;
      if (t.kind !== 'ident') return t;
      if (t.text === '__LINE__') return { ...t, kind: 'number', text: String(t.line) };
      if (t.text === '__FILE__') return { ...t, kind: 'string', text: JSON.stringify(this.relative(t.file)) };
      const m = this.macros.get(t.text);
      if (!m || t.hide?.has(t.text)) return t;
      let result: Token[];
      const invocation: Token[] = [t];
      if (m.params === null) {
        result = this.substitute(m, t, [], withName(t.hide, m.name));
      } else {
        const open = take();
        if (!open || open.text !== '(' || open.kind !== 'punct') {
          if (open) unread(open);
          return t; // a function-like macro name not followed by '(' is an ordinary identifier
        }
        invocation.push(open);
        const args: Token[][] = [[]];
        let depth = 0;
        let close: Token | null = null;
        for (;;) {
          const a = take();
          if (!a) failAt(t, `unterminated invocation of macro ${m.name}`);
          invocation.push(a);
          if (a.kind === 'punct') {
            if (a.text === '(') depth++;
            else if (a.text === ')') {
              if (depth === 0) {
                close = a;
                break;
              }
              depth--;
            } else if (a.text === ',' && depth === 0 && !(m.variadic && args.length === m.params.length)) {
              args.push([]);
              continue;
            }
          }
          (args[args.length - 1] as Token[]).push(a);
        }
        if (m.params.length === 0 && args.length === 1 && (args[0] as Token[]).length === 0) args.length = 0;
        if (m.variadic && args.length === m.params.length - 1) args.push([]);
        if (args.length !== m.params.length) {
          failAt(t, `macro ${m.name} expects ${m.params.length} argument(s), got ${args.length}`);
        }
        const hs = withName(intersect(t.hide, close.hide), m.name);
        result = this.substitute(m, t, args, hs);
      }
      const exp: Expansion = t.exp ?? { id: ++this.expansionId, text: spell(invocation) };
      for (let i = result.length - 1; i >= 0; i--) {
        const r = result[i] as Token;
        unread({ ...r, exp, space: i === 0 ? t.space : r.space, bol: false });
      }
    }
  }

  private substitute(m: MacroDef, site: Token, args: Token[][], hs: ReadonlySet<string>): Token[] {
    const params = m.params ?? [];
    const out: Token[] = [];
    const body = m.body;
    const at = (tok: Token): Token => ({ ...tok, file: site.file, line: site.line });
    const paramIndex = (tok: Token | undefined): number =>
      tok && tok.kind === 'ident' ? params.indexOf(tok.text) : -1;
    const expandedArgs = new Map<number, Token[]>();
    for (let i = 0; i < body.length; i++) {
      const tok = body[i] as Token;
      if (tok.text === '#' && tok.kind === 'punct' && m.params !== null) {
        const pi = paramIndex(body[i + 1]);
        if (pi < 0) failAt(site, `'#' is not followed by a macro parameter in ${m.name}`);
        out.push({ ...at(tok), kind: 'string', text: stringify(args[pi] as Token[]) });
        i++;
        continue;
      }
      if (tok.text === '##' && tok.kind === 'punct') {
        const nextTok = body[i + 1];
        if (!nextTok || i === 0) failAt(site, `'##' at the edge of macro ${m.name}`);
        i++;
        const pi = paramIndex(nextTok);
        const rhs: Token[] = pi >= 0 ? [...(args[pi] as Token[])] : [at(nextTok)];
        // GNU comma elision: `, ## __VA_ARGS__` drops the comma when no variadic argument is given
        if (pi >= 0 && m.variadic && pi === params.length - 1 && rhs.length === 0 && out[out.length - 1]?.text === ',') {
          out.pop();
          continue;
        }
        const lhs = out.pop();
        if (!lhs) {
          out.push(...rhs);
          continue;
        }
        const first = rhs.shift();
        if (!first) {
          out.push(lhs);
          continue;
        }
        const pasted = tokenize(lhs.text + first.text, site.file);
        if (pasted.length !== 1) failAt(site, `pasting "${lhs.text}" and "${first.text}" in ${m.name} does not give a valid token`);
        out.push({ ...lhs, kind: (pasted[0] as Token).kind, text: (pasted[0] as Token).text }, ...rhs);
        continue;
      }
      const pi = paramIndex(tok);
      if (pi >= 0) {
        if (body[i + 1]?.text === '##') {
          const raw = [...(args[pi] as Token[])];
          if (raw[0]) raw[0] = { ...raw[0], space: tok.space };
          out.push(...raw);
        } else {
          let ex = expandedArgs.get(pi);
          if (!ex) {
            ex = this.expandList(args[pi] as Token[]);
            expandedArgs.set(pi, ex);
          }
          // argument tokens keep their own location (a multi-line invocation reports real lines)
          ex.forEach((e, k) => out.push(k === 0 ? { ...e, space: tok.space } : e));
        }
        continue;
      }
      out.push(at(tok));
    }
    return out.map((t) => ({ ...t, hide: union(t.hide, hs) }));
  }
}

function stringify(toks: Token[]): string {
  let s = '';
  for (const t of toks) {
    if (s && t.space) s += ' ';
    s += t.kind === 'string' || t.kind === 'char' ? t.text.replace(/[\\"]/g, '\\$&') : t.text;
  }
  return `"${s}"`;
}

function withName(h: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  const s = new Set(h ?? EMPTY_HIDE);
  s.add(name);
  return s;
}

function intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> {
  if (!a || !b) return EMPTY_HIDE;
  const s = new Set<string>();
  for (const x of a) if (b.has(x)) s.add(x);
  return s;
}

function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a || a.size === 0) return b;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}
