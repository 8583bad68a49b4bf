// Imports the package and nothing else, then reports whether libgpac got mapped into the process (the
// prefetch thread started by src/native.ts) and whether the package bound it (it must not have: no call was
// made). Prints one JSON line.
import { readFileSync } from 'node:fs';
import * as api from '../../../src/index.js';

const mapped = (): boolean => /\/libgpac\.so/.test(readFileSync('/proc/self/maps', 'utf8'));
const t0 = performance.now();
while (!mapped() && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
console.log(JSON.stringify({ mapped: mapped(), exported: typeof api.FilterSession }));
