// DASH and HLS content for the DASH algorithm tests, made by GPAC at test time (avgen → three encoders →
// dasher), and GPAC's own httpout serving it on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { gpacCliPath } from '../helpers/gpac.js';
import { runProcess } from '../helpers/run.js';
import { FilterSession, type FilterSessionOptions } from '../../src/session/session.js';
import type { HookPluginOptions } from '../../src/hook/load.js';
import type { Filter } from '../../src/session/filter.js';
import { fixture } from './_plugins.js';
import { freePort } from '../helpers/net.js';

/** Three qualities of one 25 fps video, lowest first (as dashin sorts them): width and MPD bandwidth. */
export interface Ladder {
  widths: number[];
  dir: string;
}

/** `gpac` encoding avgen's video into three qualities and writing `out` (a .mpd or .m3u8) with 1 s segments. */
export async function makeLadder(dir: string, out: string, dur: number, rungs: [string, string, string], bitrates: [string, string, string]): Promise<void> {
  const [s1, s2, s3] = rungs;
  const args = [
    '-i', `avgen:dur=${dur}:sizes=${s1}`,
    '@#StreamType=Video', `enc:c=avc:b=${bitrates[0]}:FID=E1`,
    '@@0#StreamType=Video', `ffsws:osize=${s2}`, '@', `enc:c=avc:b=${bitrates[1]}:FID=E2`,
    '@@0#StreamType=Video', `ffsws:osize=${s3}`, '@', `enc:c=avc:b=${bitrates[2]}:FID=E3`,
    '-o', `${dir}/${out}:segdur=1:SID=E1,E2,E3`,
  ];
  const r = await runProcess(gpacCliPath!, args, { timeoutMs: 120_000 });
  if (r.code !== 0 || !existsSync(`${dir}/${out}`)) throw new Error(`gpac ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
}

/** GPAC's httpout serving `root` read-only on 127.0.0.1, in a gpac process of its own. */
export class HttpOut {
  readonly child: ChildProcess;
  readonly base: string;
  private constructor(child: ChildProcess, base: string) {
    this.child = child;
    this.base = base;
  }
  static async start(root: string): Promise<HttpOut> {
    const port = await freePort();
    const child = spawn(gpacCliPath!, [`httpout:port=${port}:ifce=127.0.0.1:rdirs=${root}:quiet`], { stdio: 'ignore' });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${base}/`, { method: 'HEAD' });
        await r.body?.cancel();
        return new HttpOut(child, base);
      } catch {
        await delay(50);
      }
    }
    child.kill('SIGKILL');
    throw new Error(`httpout did not answer on ${base}`);
  }
  stop(): void {
    this.child.kill('SIGKILL');
  }
}

export interface DashRun {
  /** Width of the video of each segment that reached the sink (25 packets per segment). */
  widths: number[];
  packets: number;
  /** The algorithm's calls and answers (dash-scripted.ts's log). */
  log: { call: string; answer?: number; type?: number; group?: unknown; stats?: Record<string, number> }[];
  error: unknown;
}

export interface DashRunOptions extends HookPluginOptions {
  session?: FilterSessionOptions;
  /** Bind from onFilterNew with filter.bind() instead of fs.bindDashAlgorithm(). */
  viaFilterNew?: boolean;
  httpMaxBitrate?: number;
  spec?: string;
}

/** Plays `url` through dashin into GPAC's inspect, with the scripted algorithm: each packet's video width. */
export async function playDash(url: string, logFile: string, opts: DashRunOptions = {}): Promise<DashRun> {
  rmSync(logFile, { force: true });
  const fs = new FilterSession(opts.session ?? {});
  const spec = opts.spec ?? fixture('dash-scripted.ts');
  const hookOpts: HookPluginOptions = { ...opts, options: { ...(opts.options as object), log: logFile } };
  const inspected = `${logFile}.inspect`;
  let error: unknown;
  try {
    if (opts.httpMaxBitrate) fs.httpMaxBitrate = opts.httpMaxBitrate;
    if (opts.viaFilterNew) {
      fs.onFilterNew = async (f: Filter) => {
        if (f.name === 'dashin') await f.bind(spec, hookOpts);
      };
    } else {
      await fs.bindDashAlgorithm(spec, hookOpts);
    }
    fs.loadSrc(url);
    // GPAC's inspect prints each PID (re)configuration in order with the packets: which quality each came from.
    fs.load(`inspect:deep:log=${inspected}`);
    try {
      await fs.run();
    } catch (e) {
      error = e;
    }
  } finally {
    fs.close();
  }
  const perPacket: number[] = [];
  let width = 0;
  for (const line of existsSync(inspected) ? readFileSync(inspected, 'utf8').split('\n') : []) {
    const size = / (\d+)x\d+ SAR /.exec(line);
    if (size && !line.includes(' PCK ')) width = Number(size[1]);
    else if (/^PID \d+ PCK /.test(line)) perPacket.push(width);
  }
  const widths: number[] = [];
  perPacket.forEach((w, i) => (widths[Math.floor(i / 25)] = w));
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DashRun['log'][number]) : [];
  return { widths, packets: perPacket.length, log, error };
}

/** The rate adaptation answers, in order. */
export const answers = (run: DashRun): number[] => run.log.filter((e) => e.call === 'onRateAdaptation').map((e) => e.answer!);

/** Segment k + 1 has the quality the algorithm chose after segment k; the first has dashin's initial one (the highest). */
export function expectWidthsFollowAnswers(run: DashRun, ladder: number[]): void {
  expect(run.error).toBeUndefined();
  const a = answers(run);
  expect(run.widths.length).toBeGreaterThan(4);
  expect(run.widths[0]).toBe(ladder[ladder.length - 1]);
  for (let k = 1; k < run.widths.length; k++) expect(run.widths[k], `segment ${k + 1}`).toBe(ladder[a[k - 1]!]);
}
