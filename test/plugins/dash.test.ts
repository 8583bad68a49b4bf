// DASH adaptation algorithm plugins (src/hook/, native/src/hook/dash_algo.cc) on real content: three
// qualities of one source encoded by GPAC and segmented by its dasher (MPD and HLS), played through dashin
// from local files and over HTTP from GPAC's own httpout on 127.0.0.1. What reaches the sink shows which
// representation was fetched: each quality has its own width.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeGpacCli, itGpacCli, hasGpacCli } from '../helpers/gpac.js';
import { tmpDir, type TmpDir } from '../helpers/tmp.js';
import { FilterSession } from '../../src/session/session.js';
import type { Filter } from '../../src/session/filter.js';
import { GpacError } from '../../src/errors.js';
import { fixture, plugin } from './_plugins.js';
import { answers, expectWidthsFollowAnswers, HttpOut, makeLadder, playDash } from './_dash.js';
import type { DASHCustomAlgorithm, DASHGroup, DASHGroupStatistics } from '../../src/hook/dash-algorithm.js';

const SMALL = [160, 256, 320];
const CAPPED = [320, 480, 640];
let dir: TmpDir;
let http: HttpOut;

beforeAll(async () => {
  if (!hasGpacCli) return;
  dir = tmpDir('gpac-ts-dash-');
  await Promise.all([
    makeLadder(dir.path, 'small/live.mpd', 12, ['320x180', '256x144', '160x90'], ['300k', '150k', '60k']),
    makeLadder(dir.path, 'hls/live.m3u8', 12, ['320x180', '256x144', '160x90'], ['300k', '150k', '60k']),
    // Segments large enough for GPAC's rate cap to hold (it limits reads per 200 ms window).
    makeLadder(dir.path, 'capped/live.mpd', 16, ['640x360', '480x270', '320x180'], ['6m', '3m', '1500k']),
  ]);
  http = await HttpOut.start(dir.path);
}, 180_000);

afterAll(() => {
  http?.stop();
  dir?.cleanup();
});

const log = () => dir.file(`algo-${Math.random().toString(36).slice(2)}.log`);

