// Benchmark media, generated on demand into bench/.out/media/ (gitignored; too big to commit):
//   aac-30min  30 min of AAC-LC, 48 kHz mono, 32 kb/s: 1024-sample packets -> ~84,375 small packets
//   h264-720p  30 s of 1280x720 H.264 at 25 fps, 8 Mb/s: large packets (~40 KB on average)
//   h264-720p-5min  the same picture for 5 min at 4 Mb/s (7,500 packets): a remux long enough that start-up
//              costs (Node's module loading, the dynamic loader) no longer dominate
// Made with Debian's ffmpeg; when it is absent, with GPAC itself (avgen + ffenc) if that GPAC was built with
// FFmpeg; otherwise the error says how to get ffmpeg.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchMediaId = 'aac-30min' | 'h264-720p' | 'h264-720p-5min' | 'dash-ladder';

export const BENCH_OUT = join(dirname(fileURLToPath(import.meta.url)), '.out');
const MEDIA_DIR = join(BENCH_OUT, 'media');

interface Recipe {
  file: string;
  /** Media seconds, for the progress display. */
  seconds: number;
  ffmpeg: string[];
  gpac: string[];
}

// Bit-exact flags and no metadata so regenerating gives the same file.
const FF_COMMON = ['-map_metadata', '-1', '-fflags', '+bitexact', '-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1', '-y'];

/** 1280x720 test pattern at 25 fps in H.264, `mbps` Mb/s, a key frame every 2 s. */
function h264Recipe(file: string, seconds: number, mbps: number): Recipe {
  const rate = `${mbps}M`;
  return {
    file,
    seconds,
    ffmpeg: [
      '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-b:v', rate, '-maxrate', rate, '-bufsize', rate, '-g', '50',
      '-flags:v', '+bitexact',
    ],
    gpac: [`avgen:type=v:sizes=1280x720:fps=25:dur=${seconds}:ntp=false:adjust=false:lock`, `c=avc:b=${mbps}m:g=50`],
  };
}

/** dash-ladder: 60 s of avgen video in three qualities (640x360 1 Mb/s, 480x270 500 kb/s, 320x180 250 kb/s),
 *  1 s segments, segmented by GPAC's dasher: 60 rate adaptation calls per play. Made with the gpac CLI. */
async function ensureDashLadder(): Promise<string> {
  const dir = join(MEDIA_DIR, 'dash-ladder');
  const mpd = join(dir, 'live.mpd');
  if (existsSync(mpd)) return mpd;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`generating ${mpd} with gpac (60 s, three qualities) ...`);
  const args = [
    '-i', 'avgen:type=v:dur=60:sizes=640x360:ntp=false:adjust=false:lock',
    '@#StreamType=Video', 'enc:c=avc:b=1m:FID=E1',
    '@@0#StreamType=Video', 'ffsws:osize=480x270', '@', 'enc:c=avc:b=500k:FID=E2',
    '@@0#StreamType=Video', 'ffsws:osize=320x180', '@', 'enc:c=avc:b=250k:FID=E3',
    '-o', `${join(dir, 'live.part.mpd')}:segdur=1:SID=E1,E2,E3`,
  ];
  await run('gpac', args, 'dash-ladder', 60);
  renameSync(join(dir, 'live.part.mpd'), mpd);
  return mpd;
}

const RECIPES: Record<Exclude<BenchMediaId, 'dash-ladder'>, Recipe> = {
  'aac-30min': {
    file: 'aac-30min.mp4',
    seconds: 1800,
    ffmpeg: ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1800', '-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-flags:a', '+bitexact'],
    gpac: ['avgen:type=a:sr=48000:ch=1:dur=1800:ntp=false:adjust=false:lock', 'c=aac:b=32k'],
  },
  'h264-720p': h264Recipe('h264-720p.mp4', 30, 8),
  'h264-720p-5min': h264Recipe('h264-720p-5min.mp4', 300, 4),
};

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

function run(cmd: string, args: string[], label: string, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let lastShown = -1;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // ffmpeg's -progress lines: out_time_us=NNN. Show a percentage every 10 %.
    child.stdout.on('data', (d: Buffer) => {
      const times = [...d.toString().matchAll(/out_time_us=(\d+)/g)];
      const last = times[times.length - 1];
      if (!last) return;
      const pct = Math.min(100, Math.floor(Number(last[1]) / 1e4 / seconds));
      if (pct >= lastShown + 10) {
        lastShown = pct - (pct % 10);
        process.stdout.write(`  ${label}: ${lastShown}%\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

/** Path of the benchmark file `id`, generating it first if needed (prints progress; minutes at most). */
export async function ensureBenchMedia(id: BenchMediaId): Promise<string> {
  if (id === 'dash-ladder') return ensureDashLadder();
  const r = RECIPES[id];
  const out = join(MEDIA_DIR, r.file);
  if (existsSync(out) && statSync(out).size > 0) return out;
  mkdirSync(MEDIA_DIR, { recursive: true });
  const tmp = `${out}.part.mp4`;
  rmSync(tmp, { force: true });
  const started = Date.now();
  if (has('ffmpeg', ['-version'])) {
    console.log(`generating ${out} with ffmpeg (${r.seconds} s of media) ...`);
    await run('ffmpeg', [...r.ffmpeg, ...FF_COMMON, tmp], id, r.seconds);
  } else if (has('gpac', ['-h', 'ffenc'])) {
    console.log(`ffmpeg not found; generating ${out} with gpac avgen + ffenc (${r.seconds} s of media) ...`);
    await run('gpac', [...r.gpac, '-o', tmp], id, r.seconds);
  } else {
    throw new Error(
      `bench: cannot generate ${out}: neither ffmpeg nor a gpac built with FFmpeg (ffenc) was found. ` +
        'Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) and run the benchmark again.',
    );
  }
  renameSync(tmp, out);
  console.log(`  ${id}: done in ${((Date.now() - started) / 1000).toFixed(1)} s, ${(statSync(out).size / 1e6).toFixed(1)} MB`);
  return out;
}
