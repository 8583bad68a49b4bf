// Tests of the shared test helpers (test/helpers/) and of the facts the committed media promise
// (test/media/make-media.sh): frame counts, GOP structure, identical streams across the three files.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeGpacCli, gpacCliPath, hasGpac, hasGpacCli, libgpacPath } from './helpers/gpac.js';
import { inspect, inspectPackets, parseInspectXml, type NormalizeOptions } from './helpers/inspect.js';
import { tmpDir } from './helpers/tmp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const media = (name: string): string => join(root, 'test', 'media', name);

// What make-media.sh encodes: 3 s at 25 fps with a 25-frame closed GOP; AAC at 48 kHz (1024 samples per
// packet) plus the encoder's 1024-sample priming, i.e. ceil((3 * 48000 + 1024) / 1024) packets.
const SECONDS = 3;
const FPS = 25;
const VIDEO_PACKETS = SECONDS * FPS;
const AUDIO_PACKETS = Math.ceil((SECONDS * 48000 + 1024) / 1024);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}\n${stderr}` });
    });
  });
}

describe('committed media', () => {
  it('exist and stay small', () => {
    let total = 0;
    for (const f of ['av.mp4', 'video.mp4', 'audio.mp4']) {
      const size = statSync(media(f)).size;
      expect(size, f).toBeGreaterThan(10_000);
      expect(size, f).toBeLessThan(300_000);
      total += size;
    }
    expect(total).toBeLessThan(1_500_000);
  });
});

describe('gpac detection', () => {
  it('is consistent', () => {
    expect(hasGpac).toBe(libgpacPath !== null);
    expect(hasGpacCli).toBe(hasGpac && gpacCliPath !== null);
    if (libgpacPath) expect(existsSync(libgpacPath)).toBe(true);
  });

  // Runs a fixture suite in a child vitest with libgpac made unfindable (GPAC_LIB -> missing file).
  const fixture = ['vitest', 'run', '--config', 'test/helpers/fixtures/vitest.fixture.config.ts'];
  const noGpac = { ...process.env, GPAC_LIB: '/nonexistent/libgpac.so', REQUIRE_GPAC: '' };

  it('skips visibly without GPAC', async () => {
    const r = await run('npx', fixture, noGpac);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('[needs GPAC]');
    expect(r.out).toMatch(/skipped/);
  }, 60_000);

  it('fails instead of skipping with REQUIRE_GPAC=1', async () => {
    const r = await run('npx', fixture, { ...noGpac, REQUIRE_GPAC: '1' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('REQUIRE_GPAC=1 but libgpac was not found');
    expect(r.out).toContain('/nonexistent/libgpac.so');
  }, 60_000);
});

describe('tmpDir', () => {
  let made = '';
  it('makes a directory', () => {
    const d = tmpDir();
    made = d.path;
    writeFileSync(d.file('x.txt'), 'x');
    expect(readdirSync(d.path)).toEqual(['x.txt']);
  });
  it('removed it when the previous test finished', () => {
    expect(made).not.toBe('');
    expect(existsSync(made)).toBe(false);
  });
});

describe('parseInspectXml', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<GPACInspect>
<PIDConfigure PID="1" name="V1" ID="7" StreamType="Visual" Timescale="1000" CodecID="MPEG-4 AVC|H264 Video" Title="a &gt; b &amp; &quot;c&quot;" Note="x>y"/>
<Packet number="1" PID="1" framing="complete" dts="0" cts="40" dur="40" sap="1" size="100" CRC32="0x00000001"/>
<Packet number="2" PID="1" framing="complete" dts="40" cts="N/A" dur="40" sap="4 (prol)" size="50" CRC32="0x00000002"/>
<Packet number="3" PID="1" PCR="1234" />
<PIDConfigure PID="1" name="V1" ID="7" StreamType="Visual" Timescale="1000" CodecID="MPEG-4 AVC|H264 Video" Width="2"/>
<Packet number="3" PID="1" framing="start" dts="80" cts="80" dur="40" sap="0" size="10"/>
</GPACInspect>`;

  it('reads PIDs, packets, reconfigurations and escaped values', () => {
    const [p, ...rest] = parseInspectXml(xml);
    expect(rest).toHaveLength(0);
    expect(p).toMatchObject({ pid: 1, id: 7, streamType: 'Visual', timescale: 1000, configureCount: 2, packetCount: 3, totalSize: 160 });
    expect(p?.props.Width).toBe('2');
    expect(p?.packets.map((k) => [k.dts, k.cts, k.sap, k.framing, k.crc])).toEqual([
      [0, 40, 1, 'complete', '0x00000001'],
      [40, null, 4, 'complete', '0x00000002'],
      [80, 80, 0, 'start', null],
    ]);
    // duration from cts 40 to 80 + 40
    expect(p?.duration).toBe(80);
    const first = parseInspectXml(xml.replace(/<PIDConfigure PID="1" name="V1" ID="7" StreamType="Visual" Timescale="1000" CodecID="[^"]*" Width="2"\/>/, ''))[0];
    expect(first?.props.Title).toBe('a > b & "c"');
    expect(first?.props.Note).toBe('x>y');
  });

  it('rejects a packet of an unknown PID', () => {
    expect(() => parseInspectXml('<Packet number="1" PID="3" dts="0" cts="0" dur="1" sap="1" size="1"/>')).toThrow(/before any PIDConfigure for PID 3/);
  });
});