describeGpacCli('DASH algorithm plugins', () => {
  for (const threads of [0, 4]) {
    itGpacCli(`the howto's cycling algorithm: the representations fetched follow its answers, local MPD (threads ${threads})`, async () => {
      const run = await playDash(dir.file('small/live.mpd'), log(), { session: { threads }, options: { answers: 'cycle' } });
      expectWidthsFollowAnswers(run, SMALL);
      expect(run.packets).toBe(300);
      expect(new Set(run.widths)).toEqual(new Set(SMALL));
    });

    // Over HTTP with GPAC threads, GPAC itself stalls after the first segments (the gpac CLI too, with
    // -threads=N: gpac-issues.md): HTTP is tested without them.
    if (threads === 0)
      itGpacCli(`… over HTTP from GPAC's httpout (threads ${threads})`, async () => {
      const run = await playDash(`${http.base}/small/live.mpd`, log(), { session: { threads }, options: { answers: [1, 0, 2, 0, 1, 1, 2] } });
      expectWidthsFollowAnswers(run, SMALL);
      expect(run.packets).toBe(300);
    });

    itGpacCli(`… bound with filter.bind() from onFilterNew, as in GPAC's howto (threads ${threads})`, async () => {
      const run = await playDash(threads ? dir.file('small/live.mpd') : `${http.base}/small/live.mpd`, log(), { session: { threads }, viaFilterNew: true, options: { answers: 'cycle' } });
      expectWidthsFollowAnswers(run, SMALL);
      // GPAC waited for the listener: the algorithm saw the period start and the group.
      expect(run.log.slice(0, 3).map((e) => e.call)).toEqual(['onPeriodReset', 'onPeriodReset', 'onNewGroup']);
    });

    itGpacCli(`drives an HLS session: each variant stream is a quality of the group (threads ${threads})`, async () => {
      const run = await playDash(dir.file('hls/live.m3u8'), log(), { session: { threads }, options: { answers: 'cycle' } });
      expectWidthsFollowAnswers(run, SMALL);
      expect(run.packets).toBe(300);
    });
  }

  itGpacCli('onNewGroup gets every field of libgpac.py\'s DASHGroup and DASHQualityInfo; onRateAdaptation its statistics', async () => {
    const run = await playDash(dir.file('small/live.mpd'), log(), { options: { answers: 'keep' } });
    expect(run.error).toBeUndefined();
    const group = run.log.find((e) => e.call === 'onNewGroup')!.group as Record<string, unknown>;
    expect(group).toMatchObject({ idx: 0, duration: 12000, srd: null });
    const qualities = group.qualities as Record<string, unknown>[];
    expect(qualities.map((q) => [q.width, q.bandwidth, q.id])).toEqual([
      [160, 60000, '3'],
      [256, 150000, '2'],
      [320, 300000, '1'],
    ]);
    expect(Object.keys(qualities[0]!).sort()).toEqual(
      ['astOffset', 'avgDuration', 'bandwidth', 'codec', 'disabled', 'fps', 'hlsVariantUrl', 'height', 'id', 'interlaced', 'isSelected', 'mime',
        'nbChannels', 'sampleRate', 'sar', 'sizes', 'ssr', 'width'].sort(),
    );
    expect(qualities[2]).toMatchObject({ mime: 'video/mp4', height: 180, fps: { num: 25, den: 1 }, sar: { num: 1, den: 1 }, interlaced: false, disabled: false, sampleRate: 0, nbChannels: 0, avgDuration: 1, hlsVariantUrl: null });
    expect(qualities[2]!.codec).toMatch(/^avc1\./);
    const stats = run.log.find((e) => e.call === 'onRateAdaptation')!.stats!;
    expect(Object.keys(stats).sort()).toEqual(
      ['activeQualityIdx', 'buffer', 'bufferMax', 'bufferMin', 'displayHeight', 'displayWidth', 'downloadRate', 'filesize', 'maxAvailableSpeed', 'qualityDegradationHint', 'speed', 'totalRate'].sort(),
    );
    expect(stats).toMatchObject({ activeQualityIdx: 2, speed: 1 });
    expect(stats.filesize).toBeGreaterThan(1000);
    // keep: every segment at the initial (highest) quality
    expect(run.widths.every((w) => w === 320)).toBe(true);
  });

  itGpacCli('a throughput algorithm whose downloads are capped by httpMaxBitrate settles on the best quality below the cap', async () => {
    // Qualities of 1.5, 3 and 6 Mbit/s (MPD bandwidth), downloads capped at 5.5 Mbit/s: GPAC's per-segment
    // rates scatter around the cap (±30% under load), and the algorithm's median of 5 with its 0.85 safety
    // factor needs 3.5 Mbit/s for 3 Mbit/s and 7 Mbit/s for 6.
    const run = await playDash(`${http.base}/capped/live.mpd`, log(), { spec: plugin('dash-throughput.ts'), httpMaxBitrate: 5_500_000, options: { window: 9 } });
    expect(run.error).toBeUndefined();
    expect(run.widths.length).toBe(16);
    expect(run.widths[0]).toBe(640); // dashin starts at the highest quality
    // The first segments' rates are measured before GPAC's cap applies (outliers above it, more of them under
    // load): the algorithm may keep 6 Mbit/s for a few segments, then settles. Its median of nine rates
    // ignores up to four outliers.
    const last = run.widths.slice(-8);
    expect(last).not.toContain(640);
    // 3 Mbit/s, the best quality under the cap, is reached. How often it is kept depends on GPAC's per-segment
    // rates, which under CPU load (a CI run) fall far below the cap: in 4 of the last 9 fresh-clone CI runs
    // only 3 or 4 of the last 8 segments were at 3 Mbit/s, the others at 1.5 Mbit/s as the rule says for those
    // rates. The rule itself is checked on given rates in the next test.
    expect(last).toContain(480);
  });

  itGpacCli("the throughput algorithm's rule on given rates: median of the window times the safety factor, down at once, up one step after two votes", async () => {
    const { default: DashThroughput } = (await import(plugin('dash-throughput.ts'))) as { default: new (o: object) => DASHCustomAlgorithm };
    const algo = new DashThroughput({ window: 3 });
    const group = { idx: 0, duration: 16000, qualities: [1_500_000, 3_000_000, 6_000_000].map((bandwidth) => ({ bandwidth, disabled: false })) } as unknown as DASHGroup;
    let current = 2;
    const step = (downloadRate: number) =>
      (current = algo.onRateAdaptation(group, group, false, { downloadRate, totalRate: downloadRate, activeQualityIdx: current } as DASHGroupStatistics) as number);
    expect(step(5_500_000)).toBe(1); // 5.5 × 0.85 = 4.7 Mbit/s: 3 fits, 6 does not — down at once
    expect(step(5_500_000)).toBe(1);
    expect(step(1_000_000)).toBe(1); // median of 5.5, 5.5, 1: one slow segment does not move it
    expect(step(1_000_000)).toBe(0); // median 1: only the lowest fits
    expect([step(9_000_000), step(9_000_000)]).toEqual([0, 0]); // median 1, then 9: one vote up
    expect(step(9_000_000)).toBe(1); // second vote: one step up
    expect([step(9_000_000), step(9_000_000)]).toEqual([1, 2]); // 9 × 0.85 = 7.65: two more votes, then 6 Mbit/s
  });

  itGpacCli('-2 disables the group: its segments stop, and the session ends', async () => {
    const run = await playDash(dir.file('small/live.mpd'), log(), { options: { answers: [1, 0, -2] } });
    expect(run.error).toBeUndefined();
    expect(answers(run).slice(0, 3)).toEqual([1, 0, -2]);
    // Segments 1–3 as answered, then at most the one already scheduled.
    expect(run.widths.slice(0, 3)).toEqual([320, 256, 160]);
    expect(run.widths.length).toBeLessThanOrEqual(4);
  });

  itGpacCli('a download monitor answering -2 aborts that download, without retry', async () => {
    const full = await playDash(`${http.base}/capped/live.mpd`, log(), { options: { answers: 'keep', monitor: [-1] }, httpMaxBitrate: 4_500_000 });
    expect(full.error).toBeUndefined();
    expect(full.packets).toBe(400);
    expect(full.log.some((e) => e.call === 'onDownloadMonitor')).toBe(true);
    const run = await playDash(`${http.base}/capped/live.mpd`, log(), { options: { answers: 'keep', monitor: [-1], abortInSegment: 3 }, httpMaxBitrate: 4_500_000 });
    expect(run.error).toBeUndefined();
    const aborted = run.log.findIndex((e) => e.call === 'onDownloadMonitor' && e.answer === -2);
    expect(aborted).toBeGreaterThan(0);
    const stats = run.log[aborted]!.stats!;
    expect(stats.bytesDone).toBeLessThan(stats.totalBytes!);
    // Segments 1 and 2 whole; segment 3 cut where it was aborted, and not fetched again (GPAC's mp4dmx then
    // reads the next segments as the rest of a truncated file and drops their samples: gpac-issues.md).
    const decisions = run.log.filter((e) => e.call === 'onRateAdaptation').length;
    // a decision after every segment but the aborted one
    expect(decisions).toBeGreaterThanOrEqual(full.log.filter((e) => e.call === 'onRateAdaptation').length - 1);
    expect(run.packets).toBeGreaterThanOrEqual(50);
    expect(run.packets).toBeLessThan(75);
  });

  itGpacCli("GPAC's own scenario: an algorithm bound when dashin is created, then an inspect sink with dur=10", async () => {
    const fs = new FilterSession();
    const out = dir.file('inspect.txt');
    let calls = 0;
    try {
      const hook = await fs.bindDashAlgorithm(plugin('dash-cycle.ts'));
      fs.loadSrc(`${http.base}/small/live.mpd`);
      fs.load(`inspect:deep:dur=10:log=${out}`);
      await fs.run();
      calls = hook.stats().calls;
    } finally {
      fs.close(); // inspect writes its log out when it is deleted
    }
    const cts = [...readFileSync(out, 'utf8').matchAll(/ PCK \d+ cts (\d+)/g)].map((m) => Number(m[1]));
    expect(cts.length).toBe(250); // 10 s at 25 fps
    expect(Math.max(...cts)).toBeLessThanOrEqual(255);
    expect(calls).toBeGreaterThanOrEqual(12); // 2 period resets, 1 group, a decision per segment
  });

  itGpacCli('filter.bind() on a running dashin outside its onFilterNew is refused (dashin reads what binding writes)', async () => {
    const fs = new FilterSession();
    try {
      let dashin: Filter | undefined;
      fs.onFilterNew = (f) => {
        if (f.name === 'dashin') dashin = f; // not bound here
      };
      fs.httpMaxBitrate = 1_000_000; // a few seconds of downloads: still running below
      fs.loadSrc(`${http.base}/small/live.mpd`);
      fs.load('inspect:deep:log=/dev/null');
      const running = fs.run();
      for (let i = 0; i < 100 && !dashin; i++) await new Promise((r) => setTimeout(r, 20));
      expect(fs.running).toBe(true);
      await expect(dashin!.bind(plugin('dash-cycle.ts'))).rejects.toMatchObject({ code: 'ERR_GPAC_RUNNING', message: expect.stringMatching(/bind from onFilterNew/) });
      fs.abort();
      await running.catch(() => undefined);
    } finally {
      fs.close();
    }
  });

  itGpacCli('filter.bind() on a filter that is not dashin is a TypeError', async () => {
    const fs = new FilterSession();
    try {
      const f = fs.load('inspect');
      await expect(f.bind(plugin('dash-cycle.ts'))).rejects.toThrow(/binds to a dashin filter, not to 'inspect'/);
    } finally {
      fs.close();
    }
  });
});

