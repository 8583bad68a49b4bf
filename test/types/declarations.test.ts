// The published declarations (tsconfig.build.json, stripInternal): what applications and plugins compile
// against has none of the runtime's internals, and what they should use still compiles.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../helpers/tmp.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

async function tsc(args: string[]): Promise<{ code: number; out: string }> {
  // Asynchronous: each tsc run takes seconds, which must not block this fork's event loop.
  return promisify(execFile)(process.execPath, [TSC, ...args, '--pretty', 'false'], { cwd: ROOT, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

const CONSUMER = `import { Filter, FilterCustom, FilterSession, type FilterPacket, type FilterPid } from './src/index.js';
declare const pid: FilterPid;
declare const pck: FilterPacket;
declare const f: Filter;
const fs = new FilterSession({ threads: 2 });
fs.load('dasher', { segdur: 2 });
pid.getProp('Width');
void pck.size;
class P extends FilterCustom { constructor() { super('p'); } }
void P;
// @ts-expect-error the runtime's end-of-stream state is not published
pid._eos = true;
// @ts-expect-error nor its packet queue
void pid._queue;
// @ts-expect-error nor a Filter's native handle
void f.native;
// @ts-expect-error handles come from a session: the constructor is private
new Filter(Symbol('x'), fs, {} as never);
`;

describe('published declarations', () => {
  it('strip the internals (pid._eos, pid._queue, Filter.native) and keep the API', async () => {
    const dir = tmpDir();
    const emit = await tsc(['-p', join(ROOT, 'tsconfig.build.json'), '--emitDeclarationOnly', '--declarationMap', 'false', '--outDir', dir.path]);
    expect(emit.code, emit.out).toBe(0);
    writeFileSync(dir.file('consumer.ts'), CONSUMER);
    writeFileSync(
      dir.file('tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
        files: ['consumer.ts'],
      }),
    );
    const check = await tsc(['-p', dir.file('tsconfig.json')]);
    expect(check.out).toBe('');
    expect(check.code).toBe(0);
  }, 120_000);
});
