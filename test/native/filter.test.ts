// Filter handles on real libgpac: identity, ID, PIDs and their properties, sources and sinks,
// statistics, options with their current values, run-time option updates (validated), remove,
// insert/reconnect, and wrong-object arguments (type tags).
import { existsSync, readFileSync } from 'node:fs';
import { expect, vi } from 'vitest';
import type { Filter } from '../../src/session/filter.js';
import { FilterOptionsError } from '../../src/options.js';
import { FilterSession } from '../../src/session/session.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { AV } from './_media.js';

function byName(fs: FilterSession, name: string): Filter {
  const f = fs.filters.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} among ${fs.filters.map((x) => x.name).join(', ')}`);
  return f;
}

describeGpac('Filter handles', () => {
  itGpac('id is the filter ID (FID), not its name', () => {
    const fs = new FilterSession();
    try {
      const src = fs.loadSrc(`${AV}:FID=mysrc`);
      const dst = fs.loadDst(tmpDir().file('o.mp4'));
      expect(src.name).toBe('fin');
      expect(src.id).toBe('mysrc');
      expect(dst.id).toBe(null);
      expect(String(src)).toBe('fin');
    } finally {
      fs.close();
    }
  });

  itGpac('PIDs, properties, sources, sinks and statistics after a run', async () => {
    const fs = new FilterSession();
    try {
      const src = fs.loadSrc(AV);
      fs.loadDst(tmpDir().file('o.mp4'));
      await fs.run();
      const dmx = byName(fs, 'mp4dmx');
      const mux = byName(fs, 'mp4mx');
      expect([src.nbIpid, src.nbOpid]).toEqual([0, 1]);
      expect([dmx.nbIpid, dmx.nbOpid]).toEqual([1, 2]);
      expect(dmx.ipidSource(0)).toBe(src); // same handle object
      expect(src.opidSinks(0)).toEqual([dmx]);
      expect(dmx.opidSinks(0)).toEqual([mux]);
      expect(mux.ipidSource(0)).toBe(dmx);

      const video = dmx.opidProps(0);
      expect(video['StreamType']).toBe('Visual');
      expect(video['Width']).toBe(320);
      expect(video['Height']).toBe(240);
      expect(dmx.opidProp(0, 'Width')).toBe(320);
      expect(dmx.opidProp(0, 'PIDI')).toBe(video['ID']); // by 4CC too
      expect(dmx.opidProp(0, 'NoSuchProperty')).toBeUndefined();
      expect(dmx.opidName(0)).toBe('V1');
      const seen: string[] = [];
      dmx.opidEnumProps(1, { onPropEnum: (name) => seen.push(name) });
      expect(seen).toContain('StreamType');
      expect(dmx.opidProp(1, 'StreamType')).toBe('Audio');
      expect(mux.ipidProp(0, 'StreamType')).toBeDefined();
      expect(() => dmx.opidProps(5)).toThrow(/no output PID number 5 in filter 'mp4dmx' \(it has 2\)/);

      const ps = dmx.opidStats(0);
      expect(ps['nbProcessed']).toBeGreaterThan(0);
      expect(ps['lastTsSent']).toEqual({ num: 38400n, den: 12800n }); // 3 s: the end of the 75th frame (dts 74 × 512 + 512)

      const st = dmx.statistics;
      expect(st.regName).toBe('mp4dmx');
      expect(st['nbPckSent']).toBe(217n); // 75 video + 142 audio packets, as a 64-bit counter
      expect(st['nbPidOut']).toBe(2);
      expect(typeof src.bytesDone).toBe('bigint');
      expect(src.getInfo('URL')).toBe(AV);
      expect(dmx.getDestinations(0)).toEqual(expect.arrayContaining(['mp4mx', 'inspect']));
      expect(dmx.probeLink(0, 'fout:dst=x.ts')).toEqual(expect.arrayContaining(['m2tsmx']));
    } finally {
      fs.close();
    }
  });

  itGpac('options list every argument with its current value; enum values by name', () => {
    const fs = new FilterSession();
    try {
      const insp = fs.load('inspect:deep:mode=frame:log=null');
      const args = insp.allArgs();
      const get = (n: string) => args.find((a) => a.name === n)!;
      expect(get('mode')).toMatchObject({ type: 'uint', value: 'frame', text: 'frame', updatable: false });
      expect(get('deep')).toMatchObject({ type: 'bool', value: true, updatable: true });
      expect(get('speed')).toMatchObject({ type: 'dbl', value: 1, default: '1.0' });
      expect(get('dur').value).toEqual({ num: 0, den: 0 });
      expect(insp.options['log']).toBe('null');
      expect(insp.getArgValue('deep')).toBe(true);
      expect(insp.getArgValue('nope')).toBeUndefined();
    } finally {
      fs.close();
    }
  });

  itGpac('update() changes an updatable option while the session runs, and refuses the rest', async () => {
    const fs = new FilterSession();
    try {
      fs.loadSrc(AV);
      fs.load('reframer:rt=on');
      const insp = fs.load('inspect:allp:log=null'); // allp: keeps consuming (inspect stops once PIDs are known)
      expect(insp.getArgValue('deep')).toBe(false);
      expect(() => insp.update('mode', 'frame')).toThrow(/inspect: option "mode" cannot be changed while the session runs/);
      expect(() => insp.update('nope', 1)).toThrow(/inspect: no option "nope"/);
      expect(() => insp.update('deep', 'maybe')).toThrow(FilterOptionsError);
      const running = fs.run();
      await new Promise((r) => setTimeout(r, 300));
      insp.update('deep', true);
      // GPAC applies the update in a task of the filter: poll (a loaded machine may take a while to run it).
      await vi.waitFor(() => expect(insp.getArgValue('deep')).toBe(true), { timeout: 2500, interval: 20 });
      fs.abort();
      await running;
    } finally {
      fs.close();
    }
  });

  itGpac('remove() takes a sink out of a running session; the others finish', async () => {
    const dir = tmpDir();
    const fs = new FilterSession();
    let a: Filter | undefined;
    try {
      fs.loadSrc(AV);
      fs.load('reframer:rt=on');
      a = fs.loadDst(dir.file('a.mp4'));
      fs.loadDst(dir.file('b.mp4'));
      const running = fs.run();
      await new Promise((r) => setTimeout(r, 300));
      a.remove();
      await running;
    } finally {
      fs.close();
    }
    // mp4mx writes the file when its input ends: the removed chain never got there.
    expect(existsSync(dir.file('a.mp4'))).toBe(false);
    expect(readFileSync(dir.file('b.mp4')).length).toBeGreaterThan(50_000);
    expect(a.alive).toBe(false);
    expect(a.name).toBe('fout');
  });

  itGpac('reconnect() links a deferred filter; insert() puts a filter after another', async () => {
    const dir = tmpDir();
    const fs = new FilterSession({ flags: ['GF_FS_FLAG_FORCE_DEFER_LINK'] });
    try {
      const src = fs.loadSrc(AV);
      fs.loadDst(dir.file('o.mp4'));
      let linked = false;
      fs.post({
        name: 'link',
        execute() {
          if (!linked) {
            src.reconnect(); // fin → mp4dmx
            linked = true;
            return 5;
          }
          const dmx = fs.filters.find((f) => f.name === 'mp4dmx');
          // Until the demuxer has declared its PIDs, GPAC has nothing to reconnect (GF_EOS): ask again later.
          if (!dmx || dmx.nbOpid === 0) return 5;
          dmx.reconnect(); // mp4dmx → mp4mx → fout
          return -1;
        },
      });
      await fs.run();
      expect(readFileSync(dir.file('o.mp4')).length).toBeGreaterThan(50_000);
    } finally {
      fs.close();
    }

    const fs2 = new FilterSession();
    try {
      fs2.loadSrc(AV);
      fs2.loadDst(dir.file('p.mp4'));
      // SID: inspect takes no source until insert() gives it one. Without it GPAC may link the demuxer to the
      // unlinked inspect by itself before the task runs, and setSource then refuses the existing link
      // (GF_BAD_PARAM, gf_filter_set_source's loop check).
      const insp = fs2.load(`inspect:deep:SID=none:log=${dir.file('inspect.txt')}`);
      fs2.post({
        name: 'insert',
        execute() {
          const dmx = fs2.filters.find((f) => f.name === 'mp4dmx');
          if (!dmx || dmx.nbOpid === 0) return 1;
          dmx.insert(insp, 1); // the audio PID also goes to inspect
          return -1;
        },
      });
      await fs2.run();
      const types = Array.from({ length: insp.nbIpid }, (_, i) => insp.ipidProp(i, 'StreamType'));
      // insert() linked the demuxer's audio output to inspect; whether packets reach it depends on how far the
      // demuxer got before the link (GPAC does not replay what it sent: the 3 s file may be through already).
      expect(types).toEqual(['Audio']);
      expect(insp.ipidSource(0)?.name).toBe('mp4dmx');
    } finally {
      fs2.close();
    }
    expect(readFileSync(dir.file('p.mp4')).length).toBeGreaterThan(50_000);
  });

  itGpac('wrong objects where a filter is expected are TypeErrors (type-tagged natives)', () => {
    const fs = new FilterSession();
    const other = new FilterSession();
    try {
      const src = fs.loadSrc(AV);
      const dst = fs.loadDst(tmpDir().file('o.mp4'));
      const foreign = other.loadSrc(AV);
      expect(() => dst.setSource({} as Filter)).toThrow(TypeError);
      expect(() => dst.setSource(foreign)).toThrow(/belongs to another session/);
      const nativeDst = (dst as unknown as { native: { setSource(a: unknown, b: unknown, c: boolean): void } }).native;
      expect(() => nativeDst.setSource({ serial: 1 }, undefined, false)).toThrow(/expected a setSource: source filter, received object/);
      expect(() => nativeDst.setSource((fs as unknown as object), undefined, false)).toThrow(TypeError);
      dst.setSource(src, '#PID=1');
    } finally {
      other.close();
      fs.close();
    }
  });
});
