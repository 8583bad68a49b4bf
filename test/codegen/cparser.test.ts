// Tests of the C header parser (codegen/cparser): hand-written snippets for each construct, then
// (skipped visibly when absent) GPAC's real headers, a GCC cross-check of every constant, prototype
// and struct field, and the comparison with the constants libgpac.py hard-codes.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CType, IRConstant, IRStruct } from '../../codegen/ir-types.js';
import { evaluate, type CValue } from '../../codegen/cparser/const-eval.js';
import { CParseError, declare, parseHeaders, type HeaderSet } from '../../codegen/cparser/index.js';
import { compareWithPython, readPythonConstants } from '../../codegen/cparser/libgpac-py.js';
import { tokenize } from '../../codegen/cparser/tokens.js';
import { locateGpacPrefix } from '../../src/discovery.js';
import { run } from '../helpers/run.js';

// ---------------------------------------------------------------- helpers

const tmpRoots: string[] = [];
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

/** Writes header files (paths relative to the include root) into a fresh temporary include root. */
function includeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cparser-'));
  tmpRoots.push(root);
  mkdirSync(path.join(root, 'gpac'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const BASE_TYPES = `
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned char u8;
typedef double Double;
`;

/** Parses one snippet as gpac/test.h (with an empty configuration.h so no warning is produced). */
function parse(snippet: string, extra: Record<string, string> = {}, predefined?: Record<string, string>): HeaderSet {
  const root = includeRoot({ 'gpac/configuration.h': '', 'gpac/test.h': snippet, ...extra });
  return parseHeaders({ includeRoot: root, headers: ['gpac/test.h'], ...(predefined ? { predefined } : {}) });
}

function constant(set: HeaderSet, name: string): IRConstant {
  const c = set.constants.find((x) => x.name === name);
  if (!c) throw new Error(`constant ${name} not found; have: ${set.constants.map((x) => x.name).join(', ')}`);
  return c;
}

function values(set: HeaderSet, ...names: string[]): (number | string)[] {
  return names.map((n) => constant(set, n).value);
}

function struct(set: HeaderSet, name: string): IRStruct {
  const s = set.structs.find((x) => x.name === name);
  if (!s) throw new Error(`struct ${name} not found; have: ${set.structs.map((x) => x.name).join(', ')}`);
  return s;
}

function fieldDecls(set: HeaderSet, name: string): string[] {
  return (struct(set, name).fields ?? []).map((f) => declare(f.type, f.name) + (f.bits !== null ? ` : ${f.bits}` : ''));
}

function fnDecl(set: HeaderSet, name: string): string {
  const f = set.functions.find((x) => x.name === name);
  if (!f) throw new Error(`function ${name} not found`);
  return declare({ kind: 'function', returns: f.returns, params: f.params, variadic: f.variadic }, f.name);
}

function parseError(fn: () => unknown): CParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CParseError) return e;
    throw new Error(`expected a CParseError, got ${String(e)}`);
  }
  throw new Error('expected a CParseError, but parsing succeeded');
}

// ---------------------------------------------------------------- tokenizer

describe('tokenizer', () => {
  it('splits numbers, characters, strings, punctuators and keeps physical lines across splices and comments', () => {
    const src = [
      'a 0x1FUL 017 1.5e+3f 10LL',
      "'a' '\\0' '\\x41' \"s\\\"q\" // comment",
      '/* multi',
      '   line */ b <<= c->d ... ##',
      '#define X \\',
      '  42',
    ].join('\n');
    const toks = tokenize(src, 'f.h');
    expect(toks.map((t) => [t.kind, t.text, t.line])).toEqual([
      ['ident', 'a', 1], ['number', '0x1FUL', 1], ['number', '017', 1], ['number', '1.5e+3f', 1], ['number', '10LL', 1],
      ['char', "'a'", 2], ['char', "'\\0'", 2], ['char', "'\\x41'", 2], ['string', '"s\\"q"', 2],
      ['ident', 'b', 4], ['punct', '<<=', 4], ['ident', 'c', 4], ['punct', '->', 4], ['ident', 'd', 4], ['punct', '...', 4], ['punct', '##', 4],
      ['punct', '#', 5], ['ident', 'define', 5], ['ident', 'X', 5], ['number', '42', 6],
    ]);
    // the spliced `42` continues the directive line: it is not at the beginning of a logical line
    expect(toks[toks.length - 1]?.bol).toBe(false);
    expect(toks[16]?.bol).toBe(true);
  });

  it('reports an unterminated comment with file and line', () => {
    expect(() => tokenize('int a;\n/* oops', 'x.h')).toThrow(/x\.h:2: unterminated/);
  });
});

// ---------------------------------------------------------------- constant expressions

describe('constant expressions (C semantics, LP64)', () => {
  const ev = (src: string): CValue => evaluate(tokenize(src, 'e'), { pp: false });
  const int = (src: string): string => {
    const v = ev(src);
    if (v.kind !== 'int') throw new Error(`${src} is ${v.kind}`);
    return `${v.v}:${v.t.unsigned ? 'u' : 's'}${v.t.bits}`;
  };

  it('types literals and applies the usual arithmetic conversions', () => {
    expect(int('1 << 31')).toBe('-2147483648:s32'); // int wraps as GCC does
    expect(int('1u << 31')).toBe('2147483648:u32');
    expect(int('0x80000000')).toBe('2147483648:u32'); // hex literal too big for int is unsigned int
    expect(int('2147483648')).toBe('2147483648:s64'); // decimal literal goes to long
    expect(int('-1 < 0u')).toBe('0:s32'); // -1 converts to UINT_MAX
    expect(int('-1L < 0u')).toBe('1:s32'); // long holds every unsigned int
    expect(int('~0U')).toBe('4294967295:u32');
    expect(int('0xFFFFFFFFFFFFFFFFUL')).toBe('18446744073709551615:u64');
    expect(int('-7 / 2')).toBe('-3:s32');
    expect(int('-7 % 2')).toBe('-1:s32');
    expect(int('-8 >> 1')).toBe('-4:s32');
    expect(int("'\\xff'")).toBe('-1:s32'); // plain char is signed on x86
    expect(int("'ab'")).toBe(String(0x6162) + ':s32');
    expect(int('1 ? 2u : -1')).toBe('2:u32');
    expect(int('0 && 1/0')).toBe('0:s32'); // the unevaluated operand may divide by zero
  });

  it('evaluates floats and concatenates strings', () => {
    expect(ev('1.5e3 * 2')).toEqual({ kind: 'float', v: 3000 });
    expect(ev('"ab" "c\\n"')).toEqual({ kind: 'string', v: 'abc\n' });
  });

  it('rejects what is not a constant', () => {
    expect(() => ev('1 / 0')).toThrow(/division by zero/);
    expect(() => ev('x + 1')).toThrow(/'x' is not a constant/);
    expect(() => ev('1 << 40')).toThrow(/shift count 40 out of range/);
  });
});

