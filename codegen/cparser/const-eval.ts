// Integer/float/string constant-expression evaluator with C semantics on LP64 (GCC, x86_64):
// integer literal typing, integer promotions, usual arithmetic conversions, wrap-around at the
// type's width, casts through typedefs. BigInt keeps 64-bit values exact. In `#if` mode every
// integer is intmax_t / uintmax_t as the standard requires.

import { decodeEscapes, type Token } from './tokens.js';

export interface IntType {
  bits: number;
  unsigned: boolean;
}

export type CValue =
  | { kind: 'int'; v: bigint; t: IntType }
  | { kind: 'float'; v: number }
  | { kind: 'string'; v: string };

/** What a cast or sizeof type name resolves to. */
export type Scalar =
  | { kind: 'int'; t: IntType; size: number }
  | { kind: 'float'; size: number }
  | { kind: 'pointer'; size: number }
  | { kind: 'other'; size: number | null; what: string };

export interface EvalEnv {
  /** `#if` mode: identifiers evaluate to 0 and every integer is 64-bit. */
  pp: boolean;
  /** Value of an identifier (enum constant) in C mode. */
  ident?(name: string): CValue | undefined;
  /** If a type name starts at toks[i], returns what it is and the index just past it. */
  typeName?(toks: readonly Token[], i: number, end: number): { scalar: Scalar; next: number } | null;
}

/** Thrown for expressions that are not constant or not well formed; callers decide whether that is
 *  an error (enum values, #if) or just a macro that is not a constant (#define). */
export class NotConstant extends Error {
  constructor(
    message: string,
    readonly tok: Token | undefined,
  ) {
    super(message);
  }
}

export const INT: IntType = { bits: 32, unsigned: false };
export const UINT: IntType = { bits: 32, unsigned: true };
export const LONG: IntType = { bits: 64, unsigned: false };
export const ULONG: IntType = { bits: 64, unsigned: true };

export function wrap(v: bigint, t: IntType): bigint {
  return t.unsigned ? BigInt.asUintN(t.bits, v) : BigInt.asIntN(t.bits, v);
}

const fits = (v: bigint, t: IntType): boolean => wrap(v, t) === v;

export function mkInt(v: bigint, t: IntType): CValue {
  return { kind: 'int', v: wrap(v, t), t };
}

function promote(t: IntType): IntType {
  return t.bits < 32 ? INT : t;
}

function common(a: IntType, b: IntType): IntType {
  const x = promote(a);
  const y = promote(b);
  if (x.unsigned === y.unsigned) return x.bits >= y.bits ? x : y;
  const u = x.unsigned ? x : y;
  const s = x.unsigned ? y : x;
  if (u.bits >= s.bits) return u;
  return s; // the signed type is wider and holds every value of the unsigned one
}

/** Parses a C integer or floating literal (pp-number) with its C type. */
export function parseNumber(text: string, pp: boolean): CValue | null {
  const isHex = /^0[xX]/.test(text);
  const isFloat = isHex ? /[pP]/.test(text) : /[.eE]/.test(text);
  if (isFloat) {
    const m = /^(.*?)([fFlL]?)$/.exec(text);
    const body = m?.[1] ?? text;
    let v: number;
    if (isHex) {
      const hm = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
      if (!hm) return null;
      const intPart = hm[1] ?? '';
      const frac = hm[2] ?? '';
      const mant = parseInt(intPart + frac || '0', 16) / Math.pow(16, frac.length);
      v = mant * Math.pow(2, Number(hm[3]));
    } else {
      if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return null;
      v = Number(body);
    }
    if (m?.[2] === 'f' || m?.[2] === 'F') v = Math.fround(v);
    return { kind: 'float', v };
  }
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9]\d*)([uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/.exec(text);
  if (!m) return null;
  const digits = m[1] as string;
  const suffix = (m[2] ?? '').toLowerCase();
  let v: bigint;
  if (/^0[bB]/.test(digits)) v = BigInt(digits);
  else if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) v = BigInt('0o' + digits.slice(1));
  else v = BigInt(digits);
  const decimal = !/^0/.test(digits) || digits === '0';
  const unsigned = suffix.includes('u');
  const longs = suffix.replace('u', '');
  if (v > 0xffffffffffffffffn) return null;
  if (pp) return { kind: 'int', v, t: unsigned || v > 0x7fffffffffffffffn ? ULONG : LONG };
  // C11 6.4.4.1: the first type of the list that can represent the value
  const candidates: IntType[] = [];
  if (longs === '') {
    if (unsigned) candidates.push(UINT, ULONG);
    else if (decimal) candidates.push(INT, LONG);
    else candidates.push(INT, UINT, LONG, ULONG);
  } else if (unsigned) {
    candidates.push(ULONG);
  } else if (decimal) {
    candidates.push(LONG);
  } else {
    candidates.push(LONG, ULONG);
  }
  for (const t of candidates) if (fits(v, t)) return { kind: 'int', v, t };
  // GCC gives too-large decimal literals type unsigned long (with a warning)
  return { kind: 'int', v, t: ULONG };
}

