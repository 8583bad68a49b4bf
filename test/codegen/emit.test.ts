// IR → generated TS and JSON Schemas, from the hand-checked fixture IR (test/codegen/fixtures/emit/):
// banner, determinism, every constant with its header value, the type-checked output (tsc --strict,
// with a usage file that must compile and one that must not), every schema compiling under ajv strict.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpacIR } from '../../codegen/ir-types.js';
import {
  TS_TYPE_OF_PROP,
  banner,
  checkGenericOptions,
  genericOptions,
  genericOptionsFor,
  optionModel,
  stableJson,
  tsString,
  type EmittedFile,
} from '../../codegen/emit/common.js';
import type { IROption } from '../../codegen/ir-types.js';
import { emitSchemas } from '../../codegen/emit/schemas.js';
import { emitTs } from '../../codegen/emit/ts.js';
import { tmpDir } from '../helpers/tmp.js';
import { interfaceMembers } from './_interfaces.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(HERE, 'fixtures', 'emit', 'gpac-fixture.json');

function loadFixture(): GpacIR {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as GpacIR;
}

function writeFiles(root: string, files: EmittedFile[]): void {
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
}

/** tsc --strict --noEmit over `files` (NodeNext ESM, as the project), via the compiler API. */
function typecheck(files: string[]): ts.Diagnostic[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return [...ts.getPreEmitDiagnostics(program)];
}