// ---------------------------------------------------------------- enums

describe('enums', () => {
  it('evaluates expressions, references to earlier members and other constants, and implicit increments', () => {
    const set = parse(`${BASE_TYPES}
#define BASE 0x100
enum { K_OTHER = 7 };
typedef enum {
  E_A,            /* 0 */
  E_B = BASE + 1, /* 257 */
  E_C,            /* 258 */
  E_D = E_B * 2 | K_OTHER, /* 514|7 = 519 */
  E_E = -3,
  E_F,            /* -2 */
  E_G = (u32) -1, /* unsigned int: 4294967295 */
  E_H = 'x',
  E_I = sizeof(u64) << 1,
  E_J = E_C > E_B ? 10 : 20,
} MyEnum;
`);
    expect(values(set, 'E_A', 'E_B', 'E_C', 'E_D', 'E_E', 'E_F', 'E_G', 'E_H', 'E_I', 'E_J')).toEqual([
      0, 257, 258, 519, -3, -2, 4294967295, 120, 16, 10,
    ]);
    const e = set.enums.find((x) => x.name === 'MyEnum');
    expect(e?.members.map((m) => m.name)).toEqual(['E_A', 'E_B', 'E_C', 'E_D', 'E_E', 'E_F', 'E_G', 'E_H', 'E_I', 'E_J']);
    expect(constant(set, 'E_C').enum).toBe('MyEnum');
    expect(constant(set, 'E_C').source).toEqual({ header: 'gpac/test.h', line: 14 });
    expect(constant(set, 'K_OTHER').enum).toBe('<anon enum K_OTHER>');
    expect(set.typedefs.find((t) => t.name === 'MyEnum')?.type).toEqual({ kind: 'named', name: 'enum MyEnum' });
  });

  it('expands function-like macros (nested, 4CC) in enum values', () => {
    const set = parse(`${BASE_TYPES}
#define GF_4CC(a,b,c,d) ((((u32)a)<<24)|(((u32)b)<<16)|(((u32)c)<<8)|((u32)d))
#define TAG(x) GF_4CC('a','v','c',x)
#define TWICE(x) ((x) + (x))
enum __tagged {
  C_AVC1 = TAG('1'),
  C_PIDI = GF_4CC('P','I','D','I'),
  C_TW = TWICE(TWICE(3)),
};
typedef enum __tagged Tagged;
`);
    expect(values(set, 'C_AVC1', 'C_PIDI', 'C_TW')).toEqual([0x61766331, 0x50494449, 12]);
    const e = set.enums.find((x) => x.tag === '__tagged');
    expect(e?.name).toBe('__tagged'); // tag only: the later typedef does not rename it
    expect(set.typedefs.find((t) => t.name === 'Tagged')?.type).toEqual({ kind: 'named', name: 'enum __tagged' });
  });

  it('handles variadic macros with token pasting (GF_OPT_ENUM in setup.h)', () => {
    const set = parse(`${BASE_TYPES}
#define GF_OPT_ENUM(name, ...) typedef enum { __VA_ARGS__ } name##_t; typedef u32 name
GF_OPT_ENUM (GF_Mode,
  MODE_A = 0,
  MODE_B,
  MODE_C = 1<<4
);
#define STR(x) #x
#define NAME_STR STR(hello world)
`);
    expect(values(set, 'MODE_A', 'MODE_B', 'MODE_C')).toEqual([0, 1, 16]);
    expect(constant(set, 'MODE_C').source.line).toBe(13); // macro arguments keep their own lines
    expect(set.enums.map((e) => e.name)).toEqual(['GF_Mode_t']);
    expect(set.typedefs.find((t) => t.name === 'GF_Mode')?.type).toEqual({ kind: 'named', name: 'u32' });
    expect(constant(set, 'NAME_STR').value).toBe('hello world');
  });

  it('fails with file:line on an enum value it cannot evaluate', () => {
    const err = parseError(() => parse('enum {\n A = 1,\n B = unknown_thing + 1\n};'));
    expect(err.file).toMatch(/gpac[/\\]test\.h$/);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/test\.h:3: value of B: 'unknown_thing' is not a constant/);
  });
});

// ---------------------------------------------------------------- #define constants

