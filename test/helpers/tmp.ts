// Temporary directories for test outputs that remove themselves: at the end of the test that made them
// (vitest's onTestFinished) or, when made outside a test (beforeAll, describe body), at process exit.
// KEEP_TMP=1 keeps them, and prints where, to look at the outputs of a failing test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

export interface TmpDir {
  /** Absolute path of the directory. */
  readonly path: string;
  /** `path` joined with a file name inside the directory. */
  file(name: string): string;
  /** Removes the directory now (idempotent). */
  cleanup(): void;
}

const pending = new Set<string>();
let exitHooked = false;

function remove(path: string): void {
  if (!pending.delete(path)) return;
  if (process.env.KEEP_TMP === '1') {
    console.warn(`KEEP_TMP=1: kept ${path}`);
    return;
  }
  rmSync(path, { recursive: true, force: true });
}

export function tmpDir(prefix = 'gpac-ts-'): TmpDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  pending.add(path);
  const dir: TmpDir = { path, file: (name) => join(path, name), cleanup: () => remove(path) };
  try {
    onTestFinished(() => dir.cleanup());
  } catch {
    // Not inside a running test: fall back to removal at exit.
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', () => {
        for (const p of [...pending]) remove(p);
      });
    }
  }
  return dir;
}
