// Runs one command in a child process and measures it: wall time seen from here, peak RSS (GNU time's %M
// when /usr/bin/time exists, else the last VmHWM read from /proc while the child runs), and what the child
// itself reports through the file named by $BENCH_RESULT (see cases/report.ts).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
export const rssMethod: 'gnu-time' | 'proc-vmhwm' = existsSync(GNU_TIME) ? 'gnu-time' : 'proc-vmhwm';

/** What a child script writes to $BENCH_RESULT. */
export interface ChildReport {
  /** Milliseconds from the script's first line (before importing the binding) to the end of the work. */
  workMs: number;
  /** Milliseconds the runtime took to boot before the script's first line, when known. */
  bootMs?: number;
  /** Free-form facts (packets seen, bytes read ...) printed in the verbose log. */
  info?: Record<string, number | string>;
}

export interface Measurement {
  ok: boolean;
  wallMs: number;
  /** Peak resident set size in KiB, null when it could not be measured. */
  maxRssKiB: number | null;
  child: ChildReport | null;
  /** First lines of stderr/stdout when the command failed. */
  error?: string;
}

function readVmHwm(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function measure(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; scratch: string; timeoutMs: number }): Promise<Measurement> {
  const resultFile = join(opts.scratch, 'child-result.json');
  const timeFile = join(opts.scratch, 'gnu-time.txt');
  rmSync(resultFile, { force: true });
  rmSync(timeFile, { force: true });
  const env = { ...process.env, ...opts.env, BENCH_RESULT: resultFile };
  const [file, argv] = rssMethod === 'gnu-time' ? [GNU_TIME, ['-f', '%M', '-o', timeFile, cmd, ...args]] : [cmd, args];

  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer): void => {
      if (output.length < 64 * 1024) output += d.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let hwm: number | null = null;
    const poll = rssMethod === 'proc-vmhwm' ? setInterval(() => (hwm = readVmHwm(child.pid ?? -1) ?? hwm), 5) : null;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void => {
      if (finished) return; // 'error' and 'close' can both fire
      finished = true;
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let maxRssKiB = hwm;
      if (rssMethod === 'gnu-time' && existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" before %M on failure: take the last line.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        maxRssKiB = /^\d+$/.test(last) ? Number(last) : null;
      }
      let childReport: ChildReport | null = null;
      if (existsSync(resultFile)) childReport = JSON.parse(readFileSync(resultFile, 'utf8')) as ChildReport;
      const ok = !spawnError && code === 0;
      const m: Measurement = { ok, wallMs, maxRssKiB, child: childReport };
      if (!ok) {
        const why = spawnError ? spawnError.message : signal ? `killed by ${signal}${signal === 'SIGKILL' ? ' (timeout?)' : ''}` : `exit code ${code}`;
        m.error = `${[cmd, ...args].join(' ')}: ${why}\n${output.trim().split('\n').slice(-15).join('\n')}`;
      }
      resolve(m);
    };
    child.on('error', (e) => finish(null, null, e));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