describe('#define constants', () => {
  it('evaluates 64-bit, cast, float and string macros exactly and skips the rest', () => {
    const set = parse(`${BASE_TYPES}
#define NO_TS 0xFFFFFFFFFFFFFFFFUL
#define BIG ((u64)1 << 40)
#define BIGGER ((u64)1 << 60)
#define NEG64 (-0x7FFFFFFFFFFFFFFFLL - 1)
#define MINUS_ONE_U32 ((u32) -1)
#define MINUS_ONE_S32 ((s32) 0xFFFFFFFF)
#define TRUNC ((u8) 0x1234)
#define FLAGS (1<<3 | 1<<1)
#define NOT_FLAGS (~FLAGS & 0xFF)
#define HALF 0.5
#define DMAX ((Double) 1e300 * 10)
#define VERSION_STR "1." "2"
#define EMPTY
#define FUNC(x) (x)
#define TYPE u32
#define CODE do { } while (0)
`);
    expect(constant(set, 'NO_TS')).toMatchObject({ value: '18446744073709551615', valueKind: 'bigint', enum: null });
    expect(constant(set, 'BIG')).toMatchObject({ value: 1099511627776, valueKind: 'int' });
    expect(constant(set, 'BIGGER')).toMatchObject({ value: '1152921504606846976', valueKind: 'bigint' });
    expect(constant(set, 'NEG64')).toMatchObject({ value: '-9223372036854775808', valueKind: 'bigint' });
    expect(values(set, 'MINUS_ONE_U32', 'MINUS_ONE_S32', 'TRUNC', 'FLAGS', 'NOT_FLAGS')).toEqual([4294967295, -1, 0x34, 10, 245]);
    expect(constant(set, 'HALF')).toMatchObject({ value: 0.5, valueKind: 'float' });
    expect(constant(set, 'DMAX')).toMatchObject({ value: 1e301, valueKind: 'float' });
    expect(constant(set, 'VERSION_STR')).toMatchObject({ value: '1.2', valueKind: 'string' });
    for (const n of ['EMPTY', 'FUNC', 'TYPE', 'CODE']) expect(set.constants.some((c) => c.name === n)).toBe(false);
    expect(set.skippedMacros.map((s) => s.name)).toEqual(['CODE', 'EMPTY', 'TYPE']); // FUNC: function-like
    expect(set.constants.map((c) => c.name)).toEqual([...set.constants.map((c) => c.name)].sort());
  });

  it('resolves enum members and static const scalars, and stops self-referencing macros (hide sets)', () => {
    const set = parse(`${BASE_TYPES}
enum { E_ONE = 1, E_TWO };
#define ALIAS_TWO E_TWO
#define SUM (ALIAS_TWO + E_ONE)
static const unsigned int TABLE_NB = 7;
static const u8 SMALL = 0x1FF;
static const unsigned int TABLE[] = { 1, 2, 3 };
#define foo foo
#define ping pong
#define pong ping
#define f(x) (x + f(x))
#define USE_F f(1)
`);
    expect(constant(set, 'ALIAS_TWO')).toMatchObject({ value: 2, enum: null });
    expect(values(set, 'SUM', 'TABLE_NB', 'SMALL')).toEqual([3, 7, 0xff]);
    expect(set.skipped.map((x) => [x.name, x.reason])).toEqual([['TABLE', 'variable with an initializer (the IR has no variables)']]);
    const reasons = Object.fromEntries(set.skippedMacros.map((m) => [m.name, m.reason]));
    expect(reasons).toEqual({
      foo: "not a constant: 'foo' is not a constant",
      ping: "not a constant: 'ping' is not a constant",
      pong: "not a constant: 'pong' is not a constant",
      USE_F: "not a constant: 'f' is not a constant",
    });
  });
});

// ---------------------------------------------------------------- conditionals

