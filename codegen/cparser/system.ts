// What the parser assumes about the platform: GCC on Linux x86_64 (LP64), and the few macros and
// typedefs of the C library headers that GPAC's headers use (<limits.h>, <float.h>, <stdint.h>,
// <stdio.h>, <stddef.h>, <time.h>, <stdarg.h>...). System headers themselves are never read: their
// content varies across libcs and would drag thousands of irrelevant declarations into the IR.
// Values are those of glibc + GCC 12 on x86_64 (`gcc -dM -E`).

import { INT, LONG, UINT, ULONG, type IntType, type Scalar } from './const-eval.js';

/** Compiler-predefined macros (`gcc -dM -E -x c /dev/null`, the subset headers may test). */
export const COMPILER_MACROS = `
#define __STDC__ 1
#define __STDC_VERSION__ 201710L
#define __STDC_HOSTED__ 1
#define __GNUC__ 12
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 0
#define __GNUC_STDC_INLINE__ 1
#define __linux__ 1
#define __linux 1
#define linux 1
#define __gnu_linux__ 1
#define __unix__ 1
#define __unix 1
#define unix 1
#define __ELF__ 1
#define __x86_64__ 1
#define __x86_64 1
#define __amd64__ 1
#define __amd64 1
#define __LP64__ 1
#define _LP64 1
#define __CHAR_BIT__ 8
#define __SIZEOF_SHORT__ 2
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG__ 8
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_POINTER__ 8
#define __SIZEOF_SIZE_T__ 8
#define __SIZEOF_FLOAT__ 4
#define __SIZEOF_DOUBLE__ 8
#define __SIZEOF_LONG_DOUBLE__ 16
#define __SIZEOF_WCHAR_T__ 4
#define __ORDER_LITTLE_ENDIAN__ 1234
#define __ORDER_BIG_ENDIAN__ 4321
#define __ORDER_PDP_ENDIAN__ 3412
#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __FLOAT_WORD_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __SCHAR_MAX__ 0x7f
#define __SHRT_MAX__ 0x7fff
#define __INT_MAX__ 0x7fffffff
#define __LONG_MAX__ 0x7fffffffffffffffL
#define __LONG_LONG_MAX__ 0x7fffffffffffffffLL
#define __WCHAR_MAX__ 0x7fffffff
#define __WCHAR_MIN__ (-__WCHAR_MAX__ - 1)
#define __SIZE_MAX__ 0xffffffffffffffffUL
#define __FLT_MAX__ 3.40282346638528859811704183484516925e+38F
#define __FLT_MIN__ 1.17549435082228750796873653722224568e-38F
#define __FLT_EPSILON__ 1.19209289550781250000000000000000000e-7F
#define __DBL_MAX__ ((double)1.79769313486231570814527423731704357e+308L)
#define __DBL_MIN__ ((double)2.22507385850720138309023271733240406e-308L)
#define __DBL_EPSILON__ ((double)2.22044604925031308084726333618164062e-16L)
#define __INT64_C(c) c ## L
#define __UINT64_C(c) c ## UL
`;

