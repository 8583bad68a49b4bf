// Child side of the benchmark protocol (bench/measure.ts): import this FIRST in a case script; the clock
// starts when this module is evaluated, i.e. before the binding is imported, so the addon's load and
// libgpac's init count as work, like the gpac CLI's own start-up does. Results go to $BENCH_RESULT.
import { writeFileSync } from 'node:fs';

/** Time the runtime took before this module ran (Node boot + tsx), reported separately. */
const bootMs = performance.now();
const t0 = performance.now();

function write(obj: object): void {
  const file = process.env.BENCH_RESULT;
  if (file) writeFileSync(file, JSON.stringify(obj));
}

let stoppedAt: number | undefined;

/** Stops the clock: what follows (measurements reported in `info`) is not counted as the case's work. */
export function stop(): void {
  stoppedAt ??= performance.now();
}

/** Call when the measured work is finished (or after stop()). */
export function done(info?: Record<string, number | string>): void {
  write({ workMs: (stoppedAt ?? performance.now()) - t0, bootMs, info });
}

/** The API this case needs does not exist yet: report it and exit 3 (the harness shows "not available"). */
export function unavailable(why: string): never {
  write({ workMs: 0, bootMs, unavailable: why });
  console.error(`not available: ${why}`);
  process.exit(3);
}

/** Imports the package API from src/ by URL: a variable specifier keeps `tsc` from resolving it, so bench/
 *  type-checks even before (or while) the API is written; a missing API is reported, not a crash. */
export async function importApi(): Promise<Record<string, unknown>> {
  const url = new URL('../../src/index.js', import.meta.url).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    return unavailable(`import of src/index.js failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

/** Input and output paths given by the harness. */
export function ioArgs(script: string): { input: string; output: string } {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error(`usage: node --import tsx ${script} INPUT OUTPUT`);
    process.exit(2);
  }
  return { input, output };
}
