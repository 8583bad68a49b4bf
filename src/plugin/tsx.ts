// Where tsx's loaders are, for threads that must import TypeScript: plugin workers (load.ts) and the
// piscina workers of parallel map plugins (plugin/parallel-map.ts). tsx is a development dependency:
// compiled JavaScript plugins do not need it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

const HERE = import.meta.url;

/** True when gpac-ts itself runs from its TypeScript sources (tests, tsx scripts). */
export const RUNNING_TS = /\.[cm]?ts$/.test(new URL(HERE).pathname);

/** True for a file name TypeScript needs a loader for. */
export const isTypeScript = (file: string): boolean => /\.[cm]?tsx?$/.test(file);

/** A package.json export target: a string, or { [condition]: string | { default: string } }. */
function pick(exp: unknown, condition: string): string | undefined {
  if (typeof exp === 'string') return exp;
  if (typeof exp !== 'object' || exp === null) return undefined;
  const v = (exp as Record<string, unknown>)[condition] ?? (exp as Record<string, unknown>)['default'];
  return typeof v === 'string' ? v : pick(v, 'default');
}

function tsxExport(sub: string, condition: 'import' | 'require', fallback: string, what: string): string {
  try {
    const pkgJson = createRequire(HERE).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: Record<string, unknown> };
    return resolvePath(dirname(pkgJson), pick(pkg.exports?.[sub], condition) ?? fallback);
  } catch {
    throw new Error(`${what} is TypeScript, which needs the tsx package (npm install tsx), or compile it to JavaScript`);
  }
}

/** URL of tsx's ESM loader API (`register()`; its CommonJS twin cannot register from a worker). */
export function tsxEsmApi(what: string): string {
  return pathToFileURL(tsxExport('./esm/api', 'import', './dist/esm/api/index.mjs', what)).href;
}

/** Path of tsx's CommonJS hook, for a worker's `--require` (piscina require()s its worker file first). */
export function tsxCjsHook(what: string): string {
  return tsxExport('./cjs', 'require', './dist/cjs/index.cjs', what);
}
