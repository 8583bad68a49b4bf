// The npm package as an application gets it. `npm pack` (whose prepack builds dist/) must hold what the
// package runs and what its install script needs to build the addon — and nothing of the repository's
// tests, benchmarks, generator or TypeScript sources. With libgpac present, the unpacked package builds
// its addon, and an application runs pipelines with plugins importing 'gpac-ts' (JavaScript, then
// TypeScript once the optional peer tsx is installed), type-checks against its declarations and runs its
// command.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { itGpacCli } from '../helpers/gpac.js';
import { inspectPackets } from '../helpers/inspect.js';
import { run as runAsync, runProcess } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV } from '../native/_media.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SLOW = 240_000; // npm pack builds dist/ with tsc; the install step compiles the addon

interface Packed {
  tarball: string;
  files: Set<string>;
}

let packed: Packed;
const work = tmpDir('gpac-ts-pack-');

// npm pack (tsc) and the addon's build take a minute or more: run asynchronously (test/helpers/run.ts says why).
const run = (cmd: string, args: string[], cwd: string): Promise<string> => runAsync(cmd, args, { cwd, timeoutMs: SLOW });

/** Relative module specifiers of a compiled file (static imports, re-exports, dynamic imports of literals). */
function relativeImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^import\s*['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

describe('npm package', () => {
  let packStarted = 0;
  beforeAll(async () => {
    packStarted = Date.now();
    const json = await run('npm', ['pack', '--json', '--pack-destination', work.path], ROOT);
    const info = (JSON.parse(json.slice(json.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    packed = { tarball: join(work.path, info.filename), files: new Set(info.files.map((f) => f.path)) };
  }, SLOW);

  it('builds dist/ itself (the prepare script, which an install from git runs too)', () => {
    // tsc rewrites every output: a dist/ left by an earlier build would be older than the pack.
    for (const p of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/generated/index.js']) {
      expect(statSync(join(ROOT, p)).mtimeMs, p).toBeGreaterThanOrEqual(packStarted - 1000);
    }
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepare).toBe('npm run build');
  });

  it('holds the compiled package, its declarations, the schemas and the addon sources, and no repository-only files', () => {
    const f = packed.files;
    for (const p of [
      'package.json',
      'README.md',
      'bin/gpac-ts.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/plugin/worker.js',
      'dist/src/plugin/map-worker.js',
      'dist/generated/index.js',
      'dist/generated/index.d.ts',
      'generated/schemas/index.json',
      'generated/schemas/dasher.schema.json',
    ]) {
      expect(f.has(p), p).toBe(true);
    }
    // Every target of the exports map is in the package.
    const exportsMap = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> }).exports;
    const targets = Object.values(exportsMap).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const t of targets) expect(f.has(posix.normalize(t)), `exports target ${t}`).toBe(true);
    // Every source binding.gyp compiles (the install script runs node-gyp on the application's machine).
    const gyp = JSON.parse(readFileSync(join(ROOT, 'binding.gyp'), 'utf8')) as { variables: Record<string, string>; targets: Array<{ sources: string[] }> };
    const apiDir = gyp.variables['gpac_api_dir%']!;
    const sources = gyp.targets.flatMap((t) => t.sources.map((s) => s.replace('<(gpac_api_dir)', apiDir)));
    expect(sources.length).toBeGreaterThan(10);
    for (const s of sources) expect(f.has(s), s).toBe(true);
    for (const h of readdirHeaders()) expect(f.has(h), h).toBe(true);
    // Every relative import of a packed module resolves to a packed file.
    for (const p of f) {
      if (!p.endsWith('.js')) continue;
      const text = readFileSync(join(ROOT, p), 'utf8');
      for (const spec of relativeImports(text)) {
        const target = posix.normalize(posix.join(posix.dirname(p), spec));
        expect(f.has(target), `${p} imports ${spec}`).toBe(true);
      }
    }
    const repoOnly = [...f].filter((p) => /^(test|bench|codegen|examples|plugins\/.*\.ts|src|\.ci|dist\/(test|bench|codegen|examples|plugins))\b/.test(p) || p.endsWith('.map'));
    expect(repoOnly).toEqual([]);
  });

  itGpacCli(
    'an application installs it, builds the addon, runs JavaScript and TypeScript plugins, type-checks and runs the command',
    async () => {
      const app = join(work.path, 'app');
      const modules = join(app, 'node_modules');
      mkdirSync(modules, { recursive: true });
      await run('tar', ['-xzf', packed.tarball, '-C', modules], work.path);
      const pkgDir = join(modules, 'gpac-ts');
      renameSync(join(modules, 'package'), pkgDir);
      // What npm would install beside it: the package's dependencies (taken from this checkout).
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      for (const dep of Object.keys(pkg.dependencies)) symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
      // npm runs the package's install script in the package's folder.
      await run('npm', ['run', 'install'], pkgDir);
      expect(statSync(join(pkgDir, 'build', 'Release', 'gpac_ts.node')).size).toBeGreaterThan(0);

      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
      writeFileSync(
        join(app, 'count.js'),
        [
          "import { FilterCustom, GF_CAPS_INPUT_OUTPUT } from 'gpac-ts';",
          'export default class Count extends FilterCustom {',
          '  #out = new Map(); #n = 0;',
          "  constructor() { super('count'); this.pushCap('StreamType', 'Audio', GF_CAPS_INPUT_OUTPUT); this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT); this.setMaxPids(2); }",
          '  configurePid(pid, isRemove) { if (isRemove) return 0; if (!this.#out.has(pid)) this.#out.set(pid, this.newPid()); this.#out.get(pid).copyProps(pid); return 0; }',
          '  process() {',
          '    for (const pid of this.ipids) {',
          '      for (let p = pid.getPacket(); p; p = pid.getPacket()) { this.#out.get(pid).forward(p); this.#n++; pid.dropPacket(); }',
          '      const o = this.#out.get(pid); if (pid.eos && !o.eos) { o.eos = true; this.postMessage({ packets: this.#n }); }',
          '    }',
          '    return 0;',
          '  }',
          '}',
        ].join('\n'),
      );
      writeFileSync(
        join(app, 'main.js'),
        [
          "import { FilterSession, FilterOptionsError } from 'gpac-ts';",
          'const [src, dst, pluginFile] = process.argv.slice(2);',
          'const fs = new FilterSession();',
          'let optionError = null;',
          "try { fs.load('dasher', { segdur: 'soon' }); } catch (e) { optionError = e instanceof FilterOptionsError ? e.message : String(e); }",
          'const messages = [];',
          "const plugin = await fs.loadPlugin(new URL(pluginFile, import.meta.url).pathname, { onMessage: (m) => messages.push(m) });",
          'plugin.setSource(fs.loadSrc(src));',
          'fs.loadDst(dst).setSource(plugin);',
          'await fs.run();',
          'await fs.plugin(plugin).flush();',
          'fs.close();',
          'console.log(JSON.stringify({ last: messages.at(-1), optionError }));',
        ].join('\n'),
      );
      const pipeline = async (pluginFile: string, out: string): Promise<void> => {
        const res = JSON.parse((await run(process.execPath, ['main.js', AV, out, pluginFile], app)).trim().split('\n').at(-1)!) as { last: { packets: number }; optionError: string };
        expect(res.last.packets, pluginFile).toBe(217); // 75 video + 142 audio packets of av.mp4
        expect(res.optionError).toMatch(/dasher.*segdur/);
        expect(await inspectPackets(out)).toEqual(await inspectPackets(AV));
      };
      // A JavaScript plugin needs nothing more.
      await pipeline('./count.js', join(app, 'out-js.mp4'));
      // A TypeScript plugin needs tsx, the optional peer dependency, in the application.
      writeFileSync(
        join(app, 'count.ts'),
        [
          "import { FilterCustom, GF_CAPS_INPUT_OUTPUT, type FilterPid } from 'gpac-ts';",
          'export default class Count extends FilterCustom {',
          '  readonly #out = new Map<FilterPid, FilterPid>();',
          '  #n: number = 0;',
          "  constructor() { super('count-ts'); this.pushCap('StreamType', 'Audio', GF_CAPS_INPUT_OUTPUT); this.pushCap('StreamType', 'Visual', GF_CAPS_INPUT_OUTPUT); this.setMaxPids(2); }",
          '  override configurePid(pid: FilterPid, isRemove: boolean): number { if (isRemove) return 0; if (!this.#out.has(pid)) this.#out.set(pid, this.newPid()); this.#out.get(pid)!.copyProps(pid); return 0; }',
          '  override process(): number {',
          '    for (const pid of this.ipids) {',
          '      const o = this.#out.get(pid)!;',
          '      for (let p = pid.getPacket(); p; p = pid.getPacket()) { o.forward(p); this.#n++; pid.dropPacket(); }',
          '      if (pid.eos && !o.eos) { o.eos = true; this.postMessage({ packets: this.#n }); }',
          '    }',
          '    return 0;',
          '  }',
          '}',
        ].join('\n'),
      );
      const noTsx = await runProcess(process.execPath, ['main.js', AV, join(app, 'no-tsx.mp4'), './count.ts'], { cwd: app });
      expect(noTsx.code, noTsx.stderr).toBe(1);
      expect(noTsx.stderr).toMatch(/needs the tsx package/);
      symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(modules, 'tsx'), 'dir');
      await pipeline('./count.ts', join(app, 'out-ts.mp4'));

      // The declarations: an application's TypeScript (with Node's types, as any Node application has)
      // resolves 'gpac-ts' and its types.
      mkdirSync(join(modules, '@types'));
      symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(modules, '@types', 'node'), 'dir');
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['typed.ts', 'count.ts'] }),
      );
      writeFileSync(
        join(app, 'typed.ts'),
        [
          "import { FilterSession, GF_FS_FLAG_NON_BLOCKING, type Filter, type FilterPid } from 'gpac-ts';",
          'const fs: FilterSession = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });',
          "const f: Filter = fs.load('dasher', { segdur: 2 });",
          'export const names: string[] = [f.name];',
          'export type P = FilterPid;',
        ].join('\n'),
      );
      await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);

      // A CommonJS application require()s it (Node's require of ES modules: 20.19 and later, 22.12 and later).
      const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
      if ((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22) {
        writeFileSync(join(app, 'cjs.cjs'), "const g = require('gpac-ts'); const fs = new g.FilterSession(); console.log(typeof g.GF_FEVT_PLAY, fs.isSupportedMime('video/mp4')); fs.close();");
        expect((await run(process.execPath, ['cjs.cjs'], app)).trim().split('\n').at(-1)).toBe('number true');
      }

      // The command, run from the package as npm links it.
      const version = await run(process.execPath, [join(pkgDir, 'bin', 'gpac-ts.js'), '-version'], app);
      expect(version).toMatch(/^gpac-ts 0\.1\.0/m);
      expect(version).toMatch(/^libgpac \S+, ABI 16\./m);
    },
    SLOW,
  );
});

/** The headers beside the addon's sources (binding.gyp lists only the .cc files). */
function readdirHeaders(): string[] {
  return ['native/src', 'native/thread_id', 'generated/native'].flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((n) => n.endsWith('.h'))
      .map((n) => `${d}/${n}`),
  );
}
