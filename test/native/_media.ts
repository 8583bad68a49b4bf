// Paths of the committed test media (test/media/make-media.sh) and small helpers shared by the native tests.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilterSession } from '../../src/session/session.js';

export const MEDIA = join(dirname(fileURLToPath(import.meta.url)), '..', 'media');
/** 3 s, 320x240 H.264 (75 packets) + AAC (142 packets). */
export const AV = join(MEDIA, 'av.mp4');
export const VIDEO = join(MEDIA, 'video.mp4');
export const AUDIO = join(MEDIA, 'audio.mp4');

/** Threads of this process (Linux). */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** Ticks of a 1 ms interval while `fn` runs, and the longest gap between two ticks. */
export async function measureEventLoop<T>(fn: () => Promise<T>): Promise<{ result: T; ticks: number; maxGapMs: number; elapsedMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let maxGapMs = 0;
  const iv = setInterval(() => {
    const t = performance.now();
    maxGapMs = Math.max(maxGapMs, t - last);
    last = t;
    ticks++;
  }, 1);
  const t0 = performance.now();
  try {
    const result = await fn();
    return { result, ticks, maxGapMs, elapsedMs: performance.now() - t0 };
  } finally {
    clearInterval(iv);
  }
}

/** `src` remuxed to `dst` by a session of its own (resolves once GPAC has written it). */
export async function remux(src: string, dst: string, threads = 0): Promise<void> {
  const fs = new FilterSession({ threads });
  try {
    fs.loadSrc(src);
    fs.loadDst(dst);
    await fs.run();
  } finally {
    fs.close();
  }
}
