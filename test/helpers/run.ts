// Child processes for tests, run asynchronously: a synchronous spawn blocks the test fork's event loop, and
// one that lasts longer than vitest's RPC timeout (npm, node-gyp, g++, a gpac run under load) makes vitest
// fail the whole run with "Timeout calling onTaskUpdate". Quick probes (`gcc --version`) may stay synchronous.
import { execFile, type ExecFileOptions } from 'node:child_process';

export interface RunResult {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGTERM) after this long; 120 s by default. */
  timeoutMs?: number;
}

/** Runs `file args…` and resolves with its exit status and output, whatever the status. */
export function runProcess(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const options: ExecFileOptions & { encoding: 'utf8' } = {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 << 20,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, options, (err, stdout, stderr) => {
      const e = err as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
      // A spawn failure (ENOENT …) has a string code and no exit status: that is no result to assert on.
      if (e && typeof e.code === 'string') reject(new Error(`${describe(file, args, opts)}: ${e.message}`, { cause: e }));
      else resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** Runs `file args…` and resolves with its stdout; rejects unless it exits 0, with its status and output. */
export async function run(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await runProcess(file, args, opts);
  if (r.code !== 0) throw new Error(`${describe(file, args, opts)} ${status(r, opts)}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

function describe(file: string, args: string[], opts: RunOptions): string {
  return `${[file, ...args].join(' ')}${opts.cwd ? ` (in ${opts.cwd})` : ''}`;
}

function status(r: RunResult, opts: RunOptions): string {
  if (r.signal === 'SIGTERM') return `was killed by SIGTERM (the timeout is ${opts.timeoutMs ?? 120_000} ms)`;
  return r.signal ? `was killed by ${r.signal}` : `exited ${r.code}`;
}