describeGpacCli('DASH algorithm plugin failures', () => {
  const BASE = (threads: number) => ({ session: { threads }, timeoutMs: 1000 });
  for (const threads of [0, 4]) {
    itGpacCli(`a throw in onRateAdaptation fails the run with the plugin's message, callback, file and stack (threads ${threads})`, async () => {
      const run = await playDash(dir.file('small/live.mpd'), log(), { ...BASE(threads), options: { throwIn: 'onRateAdaptation' } });
      expect(run.error).toBeInstanceOf(GpacError);
      const e = run.error as GpacError;
      expect(e.message).toMatch(/DASH algorithm 'dash-scripted' \(.*dash-scripted\.ts\), onRateAdaptation\(\).*RangeError: scripted failure in onRateAdaptation/);
      expect(e.stack).toMatch(/dash-scripted\.ts/);
      expect(e.file).toMatch(/dash-scripted\.ts$/);
    });

    itGpacCli(`a rejected promise in onNewGroup fails the run (threads ${threads})`, async () => {
      const run = await playDash(dir.file('small/live.mpd'), log(), { ...BASE(threads), options: { rejectIn: 'onNewGroup' } });
      expect((run.error as Error).message).toMatch(/onNewGroup\(\).*scripted rejection in onNewGroup/);
    });

    itGpacCli(`an answer that is not a quality index is a TypeError naming what is expected (threads ${threads})`, async () => {
      const run = await playDash(dir.file('small/live.mpd'), log(), { ...BASE(threads), options: { answers: [7] } });
      expect((run.error as Error).message).toMatch(/onRateAdaptation must return a quality index.*group 0 has 3 qualities \(0\.\.2\), received number 7/);
      const run2 = await playDash(dir.file('small/live.mpd'), log(), { ...BASE(threads), options: { answers: ['1'] } });
      expect((run2.error as Error).message).toMatch(/received string "1"/);
    });

    itGpacCli(`a callback that hangs fails the run after timeoutMs, and close() is not held (threads ${threads})`, async () => {
      const t0 = Date.now();
      const run = await playDash(dir.file('small/live.mpd'), log(), { ...BASE(threads), options: { hangIn: 'onRateAdaptation' } });
      expect((run.error as Error).message).toMatch(/onRateAdaptation\(\) did not return within 1000 ms \(timeoutMs\)/);
      expect(Date.now() - t0).toBeLessThan(15_000);
    });

    itGpacCli(`a worker that exits under a callback fails the run saying so (threads ${threads})`, async () => {
      const run = await playDash(dir.file('small/live.mpd'), log(), { ...BASE(threads), options: { exitIn: 'onNewGroup' } });
      expect((run.error as Error).message).toMatch(/onNewGroup\(\).*exited with code 7/);
    });
  }

  itGpacCli('a module that is not a DASH algorithm is refused at binding, naming the file', async () => {
    const fs = new FilterSession();
    try {
      await expect(fs.bindDashAlgorithm(fixture('forward-like.ts'))).rejects.toThrow(/forward-like\.ts.*must be a class extending DASHCustomAlgorithm/);
      await expect(fs.bindDashAlgorithm(fixture('no-such-file.ts'))).rejects.toThrow(/does not exist/);
    } finally {
      fs.close();
    }
  });
});
