// codegen/introspect: the pure parts (min_max_enum, enum member lists, flag and type naming, the probe
// document check) on hand-written inputs; the error paths with a fake compiler; then, with GPAC, the real
// probe against the installed library, checked against what `gpac -h filters` / `gpac -h props` print.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnumExtractError, enumMemberNames, enumMembersWith, stripComments } from '../../codegen/introspect/enum-members.js';
import { IntrospectError, introspectGpac, type Introspection } from '../../codegen/introspect/index.js';
import { parseMinMaxEnum } from '../../codegen/introspect/min-max-enum.js';
import { checkProbeOutput, ProbeShapeError, type ProbeOutput } from '../../codegen/introspect/probe-output.js';
import { flagNames, fourccString, optionFlags, probeToResult, propTypeName, propTypeNames, valueNameList } from '../../codegen/introspect/to-ir.js';
import { describeGpac, itGpacCli, libgpacPath } from '../helpers/gpac.js';
import { callInWorker } from '../helpers/in-worker.js';
import { runProcess } from '../helpers/run.js';
import { inspect } from '../helpers/inspect.js';
import { tmpDir } from '../helpers/tmp.js';

describe('parseMinMaxEnum', () => {
  const range = (raw: string) => {
    const r = parseMinMaxEnum(raw);
    expect(r.recognized, raw).toBe(true);
    expect(r.values, raw).toBeNull();
    return [r.min, r.max];
  };

  it('reads enumerations, keeping skipped slots as ""', () => {
    expect(parseMinMaxEnum('auto|live|onDemand').values).toEqual(['auto', 'live', 'onDemand']);
    expect(parseMinMaxEnum('|a|b').values).toEqual(['', 'a', 'b']);
    expect(parseMinMaxEnum('a||b').values).toEqual(['a', '', 'b']);
    expect(parseMinMaxEnum('mono|3/0.0|1+1').values).toEqual(['mono', '3/0.0', '1+1']);
    expect(parseMinMaxEnum('a|b')).toMatchObject({ min: null, max: null, recognized: true });
  });

  it('reads "min,max" and "min-max" with negative numbers, floats and infinities', () => {
    expect(range('0-100')).toEqual([0, 100]);
    expect(range('-1,+I')).toEqual([-1, null]);
    expect(range('-I-I')).toEqual([null, null]);
    expect(range('-I,+I')).toEqual([null, null]);
    expect(range('0-I')).toEqual([0, null]);
    expect(range('-1-255')).toEqual([-1, 255]);
    expect(range('-255--1')).toEqual([-255, -1]);
    expect(range('-2147483648-I')).toEqual([-2147483648, null]);
    expect(range('0.5,1.5')).toEqual([0.5, 1.5]);
    expect(range('-0.25-2.5')).toEqual([-0.25, 2.5]);
    expect(range('1e-3-5')).toEqual([0.001, 5]);
    expect(range(' 0 , 10 ')).toEqual([0, 10]);
  });

  it('says so when a string is neither (the IR then keeps it raw only)', () => {
    for (const raw of ['abc', '1-2-3', '', '5', 'I']) {
      expect(parseMinMaxEnum(raw), raw).toEqual({ min: null, max: null, values: null, recognized: false });
    }
    expect(parseMinMaxEnum(null)).toEqual({ min: null, max: null, values: null, recognized: true });
  });
});