describeGpacCli('inspect on the committed media', () => {
  it('av.mp4: one H.264 and one AAC PID with the expected packets', async () => {
    const { pids } = await inspect(media('av.mp4'));
    expect(pids).toHaveLength(2);
    const video = pids.find((p) => p.streamType === 'Visual');
    const audio = pids.find((p) => p.streamType === 'Audio');
    expect(video?.codec).toMatch(/AVC|H264/);
    expect(audio?.codec).toMatch(/AAC/);
    expect(video?.props.Width).toBe('320');
    expect(video?.props.Height).toBe('240');

    expect(video?.packetCount).toBe(VIDEO_PACKETS);
    expect(video?.durationSeconds).toBeCloseTo(SECONDS, 6);
    // one SAP-1 per 25-frame GOP, at frames 0, 25, 50
    const saps = video?.packets.flatMap((k, i) => (k.sap === 1 ? [i] : []));
    expect(saps).toEqual([0, FPS, 2 * FPS]);
    // B-frames: cts differs from dts on some packets
    expect(video?.packets.some((k) => k.cts !== k.dts)).toBe(true);

    expect(audio?.timescale).toBe(48000);
    expect(audio?.props.NumChannels).toBe('2');
    expect(audio?.packetCount).toBe(AUDIO_PACKETS);
    // 1024-sample packets; the last one is cut so the stream holds the priming plus exactly 3 s
    expect(audio?.packets.slice(0, -1).every((k) => k.dur === 1024)).toBe(true);
    expect(audio?.duration).toBe(SECONDS * 48000 + 1024);

    // the packet sizes add up to what the demuxer reports for the track
    for (const p of pids) expect(String(p.totalSize)).toBe(p.props.MediaDataSize);
  });

  it('video.mp4 and audio.mp4 hold the same packets as the streams of av.mp4', async () => {
    const [av, v, a] = await Promise.all([inspectPackets(media('av.mp4')), inspectPackets(media('video.mp4')), inspectPackets(media('audio.mp4'))]);
    expect(av.map((s) => s.streamType)).toEqual(['Audio', 'Visual']);
    expect(v).toEqual([av[1]]);
    expect(a).toEqual([av[0]]);
    // The committed file's first frame (an IDR), as GPAC's inspect prints it.
    expect(av[1]?.packets[0]).toEqual({ dts: 0, cts: 1024, dur: 512, size: 3620, sap: 1, crc: '0xCFA54475' });
  });

  it('inspectPackets rescales and rebases', async () => {
    const [audio] = await inspectPackets(media('audio.mp4'), { timescale: 1000, rebase: true, fields: ['dts', 'dur'] });
    expect(audio?.timescale).toBe(1000);
    expect(audio?.packets.slice(0, 3)).toEqual([
      { dts: 0, dur: 21 },
      { dts: 21, dur: 21 },
      { dts: 43, dur: 21 },
    ]);
  });

  // How the session tests can check an mp4 -> TS remux: reframed ('frame' mode), on the 90 kHz TS clock,
  // rebased (TS adds an offset). SAP and dur are left out: TS signals AAC SAPs and last durations differently.
  it('inspectPackets in frame mode makes an mp4 and its TS remux comparable', async () => {
    const d = tmpDir();
    const ts = d.file('av.ts');
    await run(gpacCliPath as string, ['-i', media('av.mp4'), '-o', ts], process.env).then((r) => expect(r.code, r.out).toBe(0));
    const opts: NormalizeOptions = { mode: 'frame', timescale: 90000, rebase: true, fields: ['dts', 'cts', 'size', 'crc'] };
    const [mp4, m2ts] = await Promise.all([inspectPackets(media('av.mp4'), opts), inspectPackets(ts, opts)]);
    expect(m2ts.map((s) => s.packets.length)).toEqual([AUDIO_PACKETS, VIDEO_PACKETS]);
    expect(m2ts).toEqual(mp4);
  });

  it('dashes into one segment per second per stream (fixed GOP)', async () => {
    const d = tmpDir();
    await run(gpacCliPath as string, ['-i', media('av.mp4'), '-o', `${d.file('live.mpd')}:segdur=1`], process.env).then((r) => expect(r.code, r.out).toBe(0));
    const segments = readdirSync(d.path).filter((f) => f.endsWith('.m4s'));
    expect(segments).toHaveLength(2 * SECONDS);
  });

  it('reports a gpac failure with the command and stderr', async () => {
    await expect(inspect(media('does-not-exist.mp4'))).rejects.toThrow(/does-not-exist\.mp4.*failed/s);
  });
});