function describeDiagnostics(ds: ts.Diagnostic[]): string {
  return ds
    .map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '?';
      return `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    })
    .join('\n');
}

/** `export const NAME = VALUE[ as T];` of every emitted TS file: name → literal text. */
function emittedConstants(files: EmittedFile[]): Map<string, { value: string; file: string }> {
  const out = new Map<string, { value: string; file: string }>();
  for (const f of files) {
    for (const m of f.content.matchAll(/^export const (GF_\w+) = (-?[0-9]+n?)(?: as \w+)?;$/gm)) {
      if (out.has(m[1]!)) throw new Error(`${m[1]} declared in ${out.get(m[1]!)!.file} and ${f.path}`);
      out.set(m[1]!, { value: m[2]!, file: f.path });
    }
  }
  return out;
}

describe('optionModel: how an IR option is read', () => {
  const filter = { name: 'f', flags: [], options: [] };
  const opt = (o: Partial<IROption>): IROption => ({
    name: 'o',
    type: 'GF_PROP_UINT',
    default: null,
    min: null,
    max: null,
    values: null,
    minMaxEnum: null,
    flags: { advanced: false, expert: false, hidden: false, updatable: false, updateSync: false, meta: false, sinkAlias: false },
    ...o,
  });
  it('UINT enumerations: names without empty positions; integer names also as numbers', () => {
    expect(optionModel(filter, opt({ values: ['', 'v0', 'v1'] }), {}).names).toEqual(['v0', 'v1']);
    const rot = optionModel(filter, opt({ values: ['0', '90', '180', '270'] }), {});
    expect(rot.names).toEqual(['0', '90', '180', '270']);
    expect(rot.numericNames).toEqual([0, 90, 180, 270]);
  });
  it('enum types: names from the value-name table (aliases included), else the option\'s own list; plus "none" and the default', () => {
    const table = { GF_PROP_PCMFMT: [{ value: 2, name: 's16' }, { value: 2, name: 'pcm', alias: true as const }, { value: 6, name: 'flt' }] };
    const m = optionModel(filter, opt({ type: 'GF_PROP_PCMFMT', values: ['none', 'u8', 's16'], default: 's16' }), table);
    expect(m.names).toEqual(['s16', 'pcm', 'flt', 'none']);
    expect(m.acceptsCode).toBe(false);
    // Without a table: the option's list.
    expect(optionModel(filter, opt({ type: 'GF_PROP_PCMFMT', values: ['none', 'u8', 's16'], default: 's16' }), {}).names).toEqual(['none', 'u8', 's16']);
    // A listed name GPAC's parser misreads (CICP layout "3/1.0" parses as 3) is not in the table, so not offered;
    // the default is kept whatever it is, since GPAC declares it.
    const layout = optionModel(filter, opt({ type: 'GF_PROP_CICP_LAYOUT', values: ['mono', 'stereo', '3/1.0'], default: 'None' }), {
      GF_PROP_CICP_LAYOUT: [{ value: 1, name: 'mono' }, { value: 2, name: 'stereo' }],
    });
    expect(layout).toMatchObject({ names: ['mono', 'stereo', 'None'], acceptsCode: true });
    expect(optionModel(filter, opt({ type: 'GF_PROP_CICP_COL_PRIM', default: '-1' }), {})).toMatchObject({ names: null, acceptsCode: true });
  });
  it('values GPAC does not enforce are hints ("_any" dropped); META options are strings', () => {
    expect(optionModel(filter, opt({ type: 'GF_PROP_STRING', values: ['_any', 'stderr', 'stdout'] }), {}).hints).toEqual(['stderr', 'stdout']);
    expect(optionModel(filter, opt({ type: 'GF_PROP_SINT', values: ['pal', 'ntsc'] }), {})).toMatchObject({ names: null, hints: ['pal', 'ntsc'] });
    const meta = optionModel(filter, opt({ type: 'GF_PROP_UINT', flags: { ...opt({}).flags, meta: true } }), {});
    expect(meta).toMatchObject({ type: 'GF_PROP_STRING', shape: 'string', flags: ['meta'] });
  });
  it('number bounds: C range ∩ min/max; -1 allowed for unsigned options defaulting to -1; 64-bit as safe integers', () => {
    expect(optionModel(filter, opt({ min: 0, max: 100 }), {})).toMatchObject({ min: 0, max: 100 });
    expect(optionModel(filter, opt({}), {})).toMatchObject({ min: 0, max: 4294967295 });
    expect(optionModel(filter, opt({ type: 'GF_PROP_LUINT', default: '-1' }), {})).toMatchObject({ min: -1, max: Number.MAX_SAFE_INTEGER });
    expect(optionModel(filter, opt({ type: 'GF_PROP_LSINT', min: -9223372036854775808 }), {})).toMatchObject({ min: -Number.MAX_SAFE_INTEGER });
  });
  it('generic options: all but those the register shadows by name, or by an enum value read for a bare name', () => {
    const all = genericOptions().options.map((g) => g.name);
    expect(all).toEqual(expect.arrayContaining(['FID', 'SID', 'N', 'TAG', 'RSID', 'clone', 'gfreg', 'gfloc', 'gfopt', 'ITAG', 'FS', 'nomux']));
    expect(all).not.toContain('FBD'); // documented, but not parsed per filter instance
    expect(genericOptionsFor(filter).map((g) => g.name)).toEqual(all);
    const own = { ...filter, options: [opt({ name: 'TAG', type: 'GF_PROP_STRING' }), opt({ name: 'mode', values: ['a', 'clone', 'FID'] })] };
    const offered = genericOptionsFor(own).map((g) => g.name);
    // TAG: the register's own option; clone: `:clone` would be read as mode=clone; FID=… is not bare, so kept.
    expect(all.filter((n) => !offered.includes(n))).toEqual(['TAG', 'clone']);
  });

  it('generic-options.json is checked when read, naming the entry', () => {
    const good = genericOptions();
    const bad = (patch: (g: { options: Record<string, unknown>[] }) => void) => {
      const g = JSON.parse(JSON.stringify(good)) as { options: Record<string, unknown>[] };
      patch(g);
      return () => checkGenericOptions(g, 'x.json');
    };
    expect(bad((g) => g.options.push({ ...g.options[0]! }))).toThrow('x.json: options[18]: FID is listed twice');
    expect(bad((g) => (g.options[0]!.syntax = 'flag'))).toThrow('x.json: options[0] (FID): flag and switch options are GF_PROP_BOOL, and only they');
    expect(bad((g) => (g.options[0]!.type = 'GF_PROP_FRACTION'))).toThrow(/options\[0\] \(FID\): type must be one of/);
  });

  it('tsString writes single-quoted literals that read back', () => {
    for (const s of [`a"b'c\\d`, 'x\ny', '']) expect(eval(tsString(s))).toBe(s);
  });
});

