// How the CLI ends on an error: one clear message on stderr (the stack only with -debug) and an exit code
// a script can tell apart — 1 for a wrong command or a failed session (as gpac), 2 when libgpac (or the
// addon binding it) cannot be used on this machine, 130 after Ctrl-C.
import { GpacAbiError, GpacNotFoundError } from '../discovery.js';
import { GpacError } from '../errors.js';
import { FilterOptionsError } from '../options.js';
import { UsageError } from './args.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_NO_GPAC = 2;
export const EXIT_INTERRUPTED = 130;

/** A failure with the CLI's context ("cannot open input x.mp4: …"); `cause` keeps the original error. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** src/native.ts throws a plain Error when build/Release/gpac_ts.node is missing; its text is the marker. */
const ADDON_NOT_BUILT = 'gpac-ts: the native addon is not built';

/** libgpac missing or unusable, or the addon not built: nothing the command line can fix. */
export function isSetupError(err: unknown): boolean {
  if (err instanceof GpacNotFoundError || err instanceof GpacAbiError) return true;
  return err instanceof Error && err.message.startsWith(ADDON_NOT_BUILT);
}

function stackOf(err: unknown): string {
  const lines: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    lines.push(depth === 0 ? (e.stack ?? String(e)) : `Caused by: ${e.stack ?? String(e)}`);
    e = e.cause;
  }
  return lines.join('\n');
}

/** The message (and exit code) for `err`. */
export function describeFailure(err: unknown, debug: boolean): { code: number; message: string } {
  const withStack = (msg: string) => (debug ? `${msg}\n${stackOf(err)}` : msg);
  if (isSetupError(err)) {
    const msg = (err as Error).message;
    return { code: EXIT_NO_GPAC, message: withStack(msg.startsWith('gpac-ts') ? msg : `gpac-ts: ${msg}`) };
  }
  if (err instanceof UsageError || err instanceof FilterOptionsError || err instanceof CliError) {
    return { code: EXIT_FAILURE, message: withStack(`gpac-ts: ${err.message}`) };
  }
  if (err instanceof GpacError) {
    return { code: EXIT_FAILURE, message: withStack(`gpac-ts: ${err.name}: ${err.message}`) };
  }
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return {
    code: EXIT_FAILURE,
    message: debug ? `gpac-ts: ${text}\n${stackOf(err)}` : `gpac-ts: ${text} (run with -debug for the stack)`,
  };
}