/** Character constant: type int; plain char is signed on x86, multi-char constants pack bytes. */
export function parseChar(tok: Token): CValue {
  const m = /^(L|u8|u|U)?'(.*)'$/s.exec(tok.text);
  if (!m) throw new NotConstant(`malformed character constant ${tok.text}`, tok);
  const cps = decodeEscapes(m[2] ?? '', tok);
  if (cps.length === 0) throw new NotConstant(`empty character constant ${tok.text}`, tok);
  if (m[1]) {
    const wide: IntType = m[1] === 'L' ? INT : m[1] === 'u' ? { bits: 16, unsigned: true } : UINT;
    return mkInt(BigInt(cps[cps.length - 1] ?? 0), wide.bits < 32 ? INT : wide);
  }
  if (cps.length === 1) return mkInt(BigInt.asIntN(8, BigInt(cps[0] ?? 0)), INT);
  let v = 0n;
  for (const c of cps) v = (v << 8n) | BigInt(c & 0xff);
  return mkInt(v, INT);
}

export function parseString(tok: Token): string {
  const m = /^(?:L|u8|u|U)?"(.*)"$/s.exec(tok.text);
  if (!m) throw new NotConstant(`malformed string literal ${tok.text}`, tok);
  return String.fromCodePoint(...decodeEscapes(m[1] ?? '', tok));
}

const BIN_PREC: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

/** Evaluates toks[start, end) as one constant expression. */
export function evaluate(toks: readonly Token[], env: EvalEnv, start = 0, end = toks.length): CValue {
  const ev = new Evaluator(toks, env, start, end);
  if (start >= end) throw new NotConstant('empty expression', toks[start - 1]);
  const v = ev.comma(true);
  if (ev.pos < end) throw new NotConstant(`unexpected '${toks[ev.pos]?.text}' in constant expression`, toks[ev.pos]);
  return v;
}

const ZERO: CValue = { kind: 'int', v: 0n, t: INT };

class Evaluator {
  pos: number;
  constructor(
    private readonly toks: readonly Token[],
    private readonly env: EvalEnv,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  private peek(): Token | undefined {
    return this.pos < this.end ? this.toks[this.pos] : undefined;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) {
      const t = this.peek() ?? this.toks[this.end - 1];
      throw new NotConstant(`expected '${text}' but found '${this.peek()?.text ?? 'end of expression'}'`, t);
    }
    this.pos++;
  }

  private fail(msg: string, tok?: Token): never {
    throw new NotConstant(msg, tok ?? this.peek() ?? this.toks[this.end - 1]);
  }

  comma(live: boolean): CValue {
    let v = this.ternary(live);
    while (this.isPunct(',')) {
      this.pos++;
      v = this.ternary(live);
    }
    return v;
  }

  private ternary(live: boolean): CValue {
    const c = this.binary(1, live);
    if (!this.isPunct('?')) return c;
    this.pos++;
    const take = live ? truthy(c) : false;
    const a = this.comma(live && take);
    this.expect(':');
    const b = this.ternary(live && !take);
    if (!live) return ZERO;
    if (a.kind === 'int' && b.kind === 'int') {
      const t = this.env.pp ? (a.t.unsigned || b.t.unsigned ? ULONG : LONG) : common(a.t, b.t);
      return mkInt(take ? a.v : b.v, t);
    }
    if (a.kind === 'string' || b.kind === 'string') return take ? a : b;
    return { kind: 'float', v: toNum(take ? a : b) };
  }

