// Is GPAC here? Cheap checks only (stat calls, no process spawn), so every test file can import this at
// collection time. Tests that need libgpac use itGpac/describeGpac: they skip visibly without GPAC and fail
// instead when REQUIRE_GPAC=1 (CI on a machine that has GPAC must not pass by skipping).
//
// libgpac is found as the package finds it, through src/discovery.ts's spawn-free path (likelyLibgpac:
// GPAC_LIB or GPAC_HOME when set, else LD_LIBRARY_PATH and the loader's standard places), so the tests and
// the code under test agree on which library, and on a GPAC_LIB or GPAC_HOME that names nothing usable.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it, type TestFunction } from 'vitest';
import { likelyLibgpac, locateLibgpac } from '../../src/discovery.js';

export const INSTALL_HINT =
  'Install GPAC (https://gpac.io/downloads, or build it: ./configure && make && make install), ' +
  'or point GPAC_HOME at its install prefix / GPAC_LIB at libgpac.so.';

/** The `gpac` binaries looked at, in order, so a failure can say where it searched. */
const cliSearchLog: string[] = [];

function findGpacCli(): string | null {
  const dirs: string[] = [];
  if (process.env.GPAC_HOME) dirs.push(join(process.env.GPAC_HOME, 'bin'), join(process.env.GPAC_HOME, 'bin', 'gcc'));
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d) dirs.push(d);
  for (const c of dirs.map((d) => join(d, 'gpac'))) {
    cliSearchLog.push(c);
    if (existsSync(c)) return c;
  }
  return null;
}

/** Path of libgpac.so, or null. */
export const libgpacPath: string | null = likelyLibgpac();
/** Path of the `gpac` command-line binary (needed by the inspect helper), or null. */
export const gpacCliPath: string | null = findGpacCli();
/** libgpac is loadable from the usual places; GPAC-dependent tests run only when true. */
export const hasGpac: boolean = libgpacPath !== null;
/** Both libgpac and the `gpac` CLI are present (inspect-based comparisons need the CLI). */
export const hasGpacCli: boolean = hasGpac && gpacCliPath !== null;

export const requireGpac: boolean = process.env.REQUIRE_GPAC === '1';

type SuiteFn = () => void;

let noted = false;
function noteSkipped(what: string): void {
  if (noted) return;
  noted = true;
  console.warn(`[needs GPAC] skipping tests that need ${what}. ${INSTALL_HINT} Set REQUIRE_GPAC=1 to make these skips failures.`);
}

/** Where discovery looked (its full search, pkg-config and ldconfig included: a test is failing anyway). */
function missingMessage(what: string): string {
  const places = libgpacPath ? [] : locateLibgpac().tried.map((t) => `${t.place}: ${t.reason}`);
  if (libgpacPath && !gpacCliPath) places.push(`the gpac CLI: none of ${cliSearchLog.join(', ')}`);
  return `REQUIRE_GPAC=1 but ${what} was not found: ${places.join('; ')}. ${INSTALL_HINT}`;
}

function wrapIt(present: boolean, what: string) {
  return (name: string, fn: TestFunction, timeout?: number): void => {
    if (present) it(name, fn, timeout);
    else if (requireGpac) {
      it(name, () => {
        throw new Error(missingMessage(what));
      });
    } else {
      noteSkipped(what);
      it.skip(`[needs GPAC] ${name}`, fn);
    }
  };
}

function wrapDescribe(present: boolean, what: string) {
  return (name: string, fn: SuiteFn): void => {
    if (present) describe(name, fn);
    else if (requireGpac) {
      describe(name, () => {
        it('has GPAC', () => {
          throw new Error(missingMessage(what));
        });
      });
    } else {
      noteSkipped(what);
      describe.skip(`[needs GPAC] ${name}`, fn);
    }
  };
}

/** `it` that needs libgpac. */
export const itGpac = wrapIt(hasGpac, 'libgpac');
/** `describe` that needs libgpac. */
export const describeGpac = wrapDescribe(hasGpac, 'libgpac');
/** `it` that needs libgpac and the `gpac` CLI (for inspect-based checks). */
export const itGpacCli = wrapIt(hasGpacCli, 'libgpac and the gpac CLI');
/** `describe` that needs libgpac and the `gpac` CLI. */
export const describeGpacCli = wrapDescribe(hasGpacCli, 'libgpac and the gpac CLI');
