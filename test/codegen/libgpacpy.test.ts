import { describe, expect, it } from 'vitest';
import { compareWithHeaders, readPyConstants } from '../../codegen/libgpacpy.js';
import type { IRConstant } from '../../codegen/ir-types.js';

const src = (header: string, line: number) => ({ header, line });
const constant = (name: string, value: number): IRConstant => ({ name, value, valueKind: 'int', enum: null, source: src('gpac/filters.h', 1) });

describe('libgpac.py constants', () => {
  const py = readPyConstants(
    [
      'GF_ABI_MAJOR = 16',
      'GF_CAPFLAG_IN_BUNDLE = 1',
      'GF_CAPFLAG_INPUT = 1<<1',
      'GF_CAPS_INPUT = (GF_CAPFLAG_IN_BUNDLE|GF_CAPFLAG_INPUT)  # a comment',
      'GF_PROP_FIRST_ENUM = 40',
      'GF_PROP_PIXFMT = GF_PROP_FIRST_ENUM+1',
      'GF_EOS = -1',
      'GF_FS_FLUSH_NONE = 0,',
      '    GF_INDENTED = 3',
      'GF_NEW_ONLY_IN_PY = 7',
    ].join('\n'),
  );

  it('evaluates shifts, ors, sums, negatives and earlier names; leaves other forms unevaluated', () => {
    const byName = Object.fromEntries(py.map((p) => [p.name, p.value]));
    expect(byName).toEqual({
      GF_ABI_MAJOR: 16,
      GF_CAPFLAG_IN_BUNDLE: 1,
      GF_CAPFLAG_INPUT: 2,
      GF_CAPS_INPUT: 3,
      GF_PROP_FIRST_ENUM: 40,
      GF_PROP_PIXFMT: 41,
      GF_EOS: -1,
      GF_FS_FLUSH_NONE: null, // a Python tuple (0,): a bug of libgpac.py, reported rather than guessed
      GF_NEW_ONLY_IN_PY: 7,
    });
  });

  it('sorts constants into agreeing, disagreeing, missing and unevaluated', () => {
    const headers = [
      constant('GPAC_VERSION_MAJOR', 16),
      constant('GF_CAPFLAG_IN_BUNDLE', 1),
      constant('GF_CAPFLAG_INPUT', 2),
      constant('GF_CAPS_INPUT', 3),
      constant('GF_PROP_FIRST_ENUM', 40),
      constant('GF_PROP_PIXFMT', 42),
      constant('GF_EOS', 1),
      constant('GF_FS_FLUSH_NONE', 0),
    ];
    const c = compareWithHeaders(py, headers);
    expect(c.agree).toBe(5);
    expect(c.disagree.map((d) => [d.py.name, d.py.value, d.header.value])).toEqual([
      ['GF_PROP_PIXFMT', 41, 42],
      ['GF_EOS', -1, 1],
    ]);
    expect(c.missing.map((p) => p.name)).toEqual(['GF_NEW_ONLY_IN_PY']);
    expect(c.unevaluated.map((p) => p.name)).toEqual(['GF_FS_FLUSH_NONE']);
  });
});
