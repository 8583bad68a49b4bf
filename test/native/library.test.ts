// Library-level calls, and how a process holding sessions ends.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { errorToString, init, libraryInfo, setArgs, setLogs, version } from '../../src/library.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV } from './_media.js';

const worker = (name: string): string => new URL(`./workers/${name}`, import.meta.url).pathname;
const EXIT_CHILD = worker('exit-child.mts');
const LOGGED_REMUX = worker('logged-remux-child.mts');

interface ChildResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a TypeScript child script under tsx; resolves with how it ended (never rejects). */
function runChild(script: string, args: string[], timeoutMs = 20_000, maxBuffer = 1 << 20): Promise<ChildResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { timeout: timeoutMs, maxBuffer }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** logged-remux-child.mts on AV: its stderr (GPAC's logs at `logs`) and the threadIds it printed. */
async function loggedRemux(logs: string, options: object, maxBuffer: number): Promise<{ stderr: string; threadIds: unknown }> {
  const out = tmpDir('logged-remux');
  const r = await runChild(LOGGED_REMUX, [AV, out.path, logs, JSON.stringify(options)], 30_000, maxBuffer);
  expect(r.code, r.stderr.slice(-2000)).toBe(0);
  expect(existsSync(out.file('out.mp4'))).toBe(true);
  return { stderr: r.stderr, threadIds: (JSON.parse(r.stdout.trim().split('\n').pop()!) as { threadIds: unknown }).threadIds };
}

describeGpac('library level', () => {
  itGpac('version and library info come from the loaded libgpac', () => {
    expect(version()).toMatch(/^\d+\.\d+/);
    const info = libraryInfo();
    expect(info.path).toMatch(/libgpac\.so/);
    expect(info.abi.major).toBe(info.generatedFor.abi.major);
    expect(info.version).toBe(version());
  });

  itGpac('importing the package starts loading libgpac in the background, before any call', async () => {
    const r = await runChild(worker('prefetch-child.mts'), []);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ mapped: true, exported: 'function' });
  });

  // GPAC's own gf_th_id() is the low 32 bits of pthread_self(): in a Node process two live threads can share it
  // (seen: 0x7f48cffff6c0 and 0x7f4dcffff6c0) and GPAC's recursive mutexes then let both in. gpac-ts answers
  // gf_th_id() for libgpac with small distinct ids (native/thread_id/gf_th_id.cc).
  itGpac('libgpac tells threads apart by gpac-ts ids: distinct small numbers, as GPAC prints them', async () => {
    expect(libraryInfo().threadIds).toBe('unique');
    const { stderr, threadIds } = await loggedRemux('sched@info', { threads: 2 }, 64 << 20);
    expect(threadIds).toBe('unique');
    const ids = new Set([...stderr.matchAll(/Thread (\d+) Posted task/g)].map((m) => Number(m[1])));
    // The session's run thread and GPAC's two worker threads post tasks at least; every id is one of ours
    // (counted from 1 per process), never a truncated thread address (those are in the hundreds of millions).
    expect(ids.size).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(id).toBeLessThan(10_000);
  });

  // GPAC's lock-free queues lose their head under preemption (README "Known issues"): sessions with threads
  // use GPAC's lock scheduler unless told otherwise. Seen from GPAC's own mutex logs: the lock scheduler makes a
  // "Filter<name>Packets" mutex per filter, the lock-free one none.
  itGpac('sessions with threads use GPAC\'s lock scheduler by default; an explicit scheduler is kept', async () => {
    const packetLocks = async (options: object): Promise<number> => {
      const { stderr } = await loggedRemux('mutex@debug', options, 256 << 20);
      return [...stderr.matchAll(/\[Mutex Filter\w+Packets\] Grabbed/g)].length;
    };
    expect(await packetLocks({ threads: 2 })).toBeGreaterThan(0);
    expect(await packetLocks({ threads: 2, scheduler: 'GF_FS_SCHEDULER_LOCK_FREE' })).toBe(0);
    expect(await packetLocks({ threads: 0 })).toBe(0);
  });

  itGpac('errorToString is gf_error_to_string', () => {
    expect(errorToString(-12)).toBe('Requested URL is not valid or cannot be found');
    expect(errorToString(0)).toBe('No Error');
  });

  itGpac('setLogs accepts GPAC log syntax and refuses garbage with a GpacError', () => {
    setLogs('filter@warning');
    setLogs('all@warning', true);
    expect(() => setLogs('nosuchtool@debug')).toThrow(expect.objectContaining({ name: 'GF_BAD_PARAM', operation: 'setLogs' }));
  });

  itGpac('setArgs and init() before any session exists; init() later is refused', () => {
    setArgs(['gpac', '-no-probe=no']);
    const fs = new FilterSession();
    try {
      expect(() => init({ memTracker: false })).toThrow(/sessions exist/);
    } finally {
      fs.close();
    }
    init({ memTracker: false }); // no session left: libgpac is re-initialised
    expect(() => init({ memTracker: 'sometimes' as never })).toThrow(TypeError);
    const again = new FilterSession();
    again.close();
  });
});

describeGpac('process exit', () => {
  itGpac('an idle, unclosed session does not keep Node alive', async () => {
    const r = await runChild(EXIT_CHILD, ['idle', AV]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('idle');
    expect(r.ms).toBeLessThan(10_000);
  });

  itGpac('a running session keeps Node alive until it ends; never closing it is fine', async () => {
    const out = tmpDir().file('o.mp4');
    const r = await runChild(EXIT_CHILD, ['run-unclosed', AV, out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ran');
    expect(existsSync(out)).toBe(true);
  });

  itGpac('process.exit() while a session runs on its thread exits cleanly', async () => {
    const r = await runChild(EXIT_CHILD, ['exit-during-run', AV, tmpDir().file('o.mp4')]);
    expect(r.signal, r.stderr).toBe(null);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('exiting');
    expect(r.ms).toBeLessThan(10_000);
  });
});