describe('emitTs / emitSchemas on the fixture IR', () => {
  let ir: GpacIR;
  let tsFiles: EmittedFile[];
  let schemaFiles: EmittedFile[];
  beforeAll(() => {
    ir = loadFixture();
    tsFiles = emitTs(ir);
    schemaFiles = emitSchemas(ir);
  });

  it('writes the expected files under generated/', () => {
    const paths = tsFiles.map((f) => f.path);
    for (const p of [
      'generated/errors.ts',
      'generated/events.ts',
      'generated/properties.ts',
      'generated/media.ts',
      'generated/session.ts',
      'generated/constants.ts',
      'generated/value-types.ts',
      'generated/lookup.ts',
      'generated/value-names.ts',
      'generated/property-table.ts',
      'generated/filter-options.ts',
      'generated/index.ts',
    ]) {
      expect(paths).toContain(p);
    }
    for (const f of ir.filters) {
      expect(paths).toContain(`generated/filters/${f.name}.ts`);
      expect(schemaFiles.map((s) => s.path)).toContain(`generated/schemas/${f.name}.schema.json`);
    }
    expect(schemaFiles.map((s) => s.path)).toContain('generated/schemas/index.json');
  });

  it('starts every file with the DO-NOT-EDIT banner naming the generator, the IR and the command', () => {
    const tsBanner = banner('ts', 'ts', ir.gpac.version);
    expect(tsBanner).toBe(
      '// DO NOT EDIT — generated by gpac-ts codegen (ts) from codegen/ir/gpac-26.08-DEV.json; regenerate with `npm run codegen`',
    );
    for (const f of tsFiles) expect(f.content.split('\n')[0], f.path).toBe(tsBanner);
    for (const f of schemaFiles) {
      expect((JSON.parse(f.content) as { $comment: string }).$comment, f.path).toBe(banner('schemas', 'json', ir.gpac.version));
    }
    expect(banner('native', 'c')).toMatch(/^\/\* DO NOT EDIT — generated by gpac-ts codegen \(native\) from codegen\/ir\/; .*\*\/$/);
  });

  it('is deterministic: emitting twice gives identical bytes', () => {
    expect(emitTs(loadFixture())).toEqual(tsFiles);
    expect(emitSchemas(loadFixture())).toEqual(schemaFiles);
  });

  it('exports every GF_ enum member and integer #define of the IR with its header value', () => {
    const consts = emittedConstants(tsFiles);
    let checked = 0;
    for (const e of ir.enums) {
      for (const m of e.members) {
        if (!m.name.startsWith('GF_')) continue;
        const expected = typeof m.value === 'number' ? String(m.value) : `${m.value}n`;
        expect(consts.get(m.name)?.value, `${e.name}.${m.name}`).toBe(expected);
        checked++;
      }
    }
    for (const c of ir.constants) {
      if (c.enum !== null || !c.name.startsWith('GF_') || (c.valueKind !== 'int' && c.valueKind !== 'bigint')) continue;
      const expected = c.valueKind === 'bigint' ? `${c.value}n` : String(c.value);
      expect(consts.get(c.name)?.value, c.name).toBe(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
    // Spot checks against tools.h / filters.h, and which subject file they went to.
    expect(consts.get('GF_URL_ERROR')).toEqual({ value: '-12', file: 'generated/errors.ts' });
    expect(consts.get('GF_FEVT_PLAY')).toEqual({ value: '1', file: 'generated/events.ts' });
    expect(consts.get('GF_FEVT_NETWORK_HINT')).toEqual({ value: '24', file: 'generated/events.ts' });
    expect(consts.get('GF_PROP_PIXFMT')).toEqual({ value: '40', file: 'generated/properties.ts' });
    expect(consts.get('GF_FS_FLAG_NO_RESERVOIR')).toEqual({ value: String(1 << 9), file: 'generated/session.ts' });
    expect(consts.get('GF_CAPS_INPUT_OUTPUT')).toEqual({ value: '7', file: 'generated/session.ts' });
    expect(consts.get('GF_CODECID_AVC')).toEqual({ value: '33', file: 'generated/media.ts' });
    expect(consts.get('GF_PROP_PID_ID')?.value).toBe(String(0x50494449)); // GF_4CC('P','I','D','I')
  });

  it('writes 64-bit constants as bigint literals', () => {
    const session = tsFiles.find((f) => f.path === 'generated/session.ts')!.content;
    expect(session).toContain('export const GF_FILTER_NO_TS = 18446744073709551615n;');
    expect(session).toContain('export const GF_FILTER_NO_BO = 18446744073709551615n;');
  });

  it('brands named enums and gives each an `as const` object; GF_ERR_NAMES maps codes to names', () => {
    const errors = tsFiles.find((f) => f.path === 'generated/errors.ts')!.content;
    expect(errors).toContain("export type GF_Err = number & { readonly __brand: 'GF_Err' };");
    expect(errors).toContain('export const GF_URL_ERROR = -12 as GF_Err;');
    expect(errors).toMatch(/export const GF_Err = \{\n {2}GF_SCRIPT_INFO,\n/);
    expect(errors).toContain("'-12': 'GF_URL_ERROR',");
    const events = tsFiles.find((f) => f.path === 'generated/events.ts')!.content;
    expect(events).toContain('export const GF_FEVT_PLAY = 1 as GF_FEventType;');
    // Anonymous enums (the property 4CCs) have no brand: plain numbers.
    const props = tsFiles.find((f) => f.path === 'generated/properties.ts')!.content;
    expect(props).toContain('export const GF_PROP_PID_ID = 1346978889;');
  });

  it('types every built-in property by its GF_PROP type (names for StreamType/CodecID/enums)', () => {
    const table = tsFiles.find((f) => f.path === 'generated/property-table.ts')!.content;
    const types = interfaceMembers(table, 'PropertyValueTypes');
    expect(types.get('ID')).toBe('number');
    // Named values read as the names libgpac gives them, or as numbers when it has none that parses back.
    expect(types.get('StreamType')).toBe("ReadValueNameOf<'StreamType'> | number");
    expect(types.get('CodecID')).toBe("ReadValueNameOf<'CodecID'> | number");
    expect(types.get('PixelFormat')).toBe("ReadValueNameOf<'GF_PROP_PIXFMT'> | number");
    expect(types.get('ColorPrimaries')).toBe("ReadValueNameOf<'GF_PROP_CICP_COL_PRIM'> | number");
    expect(table).toContain("import type { ReadValueNameOf, ValueNameOf } from './value-names.js';");
    // What may be written: any name GPAC's parser takes (aliases too), fractions as objects, lists readonly.
    const inputs = interfaceMembers(table, 'PropertyInputTypes');
    expect(inputs.get('StreamType')).toBe("ValueNameOf<'StreamType'> | number");
    expect(inputs.get('PixelFormat')).toBe("ValueNameOf<'GF_PROP_PIXFMT'> | number");
    expect(inputs.get('Delay')).toBe('number | bigint');
    expect(inputs.get('FPS')).toBe('Fraction');
    expect(inputs.get('Duration')).toBe('Fraction64Input');
    expect(inputs.get('IsoAltBrands')).toBe('readonly string[]');
    expect(inputs.size).toBe(types.size);
    expect(types.get('Delay')).toBe('bigint');
    expect(types.get('DownloadSize')).toBe('bigint');
    expect(types.get('FPS')).toBe('Fraction');
    expect(types.get('Duration')).toBe('Fraction64');
    expect(types.get('SRD')).toBe('Vec4');
    expect(types.get('InitialPose')).toBe('Vec3');
    expect(types.get('SRDRef')).toBe('Vec2');
    expect(types.get('DecoderConfig')).toBe('Uint8Array');
    expect(types.get('IsoAltBrands')).toBe('string[]');
    expect(types.get('TrackMatrix')).toBe('number[]');
    expect(types.get('DashMultiPid')).toBe('bigint');
    // Every property of the IR is typed, once.
    expect(new Set(ir.properties.map((p) => p.name)).size).toBe(types.size);
    // PID and packet properties sharing a name (ContentLightLevel) are kept apart.
    expect(table).toMatch(/PID_PROPERTIES = \{[\s\S]*ContentLightLevel: \{ fourcc: 'CLLI'/);
    expect(table).toMatch(/PACKET_PROPERTIES = \{[\s\S]*ContentLightLevel: \{ fourcc: 'CLLP'/);
  });

  it('types named properties string | number when the IR has no value names (older IRs)', () => {
    const bare = loadFixture();
    delete bare.valueNames;
    const files = emitTs(bare);
    const table = files.find((f) => f.path === 'generated/property-table.ts')!.content;
    expect(table).toContain('  StreamType: string | number;');
    expect(table).not.toContain('ReadValueNameOf');
    expect(table).not.toContain('ValueNameOf<');
    expect(files.find((f) => f.path === 'generated/value-names.ts')!.content).toContain('export const VALUE_NAMES = {} as const');
  });

  it('maps every GF_PROP type the fixture uses (and refuses an unknown one, naming it)', () => {
    for (const p of ir.properties) expect(TS_TYPE_OF_PROP[p.type], p.type).toBeDefined();
    const bad = loadFixture();
    bad.filters[0]!.options[0]!.type = 'GF_PROP_42';
    expect(() => emitTs(bad)).toThrow(/filter bsrw option cmx: GPAC property type GF_PROP_42 has no TypeScript mapping/);
    expect(() => emitSchemas(bad)).toThrow(/GF_PROP_42/);
  });

  it('refuses a constant defined twice with different values', () => {
    const bad = loadFixture();
    bad.constants.push({ name: 'GF_URL_ERROR', value: 5, valueKind: 'int', enum: null, source: { header: 'gpac/x.h', line: 1 } });
    expect(() => emitTs(bad)).toThrow(/#define GF_URL_ERROR \(gpac\/x\.h:1\): constant GF_URL_ERROR is defined twice with different values \(-12, 5\)/);
  });

  it('writes one options interface per filter, enum options as unions of their names', () => {
    const dasher = tsFiles.find((f) => f.path === 'generated/filters/dasher.ts')!.content;
    expect(dasher).toContain('export interface DasherOptions extends GenericFilterOptions {');
    expect(dasher).toContain("import type { GenericFilterOptions } from '../generic-options.js';");
    expect(dasher).toContain(
      "profile?: 'auto' | 'live' | 'onDemand' | 'main' | 'full' | 'hbbtv1.5.live' | 'dashavc264.live' | 'dashavc264.onDemand' | 'dashif.ll' | 'dashif.ingest';",
    );
    expect(dasher).toContain('segdur?: number | Fraction | GpacFractionString;');
    expect(dasher).toContain('base?: readonly string[] | string;');
    const map = tsFiles.find((f) => f.path === 'generated/filter-options.ts')!.content;
    expect(map).toContain('  dasher: DasherOptions;');
    expect(map).toContain(`export const FILTER_NAMES = [${ir.filters.map((f) => `'${f.name}'`).join(', ')}] as const;`);
    // ffenc has the "*" meta option: any further option is allowed.
    expect(tsFiles.find((f) => f.path === 'generated/filters/ffenc.ts')!.content).toContain('[option: string]: unknown;');
    // Pixel formats: every name the table has (aliases too), and "none".
    const pfmt = /^ {2}pfmt\?: (.*);$/m.exec(tsFiles.find((f) => f.path === 'generated/filters/ffenc.ts')!.content)![1]!.split(' | ');
    expect(pfmt).toEqual(expect.arrayContaining(["'none'", "'yuv420'", "'yuv'", "'extgl'"]));
    expect(pfmt).toHaveLength(ir.valueNames!.GF_PROP_PIXFMT!.length + 1);
    const generic = tsFiles.find((f) => f.path === 'generated/generic-options.ts')!.content;
    expect(generic).toContain('export interface GenericFilterOptions {');
    expect(generic).toContain('  FID?: string;');
    expect(generic).toContain('  RSID?: boolean;');
    expect(generic).toContain('  FS?: number | `${bigint}`;');
    expect(generic).toContain('  ccp?: true | readonly string[] | string;');
    expect(generic).toContain('  [property: `#${string}`]: string | number | bigint | boolean | undefined;');
  });

  it('type-checks under tsc --strict; good usage compiles, a wrong enum value does not', () => {
    const tmp = tmpDir('gpac-ts-emit-');
    const ir2 = loadFixture();
    // A filter whose name and option names are not identifiers must still give valid TS.
    ir2.filters.push({
      name: 'my-filter',
      flags: [],
      options: [
        { ...ir2.filters[0]!.options.find((o) => o.type === 'GF_PROP_BOOL')!, name: '3d' },
        { ...ir2.filters[0]!.options.find((o) => o.type === 'GF_PROP_BOOL')!, name: 'a-b' },
        // shadows the generic TAG option (a string): the register's boolean wins
        { ...ir2.filters[0]!.options.find((o) => o.type === 'GF_PROP_BOOL')!, name: 'TAG' },
      ],
    });
    writeFiles(tmp.path, emitTs(ir2));
    writeFileSync(join(tmp.path, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      join(tmp.path, 'good.ts'),
      [
        "import { type FilterOptionsMap, type GF_Err, type PropertyValueTypes, type ValueNameOf, GF_OK, GF_FEventType, GF_FEVT_PLAY, GF_FILTER_NO_TS, enumName, gpacErrorName } from './generated/index.js';",
        "const o: FilterOptionsMap['dasher'] = { segdur: 2, profile: 'live' };",
        "const o2: FilterOptionsMap['dasher'] = { segdur: { num: 3, den: 2 }, base: ['a', 'b'], buf: '2k', tsb: 'T00:01:00', check_dur: 'yes' };",
        "const v: FilterOptionsMap['vout'] = { wsize: '1280x720', olwnd: { x: 1, y: 2, z: 3, w: 4 }, vrot: 90, dur: { num: 10n, den: 1000 } };",
        "const f: FilterOptionsMap['ffenc'] = { c: 'avc', pfmt: 'yuv420', 'x264-params': 'keyint=50' };",
        "const m: FilterOptionsMap['my-filter'] = { '3d': true, 'a-b': 'no', TAG: true, FID: 'x' };",
        "const g: FilterOptionsMap['inspect'] = { FID: 'i', SID: 'src#PID=1', N: 'check', FS: 1, FBT: '1000', RSID: true, clone: false, gfreg: ['ffdmx'], gfloc: true, ccp: true, '#ServiceID': 4, '#Alpha': true, '#Name': 'str@x' };",
        "const codec: ValueNameOf<'CodecID'> = 'avc';",
        "const read: PropertyValueTypes['StreamType'] = Math.random() > 0.5 ? 'Visual' : 7;",
        'const e: GF_Err = GF_OK;',
        'const big: bigint = GF_FILTER_NO_TS;',
        "const name: 'GF_FEVT_PLAY' | undefined = enumName(GF_FEventType, GF_FEVT_PLAY) === 'GF_FEVT_PLAY' ? 'GF_FEVT_PLAY' : undefined;",
        "const d: PropertyValueTypes['Duration'] = { num: 1n, den: 1000n };",
        'export const all = [o, o2, v, f, m, g, codec, read, e, big, name, d, gpacErrorName(-12)];',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(tmp.path, 'bad.ts'),
      ["import type { FilterOptionsMap } from './generated/index.js';", "export const o: FilterOptionsMap['dasher'] = { segdur: 2, profile: 'lve' };", ''].join('\n'),
    );
    const generated = emitTs(ir2).map((f) => join(tmp.path, f.path));
    const good = typecheck([...generated, join(tmp.path, 'good.ts')]);
    expect(describeDiagnostics(good)).toBe('');
    const bad = typecheck([...generated, join(tmp.path, 'bad.ts')]);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.file?.fileName).toBe(join(tmp.path, 'bad.ts'));
    // TS2322 "not assignable", or its TS2820 form that adds "Did you mean '"live"'?".
    expect([2322, 2820]).toContain(bad[0]!.code);
    expect(bad[0]!.file!.getLineAndCharacterOfPosition(bad[0]!.start!).line + 1).toBe(2);
    expect(ts.flattenDiagnosticMessageText(bad[0]!.messageText, '\n')).toContain('"lve"');
    // Wrong generic options, PID property values and value names are type errors too, one per line.
    const bad2Lines = [
      "import type { FilterOptionsMap, PropertyValueTypes, ValueNameOf } from './generated/index.js';",
      "export const a: FilterOptionsMap['dasher'] = { RSID: 'yes' };",
      "export const b: FilterOptionsMap['dasher'] = { FS: 'x' };",
      "export const c: FilterOptionsMap['dasher'] = { '#ServiceID': { a: 1 } };",
      "export const d: ValueNameOf<'CodecID'> = 'avcx';",
      "export const e: PropertyValueTypes['StreamType'] = 'Visul';",
      "export const f: FilterOptionsMap['my-filter'] = { TAG: 'x' };",
      '',
    ];
    writeFileSync(join(tmp.path, 'bad2.ts'), bad2Lines.join('\n'));
    const bad2 = typecheck([...generated, join(tmp.path, 'bad2.ts')]);
    expect(bad2.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1).sort((x, y) => x - y), describeDiagnostics(bad2)).toEqual([2, 3, 4, 5, 6, 7]);
  }, 60_000);

  it('runs: lookups over the emitted modules give header names and values', async () => {
    const tmp = tmpDir('gpac-ts-emit-run-');
    writeFiles(tmp.path, tsFiles);
    writeFileSync(join(tmp.path, 'package.json'), '{"type":"module"}\n');
    const g = (await import(join(tmp.path, 'generated', 'index.ts'))) as Record<string, unknown>;
    const fn = (n: string) => g[n] as (...a: unknown[]) => unknown;
    expect(fn('gpacErrorName')(-12)).toBe('GF_URL_ERROR');
    expect(fn('gpacErrorName')(-1000)).toBeUndefined();
    expect(fn('enumName')(g.GF_FEventType, 1)).toBe('GF_FEVT_PLAY');
    expect(fn('enumValue')(g.GF_StreamType, 'GF_STREAM_VISUAL')).toBe(4);
    expect(fn('valueName')('StreamType', 4)).toBe('Visual');
    expect(fn('valueByName')('GF_PROP_PIXFMT', 'yuv420')).toBe(0x59553132); // GF_4CC('Y','U','1','2')
    // CodecID 33 (AVC): "264" is the name libgpac gives it; "avc" and "h264" are aliases its parser takes.
    expect(fn('valueName')('CodecID', 33)).toBe('264');
    expect(fn('valueByName')('CodecID', 'avc')).toBe(33);
    expect(fn('valueByName')('CodecID', 'h264')).toBe(33);
    expect(fn('valueByName')('CodecID', 'toString')).toBeUndefined();
    // Values whose libgpac name does not parse back (MPEG-2 SNR is "m2v", which reads as MPEG-2 Main) have none.
    expect(fn('valueName')('CodecID', 0x62)).toBeUndefined();
    expect(fn('valueByName')('CodecID', 'm2vsnr')).toBe(0x62);
    expect(g.GENERIC_OPTION_NAMES).toContain('FID');
    expect(g.FILTER_NAMES).toEqual(ir.filters.map((f) => f.name));
    expect((g.PID_PROPERTIES as Record<string, { fourcc: string }>).ID!.fourcc).toBe('PIDI');
  });

  it('every schema compiles under ajv strict mode (and strict mode is really on)', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    expect(() => ajv.compile({ type: 'object', minimum: 1 })).toThrow(/strict mode/);
    let n = 0;
    for (const f of schemaFiles) {
      if (!f.path.endsWith('.schema.json')) continue;
      const schema = JSON.parse(f.content) as { $schema: string; $id: string; title: string; additionalProperties: unknown };
      expect(() => ajv.compile(schema), f.path).not.toThrow();
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.$id).toBe(`urn:gpac-ts:filter:${schema.title}`);
      n++;
    }
    expect(n).toBe(ir.filters.length);
  });

  it('schemas: closed objects, enums, ranges; index.json holds each option\'s facts', () => {
    const dasher = JSON.parse(schemaFiles.find((f) => f.path === 'generated/schemas/dasher.schema.json')!.content) as {
      additionalProperties: unknown;
      properties: Record<string, unknown>;
    };
    expect(dasher.additionalProperties).toBe(false);
    expect(dasher.properties.profile).toEqual({
      type: 'string',
      enum: ['auto', 'live', 'onDemand', 'main', 'full', 'hbbtv1.5.live', 'dashavc264.live', 'dashavc264.onDemand', 'dashif.ll', 'dashif.ingest'],
    });
    expect(dasher.properties.buf).toMatchObject({ anyOf: [{ type: 'integer', minimum: -2147483648, maximum: 2147483647 }, { type: 'string' }] });
    const ffenc = JSON.parse(schemaFiles.find((f) => f.path === 'generated/schemas/ffenc.schema.json')!.content) as {
      additionalProperties: unknown;
      properties: Record<string, unknown>;
    };
    expect(ffenc.additionalProperties).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] });
    expect(ffenc.properties['*']).toBeUndefined();
    const index = JSON.parse(schemaFiles.find((f) => f.path === 'generated/schemas/index.json')!.content) as {
      generic: Record<string, { type: string; syntax: string }>;
      pidProperties: string;
      filters: Record<string, { options: Record<string, { type: string; default: string | null; flags: string[] }> }>;
    };
    expect(Object.keys(index.filters)).toEqual(ir.filters.map((f) => f.name));
    expect(index.filters.dasher!.options.dmode).toMatchObject({ type: 'GF_PROP_UINT', default: 'static', flags: ['updatable'] });
    expect(index.generic.FID).toEqual({ type: 'GF_PROP_STRING', syntax: 'value' });
    expect(index.generic.FS).toEqual({ type: 'GF_PROP_UINT', syntax: 'value', digitsOnly: true });
    expect(index.generic.clone).toEqual({ type: 'GF_PROP_BOOL', syntax: 'switch' });
    expect(index.pidProperties).toBe('^#[^:=]+$');
    // Every schema takes the generic options and `#Name` assignments, and stays closed otherwise.
    const dasherAll = dasher as unknown as { properties: Record<string, unknown>; patternProperties: Record<string, unknown> };
    expect(dasherAll.properties.FID).toEqual({ type: 'string' });
    expect(dasherAll.properties.RSID).toEqual({ type: 'boolean' });
    expect(dasherAll.properties.FS).toEqual({ anyOf: [{ type: 'integer', minimum: 0, maximum: 4294967295 }, { type: 'string', pattern: '^[0-9]+$' }] });
    expect(dasherAll.patternProperties).toEqual({ '^#[^:=]+$': { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } });
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(dasher);
    expect(validate({ FID: 'a', SID: 'b#PID=1', clone: true, '#ServiceID': 3, '#Lang': 'fr' })).toBe(true);
    expect(validate({ FS: '2k' })).toBe(false); // atoi would read 2
    expect(validate({ '#a:b': 1 })).toBe(false);
    expect(validate({ FBD: 1 })).toBe(false);
    // Same bytes as the stable writer gives for the parsed value (no stray formatting).
    for (const f of schemaFiles) expect(stableJson(JSON.parse(f.content))).toBe(f.content);
  });
});