/** Macros of the C library headers GPAC includes (glibc values). */
export const LIBC_MACROS = `
#define NULL ((void *)0)
#define offsetof(TYPE, MEMBER) __builtin_offsetof (TYPE, MEMBER)
#define CHAR_BIT 8
#define SCHAR_MAX __SCHAR_MAX__
#define SCHAR_MIN (-SCHAR_MAX - 1)
#define UCHAR_MAX (SCHAR_MAX * 2 + 1)
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#define SHRT_MAX __SHRT_MAX__
#define SHRT_MIN (-SHRT_MAX - 1)
#define USHRT_MAX (SHRT_MAX * 2 + 1)
#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)
#define LLONG_MAX __LONG_LONG_MAX__
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)
#define PATH_MAX 4096
#define FLT_MAX __FLT_MAX__
#define FLT_MIN __FLT_MIN__
#define FLT_EPSILON __FLT_EPSILON__
#define DBL_MAX __DBL_MAX__
#define DBL_MIN __DBL_MIN__
#define DBL_EPSILON __DBL_EPSILON__
#define INT8_MIN (-128)
#define INT16_MIN (-32767-1)
#define INT32_MIN (-2147483647-1)
#define INT64_MIN (-__INT64_C(9223372036854775807)-1)
#define INT8_MAX (127)
#define INT16_MAX (32767)
#define INT32_MAX (2147483647)
#define INT64_MAX (__INT64_C(9223372036854775807))
#define UINT8_MAX (255)
#define UINT16_MAX (65535)
#define UINT32_MAX (4294967295U)
#define UINT64_MAX (__UINT64_C(18446744073709551615))
#define SIZE_MAX (18446744073709551615UL)
#define INT64_C(c) c ## L
#define UINT64_C(c) c ## UL
#define EOF (-1)
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define BUFSIZ 8192
#define FILENAME_MAX 4096
#define M_PI 3.14159265358979323846
`;

const int = (t: IntType, size: number): Scalar => ({ kind: 'int', t, size });
const other = (what: string, size: number | null): Scalar => ({ kind: 'other', size, what });

/** Typedef names the C library provides, with what they are on LP64 glibc. */
export const LIBC_TYPES: ReadonlyMap<string, Scalar> = new Map<string, Scalar>([
  ['int8_t', int({ bits: 8, unsigned: false }, 1)],
  ['uint8_t', int({ bits: 8, unsigned: true }, 1)],
  ['int16_t', int({ bits: 16, unsigned: false }, 2)],
  ['uint16_t', int({ bits: 16, unsigned: true }, 2)],
  ['int32_t', int(INT, 4)],
  ['uint32_t', int(UINT, 4)],
  ['int64_t', int(LONG, 8)],
  ['uint64_t', int(ULONG, 8)],
  ['intmax_t', int(LONG, 8)],
  ['uintmax_t', int(ULONG, 8)],
  ['intptr_t', int(LONG, 8)],
  ['uintptr_t', int(ULONG, 8)],
  ['size_t', int(ULONG, 8)],
  ['ssize_t', int(LONG, 8)],
  ['ptrdiff_t', int(LONG, 8)],
  ['off_t', int(LONG, 8)],
  ['time_t', int(LONG, 8)],
  ['clock_t', int(LONG, 8)],
  ['pid_t', int(INT, 4)],
  ['socklen_t', int(UINT, 4)],
  ['wchar_t', int(INT, 4)],
  ['FILE', other('FILE', null)],
  ['va_list', other('va_list', 24)],
  ['__builtin_va_list', other('va_list', 24)],
  ['fd_set', other('fd_set', 128)],
]);

/** Sizes and integer types of the basic C types on LP64. */
export const BASIC_TYPES: ReadonlyMap<string, Scalar> = new Map<string, Scalar>([
  ['char', int({ bits: 8, unsigned: false }, 1)],
  ['signed char', int({ bits: 8, unsigned: false }, 1)],
  ['unsigned char', int({ bits: 8, unsigned: true }, 1)],
  ['short', int({ bits: 16, unsigned: false }, 2)],
  ['unsigned short', int({ bits: 16, unsigned: true }, 2)],
  ['int', int(INT, 4)],
  ['unsigned int', int(UINT, 4)],
  ['long', int(LONG, 8)],
  ['unsigned long', int(ULONG, 8)],
  ['long long', int(LONG, 8)],
  ['unsigned long long', int(ULONG, 8)],
  ['_Bool', int({ bits: 8, unsigned: true }, 1)],
  ['float', { kind: 'float', size: 4 }],
  ['double', { kind: 'float', size: 8 }],
  ['long double', { kind: 'float', size: 16 }],
  ['void', other('void', 1)],
]);