describe('conditional compilation', () => {
  it('honours #if/#elif/#else with defined() and integer expressions, and the GCC/Linux predefines', () => {
    const set = parse(`${BASE_TYPES}
#define LEVEL 2
#if defined(NOPE) || LEVEL > 3
#define PICK 1
#elif defined LEVEL && (LEVEL * 2 == 4) && !defined(NOPE)
#define PICK 2
#else
#define PICK 3
#endif
#ifdef __cplusplus
extern "C" {
#define CPP 1
#endif
#if defined(__linux__) && defined(__x86_64__) && __LP64__ && __GNUC__ >= 4
#define LINUX64 1
#endif
#if 0
this is not C at all { ' unbalanced
#if garbage ((
#endif
#elif UNDEFINED_IS_ZERO
#define WRONG 1
#endif
#ifndef FROM_CLI
#define FROM_CLI_MISSING 1
#endif
#ifdef __cplusplus
}
#endif
`, {}, { FROM_CLI: '5' });
    expect(constant(set, 'PICK').value).toBe(2);
    expect(constant(set, 'LINUX64').value).toBe(1);
    expect(set.constants.some((c) => ['CPP', 'WRONG', 'FROM_CLI_MISSING'].includes(c.name))).toBe(false);
  });

  it('reports #error, unbalanced #endif and an unterminated #if with file:line', () => {
    expect(parseError(() => parse('\n#error "unsupported platform"\n')).message).toMatch(/test\.h:2: #error "unsupported platform"/);
    expect(parseError(() => parse('#endif\n')).message).toMatch(/test\.h:1: #endif without #if/);
    expect(parseError(() => parse('int x;\n#if 1\n')).message).toMatch(/test\.h:2: unterminated conditional/);
    expect(parseError(() => parse('#frobnicate\n')).message).toMatch(/unknown preprocessor directive '#frobnicate'/);
  });
});

// ---------------------------------------------------------------- includes

describe('#include', () => {
  it('follows gpac/ headers once (guards and #pragma once), skips system headers, uses configuration.h', () => {
    const root = includeRoot({
      'gpac/configuration.h': '#define GPAC_DISABLE_DOC\n',
      'gpac/a.h': '#ifndef A_H\n#define A_H\n#include <stdio.h>\n#include <gpac/configuration.h>\n#include "b.h"\ntypedef int a_t;\n#endif\n',
      'gpac/b.h': '#pragma once\ntypedef int b_t;\n',
      'gpac/c.h': '#include <gpac/a.h>\n#include <gpac/b.h>\n#include <gpac/a.h>\n#ifdef GPAC_DISABLE_DOC\ntypedef int nodoc_t;\n#endif\n',
    });
    const set = parseHeaders({ includeRoot: root, headers: ['gpac/c.h', 'gpac/a.h'] });
    expect(set.typedefs.map((t) => t.name)).toEqual(['a_t', 'b_t', 'nodoc_t']);
    expect(set.headersRead).toEqual(['gpac/a.h', 'gpac/b.h', 'gpac/c.h', 'gpac/configuration.h']);
    expect(set.warnings).toEqual([]);
  });

  it('falls back to an empty configuration.h with a warning when it is missing or the static one', () => {
    const missing = includeRoot({ 'gpac/x.h': '#include <gpac/configuration.h>\ntypedef int x_t;\n' });
    const r1 = parseHeaders({ includeRoot: missing, headers: ['gpac/x.h'] });
    expect(r1.warnings.join('\n')).toMatch(/configuration\.h is missing.*empty configuration\.h/);
    const staticCfg = includeRoot({
      'gpac/configuration.h': '#define GPAC_CONFIGURATION "(static configuration file)"\n#error "Unknown target platform used with static configuration file"\n',
      'gpac/x.h': '#include <gpac/configuration.h>\ntypedef int x_t;\n',
    });
    const r2 = parseHeaders({ includeRoot: staticCfg, headers: ['gpac/x.h'] });
    expect(r2.warnings.join('\n')).toMatch(/static multi-platform fallback/);
    expect(r2.typedefs.map((t) => t.name)).toEqual(['x_t']);
    // an explicit configure output replaces it
    const cfg = path.join(staticCfg, 'config.h');
    writeFileSync(cfg, '#define GPAC_HAS_SSL\n#define GPAC_SCHED_DEFAULT "free"\n');
    const r3 = parseHeaders({ includeRoot: staticCfg, headers: ['gpac/x.h'], configuration: cfg });
    expect(r3.warnings).toEqual([]);
    expect(constant(r3, 'GPAC_SCHED_DEFAULT').value).toBe('free');
  });

  it('fails with file:line when a gpac header is missing', () => {
    const err = parseError(() => parse('\n#include <gpac/nothere.h>\n'));
    expect(err.message).toMatch(/test\.h:2: cannot find <gpac\/nothere\.h>/);
  });
});

// ---------------------------------------------------------------- structs and unions

describe('structs and unions', () => {
  it('parses nested anonymous unions/structs, C11 anonymous members, arrays with constant sizes', () => {
    const set = parse(`${BASE_TYPES}
#define NAME_SIZE 8
typedef struct { s32 num; u32 den; } Frac;
typedef struct __prop_val GF_PropertyValue;
struct __prop_val {
  u32 type;
  union {
    u64 longuint;
    Frac frac;
    char *string;
    struct { u32 nb; u32 *vals; } uint_list;
  } value;
  union { u32 a; float b; };
  char name[NAME_SIZE * 2];
  u8 matrix[3][4];
  const char *const labels[2];
};
typedef struct __opaque GF_Opaque;
struct __fwd;
`);
    expect(fieldDecls(set, '__prop_val')).toEqual([
      'u32 type',
      '<anon union __prop_val.value> value',
      '<anon union __prop_val.2>',
      'char name[NAME_SIZE * 2]',
      'u8 matrix[3][4]',
      'const char *const labels[2]',
    ]);
    expect(fieldDecls(set, '<anon union __prop_val.value>')).toEqual([
      'u64 longuint', 'Frac frac', 'char *string', '<anon struct <anon union __prop_val.value>.uint_list> uint_list',
    ]);
    expect(fieldDecls(set, '<anon struct <anon union __prop_val.value>.uint_list>')).toEqual(['u32 nb', 'u32 *vals']);
    expect(struct(set, '<anon union __prop_val.2>').kind).toBe('union');
    expect(fieldDecls(set, 'Frac')).toEqual(['s32 num', 'u32 den']);
    expect(set.typedefs.find((t) => t.name === 'Frac')?.type).toEqual({ kind: 'named', name: 'struct Frac' });
    expect(struct(set, '__opaque').fields).toBeNull();
    expect(struct(set, '__fwd').fields).toBeNull();
    expect(struct(set, '__prop_val').source).toEqual({ header: 'gpac/test.h', line: 12 });
  });

  it('names anonymous structs after their typedef, also when const-qualified or reached through a pointer', () => {
    const set = parse(`${BASE_TYPES}
typedef const struct { u32 a; } ConstS, *ConstSPtr;
typedef struct { struct { u32 x; } *inner; } Outer;
`);
    expect(set.typedefs.map((t) => [t.name, declare(t.type, null)])).toEqual([
      ['ConstS', 'const struct ConstS'],
      ['ConstSPtr', 'const struct ConstS *'],
      ['Double', 'double'],
      ['Outer', 'struct Outer'],
      ['s32', 'int'],
      ['s64', 'long long'],
      ['u32', 'unsigned int'],
      ['u64', 'unsigned long long'],
      ['u8', 'unsigned char'],
    ]);
    expect(fieldDecls(set, 'Outer')).toEqual(['<anon struct Outer.inner> *inner']);
    expect(fieldDecls(set, '<anon struct Outer.inner>')).toEqual(['u32 x']);
  });

  it('parses a union of structs (GF_FilterEvent) and bitfields', () => {
    const set = parse(`${BASE_TYPES}
typedef struct { u32 type; } EvtBase;
typedef struct { u32 type; Double start; } EvtPlay;
typedef union __evt { EvtBase base; EvtPlay play; } Evt;
typedef struct {
  u32 flag : 1;
  u32 kind : 3 + 1;
  u32 : 0;
  unsigned int big : 27, other : 5;
} Bits;
`);
    expect(fieldDecls(set, '__evt')).toEqual(['EvtBase base', 'EvtPlay play']);
    expect(struct(set, '__evt').kind).toBe('union');
    expect(fieldDecls(set, 'Bits')).toEqual(['u32 flag : 1', 'u32 kind : 4', 'u32 : 0', 'unsigned int big : 27', 'unsigned int other : 5']);
  });

  it('rejects a member it cannot parse, naming file and line', () => {
    const err = parseError(() => parse(`${BASE_TYPES}\nstruct s {\n  u32 a;\n  u32 b c;\n};\n`));
    expect(err.line).toBe(11);
    expect(err.message).toMatch(/expected ';' after member 'b' of struct s, found 'c'/);
  });
});

// ---------------------------------------------------------------- functions

describe('functions and function pointers', () => {
  it('parses prototypes with function-pointer parameters, typedefs and returns, and renders them back', () => {
    const set = parse(`${BASE_TYPES}
typedef enum { GF_OK = 0 } GF_Err;
typedef struct __filter GF_Filter;
#define GF_EXPORT __attribute__((visibility("default")))
typedef void (*gf_log_cbk)(void *cbck, u32 log_level, const char *fmt, ...);
typedef GF_Err (*proc_t)(GF_Filter *);
GF_EXPORT GF_Err gf_filter_set_process_ckb(GF_Filter *filter, GF_Err (*process_cbk)(GF_Filter *filter) );
void (*gf_get_cbk(u32 which))(void *udta, GF_Err e);
const char *gf_error_to_string(GF_Err e) __attribute__((deprecated));
unsigned long long gf_sys_clock_high_res(void);
long long gf_f64(const unsigned int a, signed char b, short c, long d, unsigned e);
u32 gf_list_count(const void *ptr);
void gf_log(const char *fmt, ...);
char *gf_strdup(const char *str);
void gf_set(u8 matrix[4][4], proc_t cbs[], gf_log_cbk log);
u32 gf_noproto();
static inline u32 gf_inline(u32 a) { if (a) { return a + 1; } return 0; }
`);
    expect(set.typedefs.find((t) => t.name === 'gf_log_cbk')?.type).toMatchObject({ kind: 'pointer', to: { kind: 'function', variadic: true } });
    expect(declare(set.typedefs.find((t) => t.name === 'gf_log_cbk')?.type as CType, 'cbk')).toBe(
      'void (*cbk)(void *cbck, u32 log_level, const char *fmt, ...)',
    );
    expect(declare(set.typedefs.find((t) => t.name === 'proc_t')?.type as CType, null)).toBe('GF_Err (*)(GF_Filter *)');
    expect(fnDecl(set, 'gf_filter_set_process_ckb')).toBe('GF_Err gf_filter_set_process_ckb(GF_Filter *filter, GF_Err (*process_cbk)(GF_Filter *filter))');
    expect(fnDecl(set, 'gf_get_cbk')).toBe('void (*gf_get_cbk(u32 which))(void *udta, GF_Err e)');
    expect(fnDecl(set, 'gf_error_to_string')).toBe('const char *gf_error_to_string(GF_Err e)');
    expect(fnDecl(set, 'gf_sys_clock_high_res')).toBe('unsigned long long gf_sys_clock_high_res(void)');
    expect(fnDecl(set, 'gf_f64')).toBe('long long gf_f64(const unsigned int a, signed char b, short c, long d, unsigned int e)');
    expect(fnDecl(set, 'gf_log')).toBe('void gf_log(const char *fmt, ...)');
    expect(fnDecl(set, 'gf_set')).toBe('void gf_set(u8 matrix[4][4], proc_t cbs[], gf_log_cbk log)');
    expect(fnDecl(set, 'gf_noproto')).toBe('u32 gf_noproto(void)');
    const ckb = set.functions.find((f) => f.name === 'gf_filter_set_process_ckb');
    expect(ckb?.params[1]).toEqual({
      name: 'process_cbk',
      type: { kind: 'pointer', to: { kind: 'function', returns: { kind: 'named', name: 'GF_Err' }, params: [{ name: 'filter', type: { kind: 'pointer', to: { kind: 'named', name: 'GF_Filter' } } }], variadic: false } },
    });
    expect(ckb?.public).toBe(true);
    expect(ckb?.source).toEqual({ header: 'gpac/test.h', line: 14 });
    // the inline definition is skipped on purpose and listed
    expect(set.functions.some((f) => f.name === 'gf_inline')).toBe(false);
    expect(set.skipped).toEqual([{ name: 'gf_inline', reason: 'static inline function definition in a header (body skipped)', source: { header: 'gpac/test.h', line: 24 } }]);
    expect(set.functions.map((f) => f.name)).toEqual([...set.functions.map((f) => f.name)].sort());
  });

  it('names unknown types instead of guessing', () => {
    const err = parseError(() => parse('\n\nGF_Unknown *gf_make(void);\n'));
    expect(err.message).toMatch(/test\.h:3: unknown type name 'GF_Unknown'/);
  });

  it('rejects stray tokens with their line', () => {
    const err = parseError(() => parse(`${BASE_TYPES}\nu32 gf_a(void);\nu32 gf_b(u32 x) @;\n`));
    expect(err.line).toBe(10);
    expect(err.message).toMatch(/'@'/);
  });

  it('adds declarations from extra sources as non-public functions, after the headers', () => {
    const root = includeRoot({ 'gpac/configuration.h': '', 'gpac/f.h': `${BASE_TYPES}typedef struct __filter GF_Filter;\nu32 gf_pub(GF_Filter *f);\n` });
    const ov = path.join(root, 'overrides.h');
    writeFileSync(ov, '#include <gpac/f.h>\n#define OV_CONST 3\nu32 gf_filter_bind_dash_algo_callbacks(GF_Filter *filter, void *udta, u32 (*cbk)(void *udta));\n');
    const set = parseHeaders({ includeRoot: root, headers: ['gpac/f.h'], extraSources: [{ path: ov, public: false }] });
    expect(set.functions.map((f) => [f.name, f.public, f.source.header])).toEqual([
      ['gf_filter_bind_dash_algo_callbacks', false, ov],
      ['gf_pub', true, 'gpac/f.h'],
    ]);
    expect(constant(set, 'OV_CONST').source).toEqual({ header: ov, line: 2 });
  });
});

describe('declare()', () => {
  it('renders pointers to arrays, arrays of function pointers and const pointers', () => {
    const u8: CType = { kind: 'named', name: 'u8' };
    expect(declare({ kind: 'pointer', to: { kind: 'array', of: u8, size: '4' } }, 'p')).toBe('u8 (*p)[4]');
    const fp: CType = { kind: 'pointer', to: { kind: 'function', returns: { kind: 'named', name: 'void' }, params: [], variadic: false } };
    expect(declare({ kind: 'array', of: fp, size: '2' }, 'tbl')).toBe('void (*tbl[2])(void)');
    expect(declare({ kind: 'pointer', to: { kind: 'named', name: 'char', const: true }, const: true }, 's')).toBe('const char *const s');
  });
});

// ---------------------------------------------------------------- real GPAC headers

// Where the headers are, from the environment (none of it is needed: each test says what to set):
//  - the installed headers: <prefix>/include of the GPAC discovery finds (src/discovery.ts: GPAC_HOME,
//    pkg-config, the library's prefix), with configure's configuration.h;
//  - GPAC_SRC: a GPAC source tree (its include/ has no configuration.h; its share/python has libgpac.py);
//  - GPAC_V240_SRC: a GPAC v2.4.0 tree, or just its include/ (`git archive v2.4.0 include | tar -x -C DIR`).
const INSTALLED = ((): string | null => {
  try {
    return path.join(locateGpacPrefix().prefix, 'include');
  } catch {
    return null;
  }
})();
const GPAC_SRC = process.env.GPAC_SRC || null;
const GPAC_V240_SRC = process.env.GPAC_V240_SRC || null;
const SOURCE = GPAC_SRC && path.join(GPAC_SRC, 'include');
const V240 = GPAC_V240_SRC && path.join(GPAC_V240_SRC, 'include');
// libgpac.py of the install (it goes with the installed headers), else the source tree's.
const LIBGPAC_PY = [
  INSTALLED && path.join(INSTALLED, '..', 'share', 'gpac', 'python', 'libgpac', 'libgpac.py'),
  GPAC_SRC && path.join(GPAC_SRC, 'share', 'python', 'libgpac', 'libgpac.py'),
].find((p): p is string => typeof p === 'string' && existsSync(p));
const HEADERS = [
  'gpac/filters.h', 'gpac/constants.h', 'gpac/tools.h', 'gpac/dash.h', 'gpac/version.h', 'gpac/setup.h',
  'gpac/events_constants.h', 'gpac/list.h', 'gpac/download.h', 'gpac/main.h', 'gpac/isomedia.h',
];
const hasInstalled = INSTALLED !== null && existsSync(path.join(INSTALLED, 'gpac/filters.h')) && existsSync(path.join(INSTALLED, 'gpac/configuration.h'));
const hasSource = SOURCE !== null && existsSync(path.join(SOURCE, 'gpac/filters.h'));
const hasV240 = V240 !== null && existsSync(path.join(V240, 'gpac/filters.h'));
const hasGcc = ((): boolean => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' }); // a quick probe: synchronous is fine
    return true;
  } catch {
    return false;
  }
})();

