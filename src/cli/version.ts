// `gpac-ts -version`: this package, the GPAC the bindings were generated for (generated/abi.ts) and the
// libgpac the loader found (src/discovery.ts through src/library.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GPAC_ABI, GPAC_IR, GPAC_VERSION } from '../../generated/abi.js';
import { libraryInfo } from '../library.js';

/** gpac-ts's version, from the package.json above this file (src/cli or dist/src/cli). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gpac-ts') return pkg.version ?? 'unknown';
    } catch {
      // no package.json here: keep going up
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

const abi = (a: { major: number; minor: number; micro: number }) => `${a.major}.${a.minor}.${a.micro}`;

/** The version lines; libgpac's line is replaced by the loader's error when libgpac cannot be used (thrown after `write`). */
export function printVersion(write: (line: string) => void): void {
  write(`gpac-ts ${packageVersion()} (Node ${process.version})`);
  write(`bindings generated for GPAC ${GPAC_VERSION}, ABI ${abi(GPAC_ABI)} (${GPAC_IR})`);
  const lib = libraryInfo();
  write(`libgpac ${lib.version}, ABI ${abi(lib.abi)}: ${lib.path} (found by ${lib.source})`);
}