  private binary(minPrec: number, live: boolean): CValue {
    let left = this.unary(live);
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'punct') return left;
      const prec = BIN_PREC[t.text];
      if (prec === undefined || prec < minPrec) return left;
      this.pos++;
      if (t.text === '&&' || t.text === '||') {
        const lt = live ? truthy(left) : false;
        const rightLive = live && (t.text === '&&' ? lt : !lt);
        const right = this.binary(prec + 1, rightLive);
        if (!live) left = ZERO;
        else if (t.text === '&&') left = mkInt(lt && truthy(right) ? 1n : 0n, this.env.pp ? LONG : INT);
        else left = mkInt(lt || (rightLive && truthy(right)) ? 1n : 0n, this.env.pp ? LONG : INT);
        continue;
      }
      const right = this.binary(prec + 1, live);
      left = live ? this.apply(t, left, right) : ZERO;
    }
  }

  private apply(op: Token, a: CValue, b: CValue): CValue {
    if (a.kind === 'string' || b.kind === 'string') this.fail(`operator '${op.text}' applied to a string`, op);
    const boolT = this.env.pp ? LONG : INT;
    if (a.kind === 'float' || b.kind === 'float') {
      const x = toNum(a);
      const y = toNum(b);
      switch (op.text) {
        case '*': return { kind: 'float', v: x * y };
        case '/': return { kind: 'float', v: x / y };
        case '+': return { kind: 'float', v: x + y };
        case '-': return { kind: 'float', v: x - y };
        case '<': return mkInt(x < y ? 1n : 0n, boolT);
        case '>': return mkInt(x > y ? 1n : 0n, boolT);
        case '<=': return mkInt(x <= y ? 1n : 0n, boolT);
        case '>=': return mkInt(x >= y ? 1n : 0n, boolT);
        case '==': return mkInt(x === y ? 1n : 0n, boolT);
        case '!=': return mkInt(x !== y ? 1n : 0n, boolT);
        default: this.fail(`operator '${op.text}' applied to a floating value`, op);
      }
    }
    if (op.text === '<<' || op.text === '>>') {
      const t = promote(a.t);
      const n = b.v;
      if (n < 0n || n >= BigInt(t.bits)) this.fail(`shift count ${n} out of range for a ${t.bits}-bit value`, op);
      return mkInt(op.text === '<<' ? a.v << n : a.v >> n, t);
    }
    const t = common(a.t, b.t);
    const x = wrap(a.v, t);
    const y = wrap(b.v, t);
    switch (op.text) {
      case '*': return mkInt(x * y, t);
      case '/':
        if (y === 0n) this.fail('division by zero', op);
        return mkInt(x / y, t);
      case '%':
        if (y === 0n) this.fail('division by zero', op);
        return mkInt(x % y, t);
      case '+': return mkInt(x + y, t);
      case '-': return mkInt(x - y, t);
      case '<': return mkInt(x < y ? 1n : 0n, boolT);
      case '>': return mkInt(x > y ? 1n : 0n, boolT);
      case '<=': return mkInt(x <= y ? 1n : 0n, boolT);
      case '>=': return mkInt(x >= y ? 1n : 0n, boolT);
      case '==': return mkInt(x === y ? 1n : 0n, boolT);
      case '!=': return mkInt(x !== y ? 1n : 0n, boolT);
      case '&': return mkInt(x & y, t);
      case '^': return mkInt(x ^ y, t);
      case '|': return mkInt(x | y, t);
      default: return this.fail(`unsupported operator '${op.text}'`, op);
    }
  }

  private unary(live: boolean): CValue {
    const t = this.peek();
    if (!t) this.fail('expression ends too early');
    if (t.kind === 'punct') {
      if (t.text === '+' || t.text === '-' || t.text === '~' || t.text === '!') {
        this.pos++;
        const v = this.unary(live);
        if (!live) return ZERO;
        if (v.kind === 'string') this.fail(`operator '${t.text}' applied to a string`, t);
        if (t.text === '!') return mkInt(truthy(v) ? 0n : 1n, this.env.pp ? LONG : INT);
        if (v.kind === 'float') {
          if (t.text === '~') this.fail("operator '~' applied to a floating value", t);
          return { kind: 'float', v: t.text === '-' ? -v.v : v.v };
        }
        const pt = promote(v.t);
        if (t.text === '+') return mkInt(v.v, pt);
        if (t.text === '-') return mkInt(-v.v, pt);
        return mkInt(~v.v, pt);
      }
      if (t.text === '(') {
        // a cast if a type name follows, else a parenthesized expression
        const ty = this.env.pp ? null : this.env.typeName?.(this.toks, this.pos + 1, this.end) ?? null;
        if (ty) {
          this.pos = ty.next;
          this.expect(')');
          const v = this.unary(live);
          return live ? this.cast(ty.scalar, v, t) : ZERO;
        }
        this.pos++;
        const v = this.comma(live);
        this.expect(')');
        return v;
      }
      this.fail(`unexpected '${t.text}' in constant expression`, t);
    }
    if (t.kind === 'ident' && t.text === 'sizeof' && !this.env.pp) {
      this.pos++;
      if (this.isPunct('(')) {
        const ty = this.env.typeName?.(this.toks, this.pos + 1, this.end) ?? null;
        if (ty) {
          this.pos = ty.next;
          this.expect(')');
          if (ty.scalar.size === null) this.fail(`sizeof of ${ty.scalar.kind === 'other' ? ty.scalar.what : 'type'} is unknown`, t);
          return mkInt(BigInt(ty.scalar.size), ULONG);
        }
      }
      this.fail('sizeof applied to an expression is not supported', t);
    }
    return this.primary(live);
  }

  private cast(s: Scalar, v: CValue, at: Token): CValue {
    if (v.kind === 'string') this.fail('cast of a string literal is not a constant', at);
    if (s.kind === 'int') {
      if (v.kind === 'float') {
        if (!Number.isFinite(v.v)) this.fail('cast of a non-finite float to an integer', at);
        return mkInt(BigInt(Math.trunc(v.v)), s.t);
      }
      return mkInt(v.v, s.t);
    }
    if (s.kind === 'float') {
      const n = toNum(v);
      return { kind: 'float', v: s.size === 4 ? Math.fround(n) : n };
    }
    return this.fail(`cast to ${s.kind === 'pointer' ? 'a pointer' : s.what} is not an arithmetic constant`, at);
  }

  private primary(live: boolean): CValue {
    const t = this.peek() as Token;
    this.pos++;
    switch (t.kind) {
      case 'number': {
        const v = parseNumber(t.text, this.env.pp);
        if (!v) this.fail(`invalid number '${t.text}'`, t);
        return v;
      }
      case 'char': {
        const v = parseChar(t);
        return this.env.pp && v.kind === 'int' ? mkInt(v.v, LONG) : v;
      }
      case 'string': {
        let s = parseString(t);
        while (this.peek()?.kind === 'string') s += parseString(this.toks[this.pos++] as Token);
        return { kind: 'string', v: s };
      }
      case 'ident': {
        if (this.env.pp) return mkInt(0n, LONG); // C11 6.10.1p4: remaining identifiers are 0
        const v = this.env.ident?.(t.text);
        if (v) return v;
        if (!live) return ZERO;
        return this.fail(`'${t.text}' is not a constant`, t);
      }
      default:
        return this.fail(`unexpected '${t.text}' in constant expression`, t);
    }
  }
}

function toNum(v: CValue): number {
  if (v.kind === 'float') return v.v;
  if (v.kind === 'int') return Number(v.v);
  throw new NotConstant('string used as a number', undefined);
}

function truthy(v: CValue): boolean {
  if (v.kind === 'int') return v.v !== 0n;
  if (v.kind === 'float') return v.v !== 0;
  return true; // a string literal is a non-null pointer
}
