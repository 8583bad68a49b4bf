// docs/errors.md lists every ERR_GPAC_* code the package throws, and only those.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|cc|h|js)$/.test(n) ? [p] : [];
  });
}

describe('docs/errors.md', () => {
  it('lists every ERR_GPAC_* code of src/, native/src/ and bin/, and no other', () => {
    const used = new Set<string>();
    for (const dir of ['src', join('native', 'src'), 'bin'])
      for (const f of files(join(ROOT, dir))) for (const m of readFileSync(f, 'utf8').matchAll(/ERR_GPAC_[A-Z_]+/g)) used.add(m[0]);
    const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    const listed = new Set([...doc.matchAll(/^\| `(ERR_GPAC_[A-Z_]+)` \|/gm)].map((m) => m[1]!));
    expect([...used].sort()).toEqual([...listed].sort());
    expect(used.has('ERR_GPAC_CLOSED')).toBe(true);
  });
});
