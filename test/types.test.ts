// The type tests (test/types/api.ts) compiled by tsc: every `@ts-expect-error` there must be a real compile
// error. tsc reports an unused directive as TS2578, so the only error expected is the one planted in
// test/types/fixtures/unused-expect-error.ts, which shows that such a report is seen.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

describe('public API types (tsc)', () => {
  it('every @ts-expect-error of test/types/api.ts is a compile error, and an unused one is reported', async () => {
    // Asynchronous: tsc takes ~15 s, which must not block this fork's event loop.
    const run = await promisify(execFile)(process.execPath, [TSC, '-p', join(ROOT, 'test', 'types', 'tsconfig.json'), '--pretty', 'false'], {
      cwd: ROOT,
      maxBuffer: 16 << 20,
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    const errors = run.out.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors, run.out).toHaveLength(1);
    expect(errors[0]).toMatch(/fixtures[/\\]unused-expect-error\.ts\(6,1\): error TS2578: Unused '@ts-expect-error' directive/);
    expect(run.code).toBe(2);
  }, 120_000);
});
