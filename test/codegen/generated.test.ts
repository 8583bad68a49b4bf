// The committed generated/ against the committed IR and, when GPAC is installed, against GPAC itself.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { emitAll, MANIFEST } from '../../codegen/emit/index.js';
import { readPythonConstants } from '../../codegen/cparser/libgpac-py.js';
import { readIR, ROOT } from '../../codegen/ir.js';
import * as generated from '../../generated/index.js';
import * as abi from '../../generated/abi.js';
import { PACKET_PROPERTIES, PID_PROPERTIES } from '../../generated/property-table.js';
import { locateGpacPrefix } from '../../src/discovery.js';
import { gpacCliPath, itGpacCli } from '../helpers/gpac.js';
import { run, runProcess } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';

const manifest = JSON.parse(readFileSync(join(ROOT, MANIFEST), 'utf8')) as { ir: string; files: string[]; withDocs: boolean };
const ir = readIR(manifest.ir);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [relative(ROOT, join(dir, e.name))],
  );
}

describe('generated/ is what the committed IR gives', () => {
  it('regenerates byte for byte, with no extra or missing file', () => {
    const files = emitAll(ir, manifest.ir);
    const onDisk = listFiles(join(ROOT, 'generated')).sort();
    expect(onDisk).toEqual(files.map((f) => f.path).sort());
    const differing = files.filter((f) => readFileSync(join(ROOT, f.path), 'utf8') !== f.content).map((f) => f.path);
    expect(differing).toEqual([]);
    expect(manifest.withDocs).toBe(false);
  });

  it('every generated file opens with a DO-NOT-EDIT line naming the generator and the command', () => {
    for (const path of manifest.files) {
      const head = readFileSync(join(ROOT, path), 'utf8').slice(0, 400);
      expect(head, path).toMatch(/DO NOT EDIT/);
      expect(head, path).toMatch(/npm run codegen/);
    }
  });

  it('passes tsc --strict', () => {
    const tsFiles = manifest.files.filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, f));
    const program = ts.createProgram(tsFiles, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      types: [],
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).toEqual([]);
  }, 60_000);

  it('every filter of the IR has a schema, and every schema compiles under ajv strict', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    for (const f of ir.filters) {
      const path = join(ROOT, 'generated', 'schemas', `${f.name}.schema.json`);
      expect(existsSync(path), f.name).toBe(true);
      expect(() => ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object), f.name).not.toThrow();
    }
  });

  it('every GF_ constant of the IR is exported with its header value', () => {
    const exported = generated as unknown as Record<string, unknown>;
    const missing: string[] = [];
    for (const c of ir.constants) {
      if (!c.name.startsWith('GF_') || (c.valueKind !== 'int' && c.valueKind !== 'bigint')) continue;
      const v = exported[c.name];
      const want = c.valueKind === 'bigint' ? BigInt(c.value) : c.value;
      if (v !== want) missing.push(`${c.name}: ${String(v)} (want ${String(want)})`);
    }
    expect(missing).toEqual([]);
  });

  it('the ABI matches the IR', () => {
    expect(abi.GPAC_VERSION).toBe(ir.gpac.version);
    expect(abi.GPAC_ABI).toEqual(ir.gpac.abi);
  });
});