describe('enumMemberNames', () => {
  const header = [
    '/* a } comment, with } braces */',
    'typedef enum',
    '{',
    '\t/*! not allowed, } */',
    '\tGF_PROP_FORBIDDEN = 0, // trailing, comment',
    '\tGF_PROP_SINT = 1,',
    '\tGF_PROP_LAST_NON_ENUM,',
    '\tGF_PROP_FIRST_ENUM = 40,',
    '\tGF_PROP_PIXFMT = GF_PROP_FIRST_ENUM,',
    '\tGF_PROP_PCMFMT = (GF_PROP_FIRST_ENUM + 1),',
    '\tGF_PROP_SHIFTED = 1<<3,',
    '} GF_PropType;',
    'typedef enum { GF_OTHER = MAX(1, 2) } GF_Other;',
  ].join('\n');

  it('lists members in source order, whatever their value expressions and comments', () => {
    expect(enumMemberNames(header, 'GF_PropType', 'x.h')).toEqual([
      'GF_PROP_FORBIDDEN',
      'GF_PROP_SINT',
      'GF_PROP_LAST_NON_ENUM',
      'GF_PROP_FIRST_ENUM',
      'GF_PROP_PIXFMT',
      'GF_PROP_PCMFMT',
      'GF_PROP_SHIFTED',
    ]);
    expect(enumMemberNames(header, 'GF_Other', 'x.h')).toEqual(['GF_OTHER']);
  });

  it('names the file (and line) when the enum is missing or holds a preprocessor line', () => {
    expect(() => enumMemberNames(header, 'GF_Missing', 'gpac/filters.h')).toThrow(/gpac\/filters\.h: no "typedef enum \{ \.\.\. \} GF_Missing;"/);
    const conditional = 'int x;\ntypedef enum {\n A = 1,\n#ifdef FOO\n B,\n#endif\n} GF_Cond;';
    expect(() => enumMemberNames(conditional, 'GF_Cond', 'c.h')).toThrow(EnumExtractError);
    expect(() => enumMemberNames(conditional, 'GF_Cond', 'c.h')).toThrow(/^c\.h:4: in enum GF_Cond, expected "NAME" or "NAME = value", got "#ifdef FOO/);
  });

  it('leaves string literals alone when stripping comments', () => {
    expect(stripComments('a "/* not */" b /* yes */ c // end\nd')).toBe('a "/* not */" b           c       \nd');
  });
});

describe('enumMembersWith', () => {
  it('finds the enum holding a member, typedef\'d or not (GPAC 2.4 declares stream types as a bare enum)', () => {
    const v24 = 'enum\n{\n\t/*!Unknown*/\n\tGF_STREAM_UNKNOWN = 0,\n\tGF_STREAM_OD = 0x01,\n\tGF_STREAM_VISUAL = 0x04,\n};\nenum { GF_OTHER };';
    expect(enumMembersWith(v24, 'GF_STREAM_UNKNOWN', 'constants.h')).toEqual(['GF_STREAM_UNKNOWN', 'GF_STREAM_OD', 'GF_STREAM_VISUAL']);
    const main = 'typedef enum { GF_A } GF_X;\ntypedef enum\n{\n\tGF_STREAM_UNKNOWN = 0,\n\tGF_STREAM_FILE = 0xE1,\n} GF_StreamType;';
    expect(enumMembersWith(main, 'GF_STREAM_UNKNOWN', 'constants.h')).toEqual(['GF_STREAM_UNKNOWN', 'GF_STREAM_FILE']);
  });

  it('matches whole member names only, and names the file when there is none', () => {
    const text = 'enum { GF_STREAM_UNKNOWN_X = 1 };';
    expect(() => enumMembersWith(text, 'GF_STREAM_UNKNOWN', 'c.h')).toThrow(EnumExtractError);
    expect(() => enumMembersWith(text, 'GF_STREAM_UNKNOWN', 'c.h')).toThrow('c.h: no enum with a member GF_STREAM_UNKNOWN found');
  });
});

describe('value names', () => {
  it('sorts by value, the own name first, then aliases by name; alias only when set', () => {
    expect(
      valueNameList(
        [
          [33, 'h264', 0],
          [4, 'x', 1],
          [33, 'avc', 0],
          [33, '264', 1, 'MPEG-4 AVC|H264 Video'],
        ],
        false,
      ),
    ).toEqual([
      { value: 4, name: 'x' },
      { value: 33, name: '264' },
      { value: 33, name: 'avc', alias: true },
      { value: 33, name: 'h264', alias: true },
    ]);
    expect(valueNameList([[33, '264', 1, 'MPEG-4 AVC|H264 Video']], true)).toEqual([{ value: 33, name: '264', description: 'MPEG-4 AVC|H264 Video' }]);
  });

  it('refuses a name listed twice and a value with two own names (the probe must not print them)', () => {
    expect(() => valueNameList([[1, 'a', 1], [2, 'a', 0]], false)).toThrow('value name "a" is listed twice');
    expect(() => valueNameList([[1, 'a', 1], [1, 'b', 1]], false)).toThrow('value 1 has two own names');
  });
});

describe('type and flag naming', () => {
  const propTypes: [string, number][] = [
    ['GF_PROP_FORBIDDEN', 0],
    ['GF_PROP_UINT', 2],
    ['GF_PROP_LAST_NON_ENUM', 28],
    ['GF_PROP_FIRST_ENUM', 40],
    ['GF_PROP_PIXFMT', 40],
    ['GF_PROP_LAST_DEFINED', 46],
  ];

  it('names a value after the real type rather than an alias bound, and keeps unknown values as numbers', () => {
    const names = propTypeNames(propTypes);
    expect(propTypeName(names, 2)).toBe('GF_PROP_UINT');
    expect(propTypeName(names, 40)).toBe('GF_PROP_PIXFMT');
    expect(propTypeName(names, 46)).toBe('GF_PROP_LAST_DEFINED');
    expect(propTypeName(names, 99)).toBe('GF_PROP_99');
  });

  it('lists set register flags by name, sorted, and unknown bits by value', () => {
    const reg: [string, number][] = [
      ['GF_FS_REG_MAIN_THREAD', 2],
      ['GF_FS_REG_EXPLICIT_ONLY', 8],
      ['GF_FS_REG_META', 512],
      ['GF_FS_REG_CUSTOM', 0x40000000],
    ];
    expect(flagNames(reg, 0, 'GF_FS_REG_')).toEqual([]);
    expect(flagNames(reg, 512 | 8 | 2, 'GF_FS_REG_')).toEqual(['GF_FS_REG_EXPLICIT_ONLY', 'GF_FS_REG_MAIN_THREAD', 'GF_FS_REG_META']);
    expect(flagNames(reg, 0x40000000 | 0x100000 | 1, 'GF_FS_REG_')).toEqual(['GF_FS_REG_0x1', 'GF_FS_REG_0x100000', 'GF_FS_REG_CUSTOM']);
    expect(flagNames(reg, 0x80000000, 'GF_FS_REG_')).toEqual(['GF_FS_REG_0x80000000']);
  });

  it('maps each GF_FS_ARG_* bit to its IROption flag, and a member the header lacks to false', () => {
    const arg: [string, number][] = [
      ['GF_FS_ARG_HINT_NORMAL', 0],
      ['GF_FS_ARG_HINT_ADVANCED', 1 << 1],
      ['GF_FS_ARG_HINT_EXPERT', 1 << 2],
      ['GF_FS_ARG_HINT_HIDE', 1 << 3],
      ['GF_FS_ARG_UPDATE', 1 << 4],
      ['GF_FS_ARG_META', 1 << 5],
      ['GF_FS_ARG_SINK_ALIAS', 1 << 7],
      ['GF_FS_ARG_UPDATE_SYNC', 1 << 8],
    ];
    const none = { advanced: false, expert: false, hidden: false, updatable: false, updateSync: false, meta: false, sinkAlias: false };
    expect(optionFlags(arg, 0)).toEqual(none);
    const each: [number, keyof typeof none][] = [
      [1 << 1, 'advanced'],
      [1 << 2, 'expert'],
      [1 << 3, 'hidden'],
      [1 << 4, 'updatable'],
      [1 << 5, 'meta'],
      [1 << 7, 'sinkAlias'],
      [1 << 8, 'updateSync'],
    ];
    for (const [bit, key] of each) expect(optionFlags(arg, bit), key).toEqual({ ...none, [key]: true });
    expect(optionFlags(arg.slice(0, 5), 1 << 8).updateSync).toBe(false);
  });

  it('writes a 4CC most significant byte first and refuses non-printable bytes', () => {
    expect(fourccString(0x50494449)).toBe('PIDI');
    expect(fourccString(0x20202020)).toBe('    ');
    expect(() => fourccString(0x50490049)).toThrow(/non-printable byte 0x0/);
  });
});

function probeDoc(): Record<string, unknown> {
  return {
    version: '9.9-TEST',
    abi: { major: 1, minor: 2, micro: 3 },
    docs: true,
    enums: {
      GF_PropType: [
        ['GF_PROP_UINT', 2],
        ['GF_PROP_STRING', 14],
        ['GF_PROP_FRACTION', 6],
        ['GF_PROP_FIRST_ENUM', 40],
        ['GF_PROP_PIXFMT', 40],
      ],
      GF_FSRegisterFlags: [['GF_FS_REG_META', 512]],
      GF_FSArgumentFlags: [
        ['GF_FS_ARG_HINT_EXPERT', 4],
        ['GF_FS_ARG_UPDATE', 16],
      ],
    },
    propFlags: { GF_PROP_FLAG_PCK: 1, GF_PROP_FLAG_GSF_REM: 2 },
    filters: [
      {
        name: 'zeta',
        flags: 0,
        description: 'Z filter',
        args: [
          { name: 'mode', type: 2, typeName: 'uint', default: 'b', minMaxEnum: 'a|b', flags: 16, description: 'm' },
          { name: 'dur', type: 6, typeName: 'frac', default: null, minMaxEnum: '0-I', flags: 4 },
          { name: 'odd', type: 2, typeName: 'uint', default: null, minMaxEnum: '1-2-3', flags: 0 },
        ],
      },
      { name: 'alpha', flags: 512, args: [] },
      { name: 'alpha:sub', flags: 512, args: [{ name: 'x', type: 14, typeName: 'str', default: null, minMaxEnum: null, flags: 0 }] },
      { name: 'script', flags: 0, script: true, args: [] },
    ],
    scriptsDir: '/share/gpac/scripts/jsf/',
    scriptsFailed: [['/share/gpac/scripts/jsf/broken.js', 'Bad Parameter']],
    properties: [
      { code: 0x50494449, name: 'ID', type: 2, typeName: 'uint', flags: 0, description: 'Stream ID' },
      { code: 0x43545354, name: 'CTS', type: 77, typeName: null, flags: 3 },
    ],
    valueNames: {
      StreamType: [
        [5, 'Audio', 1],
        [4, 'Visual', 1],
        [4, 'video', 0],
      ],
      CodecID: [
        [33, '264', 1, 'MPEG-4 AVC|H264 Video'],
        [33, 'avc', 0, 'MPEG-4 AVC|H264 Video'],
      ],
      enumTypes: [
        { type: 40, names: [[0x59553132, 'yuv420', 1], [0x59553132, 'yuv', 0]] },
        { type: 99, names: [] },
      ],
    },
  };
}

describe('the probe document', () => {
  it('is checked field by field, naming the first bad path', () => {
    expect(checkProbeOutput(probeDoc()).filters).toHaveLength(4);
    const bad = probeDoc();
    (bad.filters as { args: { type: unknown }[] }[])[0]!.args[1]!.type = '6';
    expect(() => checkProbeOutput(bad)).toThrow(ProbeShapeError);
    expect(() => checkProbeOutput(bad)).toThrow('$.filters[0].args[1].type: expected an integer, got "6"');
    const cut = probeDoc();
    delete cut.properties;
    expect(() => checkProbeOutput(cut)).toThrow('$.properties: expected an array, got nothing');
    const own = probeDoc();
    (own.valueNames as { CodecID: unknown[][] }).CodecID[1]![2] = 2;
    expect(() => checkProbeOutput(own)).toThrow('$.valueNames.CodecID[1][2]: expected 0 or 1, got 2');
    const big = probeDoc();
    (big.valueNames as { enumTypes: { names: unknown[][] }[] }).enumTypes[0]!.names[0]![0] = 2 ** 32;
    expect(() => checkProbeOutput(big)).toThrow('$.valueNames.enumTypes[0].names[0][0]: expected a u32, got 4294967296');
  });

  it('becomes IR filters and properties sorted by name, without descriptions or sub-filters by default', () => {
    const probe: ProbeOutput = checkProbeOutput(probeDoc());
    const r = probeToResult(probe, { withDocs: false, subFilters: false });
    expect(r.version).toBe('9.9-TEST');
    expect(r.abi).toEqual({ major: 1, minor: 2, micro: 3 });
    expect(r.filters.map((f) => f.name)).toEqual(['alpha', 'script', 'zeta']);
    const zeta = r.filters[2]!;
    expect(zeta.options.map((o) => o.name)).toEqual(['dur', 'mode', 'odd']);
    expect(zeta).not.toHaveProperty('description');
    expect(zeta.options[1]).toEqual({
      name: 'mode',
      type: 'GF_PROP_UINT',
      default: 'b',
      min: null,
      max: null,
      values: ['a', 'b'],
      minMaxEnum: 'a|b',
      flags: { advanced: false, expert: false, hidden: false, updatable: true, updateSync: false, meta: false, sinkAlias: false },
    });
    expect(zeta.options[0]).toMatchObject({ type: 'GF_PROP_FRACTION', min: 0, max: null, values: null, flags: { expert: true } });
    expect(r.filters[0]!.flags).toEqual(['GF_FS_REG_META']);
    expect(r.properties).toEqual([
      { name: 'CTS', fourcc: 'CTST', code: 0x43545354, constant: null, type: 'GF_PROP_77', flags: { packet: true, gsfRemovable: true } },
      { name: 'ID', fourcc: 'PIDI', code: 0x50494449, constant: null, type: 'GF_PROP_UINT', flags: { packet: false, gsfRemovable: false } },
    ]);
    expect(r.warnings).toEqual([
      'JavaScript filter /share/gpac/scripts/jsf/broken.js did not load (Bad Parameter): not listed',
      'zeta.odd: min_max_enum "1-2-3" is neither "a|b|..." nor a range: kept raw only',
    ]);
    // Tables keyed by kind (enum types by their GF_PropType name, not the FIRST_ENUM alias), keys sorted,
    // descriptions left out.
    expect(Object.keys(r.valueNames)).toEqual(['CodecID', 'GF_PROP_99', 'GF_PROP_PIXFMT', 'StreamType']);
    expect(r.valueNames.StreamType).toEqual([
      { value: 4, name: 'Visual' },
      { value: 4, name: 'video', alias: true },
      { value: 5, name: 'Audio' },
    ]);
    expect(r.valueNames.CodecID).toEqual([
      { value: 33, name: '264' },
      { value: 33, name: 'avc', alias: true },
    ]);
    expect(r.valueNames.GF_PROP_PIXFMT).toEqual([
      { value: 0x59553132, name: 'yuv420' },
      { value: 0x59553132, name: 'yuv', alias: true },
    ]);
  });

  it('keeps descriptions and sub-filters when asked', () => {
    const r = probeToResult(checkProbeOutput(probeDoc()), { withDocs: true, subFilters: true });
    expect(r.filters.map((f) => f.name)).toEqual(['alpha', 'alpha:sub', 'script', 'zeta']);
    expect(r.filters[3]!.description).toBe('Z filter');
    expect(r.filters[3]!.options[1]!.description).toBe('m');
    expect(r.filters[3]!.options[0]).not.toHaveProperty('description');
    expect(r.properties[1]!.description).toBe('Stream ID');
    expect(r.valueNames.CodecID![0]).toEqual({ value: 33, name: '264', description: 'MPEG-4 AVC|H264 Video' });
  });
});

/** An install prefix with the enums the probe needs in gpac/filters.h and a placeholder libgpac.so. */
function fakePrefix(root: string, withLib = true): string {
  const prefix = join(root, 'prefix');
  mkdirSync(join(prefix, 'include', 'gpac'), { recursive: true });
  writeFileSync(
    join(prefix, 'include', 'gpac', 'filters.h'),
    [
      'typedef enum { GF_PROP_UINT = 2 } GF_PropType;',
      'typedef enum { GF_FS_REG_META = 1<<9 } GF_FSRegisterFlags;',
      'typedef enum { GF_FS_ARG_UPDATE = 1<<4 } GF_FSArgumentFlags;',
    ].join('\n'),
  );
  writeFileSync(join(prefix, 'include', 'gpac', 'constants.h'), 'typedef enum { GF_STREAM_UNKNOWN = 0 } GF_StreamType;\n');
  if (withLib) {
    mkdirSync(join(prefix, 'lib'), { recursive: true });
    writeFileSync(join(prefix, 'lib', 'libgpac.so'), '');
  }
  return prefix;
}

/** A stand-in C compiler: writes `probeScript` as the executable named by -o (or fails when null). */
function fakeCc(root: string, probeScript: string | null): string {
  const cc = join(root, 'fake-cc');
  const body =
    probeScript === null
      ? '#!/bin/sh\necho "fake-cc: error: gpac/tools.h: No such file or directory" >&2\nexit 1\n'
      : `#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = "-o" ]; then out="$2"; fi; shift; done\ncat > "$out" <<'PROBE'\n${probeScript}\nPROBE\nchmod +x "$out"\n`;
  writeFileSync(cc, body);
  chmodSync(cc, 0o755);
  return cc;
}

function introspectError(f: () => unknown): IntrospectError {
  try {
    f();
  } catch (e) {
    if (e instanceof IntrospectError) return e;
    throw e;
  }
  throw new Error('expected an IntrospectError, got a result');
}

describe('introspectGpac errors', () => {
  it('names the missing headers', () => {
    const t = tmpDir();
    const e = introspectError(() => introspectGpac({ prefix: t.path }));
    expect(e.command).toBe(`locate ${join(t.path, 'include', 'gpac', 'filters.h')}`);
    expect(e.message).toContain('no GPAC headers under');
  });

  it('names constants.h when the stream-type enum cannot be listed', () => {
    const t = tmpDir();
    const prefix = fakePrefix(t.path);
    writeFileSync(join(prefix, 'include', 'gpac', 'constants.h'), 'typedef enum { GF_OTHER } X;\n');
    const e = introspectError(() => introspectGpac({ prefix, cc: fakeCc(t.path, null) }));
    expect(e.message).toContain('cannot list the stream types (enum with GF_STREAM_UNKNOWN)');
    expect(e.command).toBe(`read ${join(prefix, 'include', 'gpac', 'constants.h')}`);
  });

  it('lists where it looked for a missing library', () => {
    const t = tmpDir();
    const prefix = fakePrefix(t.path, false);
    const e = introspectError(() => introspectGpac({ prefix }));
    expect(e.command).toBe(`locate libgpac in ${prefix}`);
    expect(e.output).toContain(join(prefix, 'lib', 'libgpac.so'));
    expect(e.output).toContain(join(prefix, 'lib64', 'libgpac.so'));
  });

  it('gives the compiler command and its output when compiling fails', () => {
    const t = tmpDir();
    const cc = fakeCc(t.path, null);
    const e = introspectError(() => introspectGpac({ prefix: fakePrefix(t.path), cc }));
    expect(e.command.startsWith(`${cc} -O1 -o `)).toBe(true);
    expect(e.command).toContain('gpac_introspect.c');
    expect(e.output).toContain('gpac/tools.h: No such file or directory');
    expect(e.message).toContain('compiling the introspection probe: exit status 1');
  });

  it('refuses a probe that crashes, prints non-JSON or JSON of another shape', () => {
    const t = tmpDir();
    const prefix = fakePrefix(t.path);
    const cases: [script: string, message: RegExp, output: string][] = [
      ['#!/bin/sh\necho "half a doc" >&2\nkill -SEGV $$', /killed by SIGSEGV/, 'half a doc'],
      ['#!/bin/sh\necho "{\\"version\\":"', /did not print JSON/, '{"version":'],
      ['#!/bin/sh\necho "{\\"version\\":\\"1\\"}"', /unexpected JSON: \$\.abi: expected an object, got nothing/, '{"version":"1"}'],
      ['#!/bin/sh\necho oops\nexit 2', /exit status 2/, 'oops'],
    ];
    for (const [script, message, output] of cases) {
      const e = introspectError(() => introspectGpac({ prefix, cc: fakeCc(t.path, script) }));
      expect(e.message, script).toMatch(message);
      expect(e.command, script).toMatch(/gpac_introspect$/);
      expect(e.output, script).toContain(output);
    }
  });
});

/** The install prefix of the libgpac the helpers found (GPAC_HOME when set). */
function gpacPrefix(): string {
  if (process.env.GPAC_HOME) return process.env.GPAC_HOME;
  return dirname(dirname(libgpacPath ?? '/nonexistent/lib/libgpac.so'));
}

/** Output of the gpac CLI without its colour codes. */
async function gpacHelp(args: string[]): Promise<string> {
  const r = await runProcess('gpac', args);
  return `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
}

// The generator's introspection and probe compile are synchronous (cc, then the probe: seconds): they run
// in a worker thread so that this fork's event loop keeps turning.
const INTROSPECT = new URL('../../codegen/introspect/index.ts', import.meta.url);

describeGpac('introspection of the installed GPAC', () => {
  let gpac: Introspection;
  beforeAll(async () => {
    gpac = await callInWorker<Introspection>(INTROSPECT, 'introspectGpac', [{ prefix: gpacPrefix() }]);
  }, 120_000);

  it('reads version and ABI from the library', () => {
    expect(gpac.version).toMatch(/^\d+\.\d+/);
    expect(gpac.abi.major).toBeGreaterThan(0);
    expect(gpac.warnings).toEqual([]);
  });

  it('reads dasher options: segdur is a fraction, profile an enumeration with live', () => {
    const dasher = gpac.filters.find((f) => f.name === 'dasher');
    expect(dasher).toBeDefined();
    const segdur = dasher!.options.find((o) => o.name === 'segdur');
    expect(segdur).toMatchObject({ type: 'GF_PROP_FRACTION', default: '0/0', values: null });
    const profile = dasher!.options.find((o) => o.name === 'profile');
    expect(profile?.type).toBe('GF_PROP_UINT');
    expect(profile?.values).toEqual(expect.arrayContaining(['auto', 'live', 'onDemand']));
    expect(profile?.values?.join('|')).toBe(profile?.minMaxEnum);
  });

  it('sorts filters and each filter options by name, properties by name then code', () => {
    const names = gpac.filters.map((f) => f.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const f of gpac.filters) {
      const opts = f.options.map((o) => o.name);
      expect(opts, f.name).toEqual([...opts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const props = gpac.properties.map((p) => `${p.name}\u0000${String(p.code).padStart(10, '0')}`);
    expect(props).toEqual([...props].sort());
  });

  it('reads built-in properties: ID is PIDI, a uint on PIDs', () => {
    const id = gpac.properties.find((p) => p.name === 'ID');
    expect(id).toEqual({ name: 'ID', fourcc: 'PIDI', code: 0x50494449, constant: null, type: 'GF_PROP_UINT', flags: { packet: false, gsfRemovable: false } });
    for (const p of gpac.properties) expect(p.type, p.name).toMatch(/^GF_PROP_[A-Z0-9_]+$/);
  });

  itGpacCli('lists every filter that gpac -h filters lists', async () => {
    const listed = (await gpacHelp(['-h', 'filters']))
      .split('\n')
      .map((l) => /^([\w.-]+): /.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    expect(listed.length).toBeGreaterThan(50);
    const ours = new Set(gpac.filters.map((f) => f.name));
    expect(listed.filter((n) => !ours.has(n))).toEqual([]);
    expect(gpac.filters.length).toBeGreaterThanOrEqual(listed.length);
  });

  itGpacCli('lists every property of gpac -h props with its 4CC, type and flags', async () => {
    const typeName: Record<string, string> = {};
    const listed = (await gpacHelp(['-h', 'props']))
      .split('\n')
      .map((l) => /^(\w+)\s+\((.{4}) (\w+)\s*([DP]*)\):/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(listed.length).toBeGreaterThan(100);
    // names are not unique (ContentLightLevel is CLLI on PIDs and CLLP on packets): match name and 4CC
    const ours = new Map(gpac.properties.map((p) => [`${p.name} ${p.fourcc}`, p]));
    expect(ours.size).toBe(gpac.properties.length);
    for (const [, name, fourcc, type, flags] of listed) {
      const p = ours.get(`${name} ${fourcc}`);
      expect(p, `${name} ${fourcc}`).toBeDefined();
      expect(p!.flags, name).toEqual({ packet: flags!.includes('P'), gsfRemovable: flags!.includes('D') });
      // one GF_PropType name per gpac type name across all properties
      typeName[type!] ??= p!.type;
      expect(p!.type, `${name} (${type})`).toBe(typeName[type!]);
    }
    expect(gpac.properties.length).toBe(listed.length);
    expect(typeName.uint).toBe('GF_PROP_UINT');
    expect(typeName.frac).toBe('GF_PROP_FRACTION');
  });

  it('reads the names libgpac gives values: one table per kind, own names and aliases', () => {
    const vn = gpac.valueNames;
    expect(Object.keys(vn)).toEqual([
      'CodecID',
      'GF_PROP_CICP_COL_MX',
      'GF_PROP_CICP_COL_PRIM',
      'GF_PROP_CICP_COL_TFC',
      'GF_PROP_CICP_LAYOUT',
      'GF_PROP_PCMFMT',
      'GF_PROP_PIXFMT',
      'StreamType',
    ]);
    const named = (kind: string, name: string) => vn[kind]!.find((e) => e.name === name);
    // constants.h: GF_STREAM_VISUAL 0x04, GF_CODECID_AVC 0x21, GF_PIXEL_YUV GF_4CC('Y','U','1','2'), GF_AUDIO_FMT_S16 2
    expect(named('StreamType', 'Visual')).toEqual({ value: 4, name: 'Visual' });
    expect(named('StreamType', 'video')).toEqual({ value: 4, name: 'video', alias: true });
    expect(named('CodecID', '264')).toEqual({ value: 0x21, name: '264' });
    expect(named('CodecID', 'avc')).toEqual({ value: 0x21, name: 'avc', alias: true });
    expect(named('GF_PROP_PIXFMT', 'yuv420')).toEqual({ value: 0x59553132, name: 'yuv420' });
    expect(named('GF_PROP_PIXFMT', 'yuv')).toEqual({ value: 0x59553132, name: 'yuv', alias: true });
    expect(named('GF_PROP_PCMFMT', 's16')).toEqual({ value: 2, name: 's16' });
    expect(named('GF_PROP_CICP_COL_PRIM', 'BT709')).toEqual({ value: 1, name: 'BT709' });
    for (const [kind, list] of Object.entries(vn)) {
      expect(list.length, kind).toBeGreaterThan(0);
      expect(new Set(list.map((e) => e.name)).size, `${kind}: names are unique`).toBe(list.length);
      const own = list.filter((e) => !e.alias).map((e) => e.value);
      expect(new Set(own).size, `${kind}: one own name per value`).toBe(own.length);
      const order = list.map((e) => [e.value, e.alias ? 1 : 0, e.name] as const);
      const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
      expect(order, kind).toEqual(sorted);
      for (const e of list) expect(e, kind).not.toHaveProperty('description');
    }
  });

  itGpacCli('has exactly the codec short names gpac -h codecs lists', async () => {
    const listed = new Set<string>();
    for (const line of (await gpacHelp(['-h', 'codecs'])).split('\n')) {
      const m = /^(\S+?)(?: \[[A-Z]+\])?:\s/.exec(line);
      if (m && !line.startsWith('Note')) for (const n of m[1]!.split('|')) listed.add(n);
    }
    expect(listed.size).toBeGreaterThan(50);
    expect(new Set(gpac.valueNames.CodecID!.map((e) => e.name))).toEqual(listed);
  });

  itGpacCli('keeps the CICP layout names gpac -h layouts lists whose index GPAC\'s parser gives back', async () => {
    const listed = new Map<string, number>();
    for (const line of (await gpacHelp(['-h', 'layouts'])).split('\n')) {
      const m = /^(\S+) \((\d+)\): 0x/.exec(line);
      if (m && !listed.has(m[1]!)) listed.set(m[1]!, Number(m[2]));
    }
    expect(listed.size).toBeGreaterThan(10);
    const ours = gpac.valueNames.GF_PROP_CICP_LAYOUT!;
    for (const e of ours) expect(listed.get(e.name), e.name).toBe(e.value);
    expect(ours.map((e) => e.name)).toEqual(expect.arrayContaining(['mono', 'stereo']));
    // gf_audio_fmt_get_cicp_from_name compares atoi(name) with each index before the names: "3/1.0" reads as 3.
    expect(ours.find((e) => e.name === '3/1.0')).toBeUndefined();
  });

  it('names every pixel and audio format the options offer (compositor opfmt / afmt lists)', () => {
    const compositor = gpac.filters.find((f) => f.name === 'compositor')!;
    for (const [opt, kind] of [
      ['opfmt', 'GF_PROP_PIXFMT'],
      ['afmt', 'GF_PROP_PCMFMT'],
    ] as const) {
      const offered = compositor.options.find((o) => o.name === opt)!.values!.filter((v) => v !== 'none');
      expect(offered.length, opt).toBeGreaterThan(10);
      const own = new Set(gpac.valueNames[kind]!.filter((e) => !e.alias).map((e) => e.name));
      expect(offered.filter((n) => !own.has(n)), opt).toEqual([]);
    }
  });

  itGpacCli('gives the stream types inspect prints for the test media their GF_STREAM values', async () => {
    const r = await inspect(fileURLToPath(new URL('../media/av.mp4', import.meta.url)));
    const types = r.pids.map((p) => p.streamType).sort();
    expect(types).toEqual(['Audio', 'Visual']);
    const table = gpac.valueNames.StreamType!;
    expect(types.map((t) => table.find((e) => e.name === t && !e.alias)?.value)).toEqual([5, 4]);
  }, 60_000);

  it('compiles the probe in the other documentation configuration too (GPAC_DISABLE_DOC)', async () => {
    // compile only: the struct layouts then differ from the library's, so this executable is not run
    const t = tmpDir();
    const exe = await callInWorker<string>(INTROSPECT, 'compileProbe', [{ prefix: gpacPrefix(), dir: t.path, extraFlags: ['-DGPAC_DISABLE_DOC'] }]);
    expect(existsSync(exe)).toBe(true);
  }, 60_000);
});