type Body = () => void | Promise<void>;
const NO_INSTALLED = `no installed GPAC headers (include/gpac/filters.h and configuration.h${INSTALLED ? ` in ${INSTALLED}` : ''}): install GPAC, or set GPAC_HOME=<install prefix>`;
/** A test on the installed headers: skipped, saying what to do, without them; a failure then with REQUIRE_GPAC=1. */
function itInstalled(title: string, fn: Body, timeout?: number, also: { ok: boolean; missing: string } = { ok: true, missing: '' }): void {
  if (hasInstalled && also.ok) it(title, fn, timeout);
  else if (process.env.REQUIRE_GPAC === '1') {
    it(title, () => {
      throw new Error(`REQUIRE_GPAC=1 but ${hasInstalled ? also.missing : NO_INSTALLED}`);
    });
  } else it.skip(`${title} [skipped: ${hasInstalled ? also.missing : NO_INSTALLED}]`, fn);
}
/** A test on a source tree named by `variable`: skipped, naming the variable to set, when it is unset or holds no headers. */
function itTree(present: boolean, dir: string | null, variable: string, what: string, title: string, fn: Body): void {
  if (present) it(title, fn);
  else it.skip(`${title} [skipped: ${dir ? `no gpac/filters.h in ${dir} (${variable})` : `set ${variable}=<${what}> to run it`}]`, fn);
}