describe('coverage against the installed GPAC', () => {
  const gpacHelp = (args: string[]) => run(gpacCliPath ?? 'gpac', args, { env: { ...process.env, NO_COLOR: '1' } });
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

  itGpacCli('a schema for every filter `gpac -h filters` lists', async () => {
    const out = strip(await gpacHelp(['-h', 'filters']));
    const names = [...out.matchAll(/^([A-Za-z0-9_]+):\s/gm)].map((m) => m[1]!);
    const count = Number(/Listing (\d+) supported filters/.exec(out)?.[1]);
    expect(names.length).toBeGreaterThanOrEqual(count);
    expect(count).toBeGreaterThanOrEqual(100);
    const missing = names.filter((n) => !existsSync(join(ROOT, 'generated', 'schemas', `${n}.schema.json`)));
    expect(missing).toEqual([]);
  });

  itGpacCli('every built-in property `gpac -h props` lists is typed', async () => {
    const out = strip(await gpacHelp(['-h', 'props']));
    // Lines look like: "ESID             (ESID uint D):   MPEG-4 ESID of PID"
    const rows = [...out.matchAll(/^([A-Za-z0-9_]+)\s+\((.{4}) (\w+) ?([DP]*)\):/gm)].map((m) => ({ name: m[1]!, packet: m[4]!.includes('P') }));
    expect(rows.length).toBeGreaterThan(250);
    const untyped = rows.filter((r) => !(r.name in PID_PROPERTIES) && !(r.name in PACKET_PROPERTIES)).map((r) => r.name);
    expect(untyped).toEqual([]);
  });

  itGpacCli('every constant libgpac.py defines exists in generated/ with the header value', () => {
    const prefix = join(gpacCliPath!, '..', '..');
    const py = join(prefix, 'share', 'gpac', 'python', 'libgpac', 'libgpac.py');
    expect(existsSync(py), py).toBe(true);
    const exported = { ...(generated as unknown as Record<string, unknown>), ...(abi as unknown as Record<string, unknown>) };
    const byName = new Map(ir.constants.map((c) => [c.name, c]));
    const absent = readPythonConstants(readFileSync(py, 'utf8'), py)
      .map((c) => c.name)
      .filter((name) => {
        const header = byName.get(name);
        const want = name === 'GF_ABI_MAJOR' ? ir.gpac.abi.major : name === 'GF_ABI_MINOR' ? ir.gpac.abi.minor : header?.value;
        return want === undefined || exported[name] !== want;
      });
    expect(absent).toEqual([]);
  });
});

describe('bad input stops the generator before generated/ is touched', () => {
  const snapshot = () => listFiles(join(ROOT, 'generated')).map((p) => `${p}:${statSync(join(ROOT, p)).mtimeMs}`);
  const runCodegen = (args: string[]) => runProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'codegen', 'main.ts'), ...args], { cwd: ROOT });

  it('a header construct the parser cannot handle: file and line', async () => {
    const tmp = tmpDir();
    mkdirSync(join(tmp.path, 'include', 'gpac'), { recursive: true });
    writeFileSync(join(tmp.path, 'include', 'gpac', 'setup.h'), 'typedef unsigned int u32;\n');
    writeFileSync(join(tmp.path, 'include', 'gpac', 'filters.h'), '#include <gpac/setup.h>\n\nu32 gf_ok(void);\nu32 broken(u32 x y);\n');
    const before = snapshot();
    const r = await runCodegen(['--prefix', tmp.path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/include\/gpac\/filters\.h:4/);
    expect(r.stderr).toMatch(/nothing under generated\/ was changed/);
    expect(snapshot()).toEqual(before);
  }, 60_000);

  // Real headers (the installed GPAC's, found by discovery) without a library beside them.
  const headers = ((): string | null => {
    try {
      return join(locateGpacPrefix().prefix, 'include', 'gpac');
    } catch {
      return null;
    }
  })();
  const probeIt = headers || process.env.REQUIRE_GPAC === '1' ? it : it.skip;
  probeIt(`a GPAC whose library cannot be probed: the command and its output${headers ? '' : ' [skipped: no installed GPAC headers; install GPAC or set GPAC_HOME]'}`, async () => {
    if (!headers) throw new Error('REQUIRE_GPAC=1 but discovery found no installed GPAC headers (include/gpac/filters.h)');
    const tmp = tmpDir();
    cpSync(headers, join(tmp.path, 'include', 'gpac'), { recursive: true });
    const before = snapshot();
    const r = await runCodegen(['--prefix', tmp.path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/libgpac/);
    expect(r.stderr).toMatch(/nothing under generated\/ was changed/);
    expect(snapshot()).toEqual(before);
  }, 60_000);
});
