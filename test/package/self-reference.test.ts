// The package's `exports` map from inside the repository: 'gpac-ts' resolves to the repository itself
// (self-reference), for a plugin placed in it, for ES modules and for CommonJS; only the exported paths are
// reachable. It resolves to dist/, which `npm install` builds (the `prepare` script; `npm run build` again
// after changing src/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { itGpacCli } from '../helpers/gpac.js';
import { inspectPackets } from '../helpers/inspect.js';
import { run, runProcess } from '../helpers/run.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV, chain, runChain } from '../plugins/_plugins.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'package', 'fixtures');
const ENTRY = join(ROOT, 'dist', 'src', 'index.js');

describe("import 'gpac-ts' inside the repository", () => {
  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist: \`npm install\` builds dist/ (prepare), or run \`npm run build\``);
  });

  it('resolves to the repository for ES modules and CommonJS, and nothing but the exported paths', async () => {
    const esm = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('gpac-ts'))"], { cwd: ROOT });
    expect(esm.trim()).toBe(pathToFileURL(ENTRY).href);
    const cjs = JSON.parse(await run(process.execPath, [join(FIXTURES, 'self-reference.cjs')], { cwd: ROOT })) as Record<string, string>;
    expect(cjs).toEqual({ resolved: ENTRY, FilterSession: 'function', GF_FEVT_PLAY: 'number' });
    const pkg = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('gpac-ts/package.json'))"], { cwd: ROOT });
    expect(pkg.trim()).toBe(pathToFileURL(join(ROOT, 'package.json')).href);
    // Internal modules are not part of the API: the exports map closes them.
    const deep = await runProcess(process.execPath, ['--input-type=module', '-e', "await import('gpac-ts/dist/src/native.js')"], { cwd: ROOT });
    expect(deep.code).toBe(1);
    expect(deep.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  itGpacCli("a plugin in the repository importing 'gpac-ts' runs: every packet forwarded, the file the source's", async () => {
    const out = tmpDir().file('selfref.mp4');
    const c = await chain(AV, join(FIXTURES, 'self-reference.js'), { dst: out });
    expect(await runChain(c)).toBeUndefined();
    expect(c.messages.at(-1)).toEqual({ packets: 217, resolved: pathToFileURL(ENTRY).href }); // 75 video + 142 audio packets
    expect(await inspectPackets(out)).toEqual(await inspectPackets(AV));
  });
});