const cache = new Map<string, HeaderSet>();
function real(root: string, opts: { configuration?: string } = {}): HeaderSet {
  const key = root + JSON.stringify(opts);
  let set = cache.get(key);
  if (!set) {
    set = parseHeaders({ includeRoot: root, headers: HEADERS, ...opts });
    cache.set(key, set);
  }
  return set;
}

function checkMainBranch(set: HeaderSet): void {
  // filters.h: GF_FEVT_PLAY = 1 then implicit increments up to GF_FEVT_NETWORK_HINT
  const fevt = set.enums.find((e) => e.name === 'GF_FEventType');
  expect(fevt?.members.map((m) => m.name)).toEqual([
    'GF_FEVT_PLAY', 'GF_FEVT_SET_SPEED', 'GF_FEVT_STOP', 'GF_FEVT_PAUSE', 'GF_FEVT_RESUME', 'GF_FEVT_SOURCE_SEEK',
    'GF_FEVT_SOURCE_SWITCH', 'GF_FEVT_SEGMENT_SIZE', 'GF_FEVT_ATTACH_SCENE', 'GF_FEVT_RESET_SCENE', 'GF_FEVT_QUALITY_SWITCH',
    'GF_FEVT_VISIBILITY_HINT', 'GF_FEVT_INFO_UPDATE', 'GF_FEVT_BUFFER_REQ', 'GF_FEVT_CAPS_CHANGE', 'GF_FEVT_CONNECT_FAIL',
    'GF_FEVT_USER', 'GF_FEVT_PLAY_HINT', 'GF_FEVT_FILE_DELETE', 'GF_FEVT_FRAGMENT_SIZE', 'GF_FEVT_TRANSPORT_HINTS',
    'GF_FEVT_NTP_REF', 'GF_FEVT_DASH_QUALITY_SELECT', 'GF_FEVT_NETWORK_HINT',
  ]);
  expect(fevt?.members.map((m) => m.value)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  expect(constant(set, 'GF_CODECID_AVC').value).toBe(0x21); // constants.h: GF_CODECID_AVC = 0x21
  expect(constant(set, 'GF_ISOM_SUBTYPE_AVC_H264').value).toBe(0x61766331); // GF_4CC('a','v','c','1')
  expect(constant(set, 'GF_PROP_PID_ID').value).toBe(0x50494449); // GF_4CC('P','I','D','I')
  expect(values(set, 'GF_FS_FLAG_NON_BLOCKING', 'GF_FS_FLAG_NO_RESERVOIR', 'GF_FS_FLAG_PREVENT_PLAY')).toEqual([1 << 2, 1 << 9, 1 << 14]);
  expect(values(set, 'GF_OK', 'GF_EOS', 'GF_URL_ERROR', 'GF_FILTER_NOT_SUPPORTED')).toEqual([0, 1, -12, -57]);
  expect(constant(set, 'GF_EOS').enum).toBe('GF_Err');
  expect(constant(set, 'GF_FILTER_NO_TS')).toMatchObject({ value: '18446744073709551615', valueKind: 'bigint' });
  expect(constant(set, 'GF_AUDIO_CH_SURROUND_BOTTOM_RIGHT').value).toBe(0x80000000);
  expect(constant(set, 'GF_MAX_PATH').value).toBe(4096);
  expect(fnDecl(set, 'gf_fs_new')).toBe('GF_FilterSession *gf_fs_new(s32 nb_threads, GF_FilterSchedulerType type, GF_FilterSessionFlags flags, const char *blacklist)');
  expect(fnDecl(set, 'gf_filter_set_process_ckb')).toBe('GF_Err gf_filter_set_process_ckb(GF_Filter *filter, GF_Err (*process_cbk)(GF_Filter *filter))');
  expect(fnDecl(set, 'gf_fs_set_filter_creation_callback')).toBe(
    'GF_Err gf_fs_set_filter_creation_callback(GF_FilterSession *session, gf_fs_on_filter_creation on_create_destroy, void *udta, Bool force_sync)',
  );
  expect(fieldDecls(set, '__gf_prop_val')).toEqual(['GF_PropType type', '<anon union __gf_prop_val.value> value']);
  expect(fieldDecls(set, '<anon union __gf_prop_val.value>')).toEqual([
    'u64 longuint', 's64 longsint', 's32 sint', 'u32 uint', 'Bool boolean', 'GF_Fraction frac', 'GF_Fraction64 lfrac',
    'Fixed fnumber', 'Double number', 'GF_PropVec2i vec2i', 'GF_PropVec2 vec2', 'GF_PropVec3i vec3i', 'GF_PropVec4i vec4i',
    'GF_PropData data', 'char *string', 'void *ptr', 'GF_PropStringList string_list', 'GF_PropUIntList uint_list',
    'GF_PropIntList sint_list', 'GF_PropVec2iList v2i_list',
  ]);
  expect(set.typedefs.find((t) => t.name === 'GF_FilterEvent')?.type).toEqual({ kind: 'named', name: 'union __gf_filter_event' });
  expect(fieldDecls(set, '__gf_filter_event')).toEqual([
    'GF_FEVT_Base base', 'GF_FEVT_Play play', 'GF_FEVT_SourceSeek seek', 'GF_FEVT_AttachScene attach_scene',
    'GF_FEVT_Event user_event', 'GF_FEVT_QualitySwitch quality_switch', 'GF_FEVT_VisibilityHint visibility_hint',
    'GF_FEVT_BufferRequirement buffer_req', 'GF_FEVT_SegmentSize seg_size', 'GF_FEVT_FragmentSize frag_size',
    'GF_FEVT_FileDelete file_del', 'GF_FEVT_TransportHints transport_hints', 'GF_FEVT_NTPRef ntp',
    'GF_FEVT_DASHQualitySelection dash_select', 'GF_FEVT_NetworkHint net_hint',
  ]);
  expect(fieldDecls(set, '__gf_filter_register')).toContain('GF_Err (*process)(GF_Filter *filter)');
  expect(set.version).toEqual({ string: '26.08-DEV', major: 16, minor: 25, micro: 0 });
  for (const k of ['constants', 'enums', 'structs', 'typedefs', 'functions'] as const) {
    const names = set[k].map((x) => x.name);
    expect(names, `${k} sorted`).toEqual([...names].sort());
  }
}

describe('GPAC headers', () => {
  itInstalled(`installed headers (${INSTALLED}) parse with configure's configuration.h`, () => {
    const t0 = performance.now();
    const set = real(INSTALLED!);
    const ms = performance.now() - t0;
    expect(ms, 'parsing all listed headers').toBeLessThan(2000);
    expect(set.warnings).toEqual([]);
    expect(set.headersRead).toContain('gpac/configuration.h');
    checkMainBranch(set);
    // configuration.h decides GF_FilterRegister's layout: description exists unless GPAC_DISABLE_DOC
    expect(struct(set, '__gf_filter_register').fields?.some((f) => f.name === 'description')).toBe(true);
    const cfg = path.join(includeRoot({}), 'nodoc.h');
    writeFileSync(cfg, `${readFileSync(path.join(INSTALLED!, 'gpac/configuration.h'), 'utf8')}\n#define GPAC_DISABLE_DOC\n`);
    const nodoc = real(INSTALLED!, { configuration: cfg });
    expect(struct(nodoc, '__gf_filter_register').fields?.some((f) => f.name === 'description')).toBe(false);
  });

  itTree(hasSource, SOURCE, 'GPAC_SRC', 'a GPAC source tree', `source tree headers (${SOURCE ?? '$GPAC_SRC/include'}) parse with an empty configuration.h and a warning`, () => {
    const set = real(SOURCE!);
    expect(set.warnings.join('\n')).toMatch(/configuration\.h/);
    checkMainBranch(set);
  });

  itTree(hasV240, V240, 'GPAC_V240_SRC', 'a GPAC v2.4.0 tree', `v2.4.0 headers (${V240 ?? '$GPAC_V240_SRC/include'}) parse`, () => {
    const set = real(V240!);
    expect(set.version).toEqual({ string: '2.4', major: 12, minor: 14, micro: 0 });
    expect(constant(set, 'GF_FEVT_PLAY').value).toBe(1);
    expect(set.functions.some((f) => f.name === 'gf_fs_new')).toBe(true);
    expect(set.functions.length).toBeGreaterThan(1000);
  });

  itInstalled('every gpac header of the install parses together', () => {
    const all = readdirSync(path.join(INSTALLED!, 'gpac')).filter((f) => f.endsWith('.h')).sort().map((f) => `gpac/${f}`);
    const set = parseHeaders({ includeRoot: INSTALLED!, headers: all });
    expect(set.functions.length).toBeGreaterThan(real(INSTALLED!).functions.length);
  });

  // GCC is the referee: every integer/float/string constant must print the value we computed, every
  // prototype and typedef must be type-compatible with what declare() renders, every field too.
  itInstalled('agrees with GCC on every constant, prototype, typedef and field type', async () => {
    const set = real(INSTALLED!);
    const dir = includeRoot({});
    const lines: string[] = [...HEADERS.map((h) => `#include <${h}>`), '#include <stdio.h>'];
    lines.push('#define P(n) printf("%s I %d %llu\\n", #n, (int)((n) < 0), (unsigned long long)(n));', 'int main(void) {');
    for (const c of set.constants) {
      if (c.valueKind === 'float') lines.push(`printf("%s F %.17g\\n", "${c.name}", (double)(${c.name}));`);
      else if (c.valueKind === 'string') lines.push(`printf("%s S %s\\n", "${c.name}", ${c.name});`);
      else lines.push(`P(${c.name})`);
    }
    lines.push('return 0; }');
    const compatible = (a: string, b: string, what: string): string =>
      `_Static_assert(__builtin_types_compatible_p(${a}, ${b}), ${JSON.stringify(what)});`;
    for (const f of set.functions) {
      lines.push(compatible(`__typeof__(${f.name})`, declare({ kind: 'function', returns: f.returns, params: f.params, variadic: f.variadic }, null), f.name));
    }
    const anonNames = new Set([...set.structs.map((s) => s.name), ...set.enums.filter((e) => !e.tag).map((e) => e.name)]);
    for (const t of set.typedefs) {
      // typedefs of anonymous structs/enums point at a name only the IR knows
      if (t.type.kind === 'named' && anonNames.has(t.name) && t.type.name.endsWith(` ${t.name}`)) continue;
      lines.push(compatible(t.name, declare(t.type, null), t.name));
    }
    let nfields = 0;
    lines.push('void fields(void) {');
    const byName = new Map(set.structs.map((s) => [s.name, s]));
    const access = (name: string): string | null => {
      const m = /^<anon (?:struct|union) (.*)\.([^.]+)>$/.exec(name);
      if (m) {
        const parent = access(m[1] as string);
        if (!parent || /^\d+$/.test(m[2] as string)) return parent;
        let a = `${parent}.${m[2]}`;
        let ft = byName.get(m[1] as string)?.fields?.find((f) => f.name === m[2])?.type;
        while (ft && (ft.kind === 'array' || ft.kind === 'pointer')) {
          a += '[0]';
          ft = ft.kind === 'array' ? ft.of : ft.to;
        }
        return a;
      }
      const s = byName.get(name);
      const viaTypedef = set.typedefs.some((t) => t.name === name && t.type.kind === 'named' && t.type.name === `${s?.kind} ${name}`);
      return viaTypedef && !/^_/.test(name) ? `(*(${name} *)0)` : `(*(${s?.kind} ${name} *)0)`;
    };
    for (const s of set.structs) {
      const a = s.fields ? access(s.name) : null;
      if (!a || !s.fields) continue;
      for (const f of s.fields) {
        if (!f.name || f.bits !== null || JSON.stringify(f.type).includes('<anon')) continue;
        nfields++;
        lines.push(compatible(`__typeof__(${a}.${f.name})`, declare(f.type, null), `${s.name}.${f.name}`));
      }
    }
    lines.push('}');
    const src = path.join(dir, 'check.c');
    const exe = path.join(dir, 'check');
    writeFileSync(src, lines.join('\n'));
    await run('gcc', ['-w', '-o', exe, src, `-I${INSTALLED!}`]); // seconds: asynchronous (test/helpers/run.ts)
    const out = await run(exe, []);
    const mismatches: string[] = [];
    const consts = new Map(set.constants.map((c) => [c.name, c]));
    let n = 0;
    for (const line of out.trim().split('\n')) {
      const [name, kind, ...rest] = line.split(' ');
      const c = consts.get(name as string);
      let gcc: string;
      if (kind === 'I') {
        const v = BigInt(rest[1] as string);
        gcc = String(rest[0] === '1' ? BigInt.asIntN(64, v) : v);
      } else if (kind === 'F') gcc = String(Number(rest.join(' ')));
      else gcc = rest.join(' ');
      n++;
      if (String(c?.value) !== gcc) mismatches.push(`${name}: parser ${c?.value}, gcc ${gcc}`);
    }
    expect(mismatches).toEqual([]);
    expect(n).toBe(set.constants.length);
    expect(nfields).toBeGreaterThan(1000);
  }, 60_000, { ok: hasGcc, missing: 'gcc is not installed' });

  // libgpac.py hard-codes constants; they must exist in the headers with the same value, except
  // the disagreements listed here (reported to the lead for codegen/README.md).
  const noPython = `no libgpac.py in ${INSTALLED ? path.join(INSTALLED, '..', 'share', 'gpac', 'python', 'libgpac') : 'the install'}${GPAC_SRC ? ` nor in ${GPAC_SRC}/share/python/libgpac` : ' (or set GPAC_SRC=<a GPAC source tree>)'}`;
  itInstalled(`libgpac.py (${LIBGPAC_PY ?? 'not found'}) constants match the headers except known disagreements`, () => {
    const py = readPythonConstants(readFileSync(LIBGPAC_PY!, 'utf8'));
    expect(py.length).toBeGreaterThan(100);
    const diff = compareWithPython(py, real(INSTALLED!).constants);
    expect(diff.map((d) => `${d.name}: python ${d.python}, header ${d.header ?? 'absent'}`)).toEqual([
      'GF_ABI_MAJOR: python 16, header absent', // headers: GPAC_VERSION_MAJOR 16
      'GF_ABI_MINOR: python 5, header absent', // headers: GPAC_VERSION_MINOR 25
      'GF_FS_FLAG_NO_RESERVOIR: python 1, header 512',
      'GF_SETUP_ERROR: python 0, header absent',
      'GF_NOTIF_ERROR: python 1, header absent',
      'GF_NOTIF_ERROR_AND_DISCONNECT: python 2, header absent',
      'GF_FS_FLUSH_NONE: python Python value is the tuple (0,), header 0',
    ]);
  }, undefined, { ok: LIBGPAC_PY !== undefined, missing: noPython });
});
