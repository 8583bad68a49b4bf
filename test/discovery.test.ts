import { describe, expect, it, vi } from 'vitest';
import {
  checkAbi,
  GpacAbiError,
  GpacNotFoundError,
  likelyLibgpac,
  loadLibgpac,
  locateGpacPrefix,
  locateLibgpac,
  type DiscoveryHost,
} from '../src/discovery.js';

/** A machine made of a file list, an environment and an optional pkg-config answer. */
function fakeHost(opts: { files?: string[]; env?: Record<string, string>; pkg?: Record<string, string>; ldconfig?: string }): DiscoveryHost {
  const files = new Set(opts.files ?? []);
  return {
    env: opts.env ?? {},
    exists: (p) => files.has(p),
    list: (dir) => [...files].filter((f) => f.startsWith(dir + '/') && !f.slice(dir.length + 1).includes('/')).map((f) => f.slice(dir.length + 1)),
    pkgConfig(args) {
      const v = opts.pkg?.[args.join(' ')];
      if (v === undefined) throw Object.assign(new Error('Package gpac was not found in the pkg-config search path.'), {});
      return v;
    },
    ldconfigCache: () => opts.ldconfig ?? '',
  };
}

const info = { version: '2.5-DEV', abi: { major: 16, minor: 25, micro: 0 } };

describe('likelyLibgpac (the library loaded ahead of time)', () => {
  it('follows GPAC_LIB, GPAC_HOME, then LD_LIBRARY_PATH and the standard places, without spawning anything', () => {
    const spawnless = (opts: Parameters<typeof fakeHost>[0]) => ({
      ...fakeHost(opts),
      pkgConfig: () => expect.unreachable('pkg-config spawned'),
      ldconfigCache: () => expect.unreachable('ldconfig spawned'),
    });
    const files = ['/a/libgpac.so', '/b/lib/libgpac.so.16', '/ld/libgpac.so', '/usr/local/lib/libgpac.so'];
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_LIB: '/a/libgpac.so', GPAC_HOME: '/b' } }))).toBe('/a/libgpac.so');
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_HOME: '/b' } }))).toBe('/b/lib/libgpac.so.16');
    expect(likelyLibgpac(spawnless({ files, env: { LD_LIBRARY_PATH: '/ld' } }))).toBe('/ld/libgpac.so');
    expect(likelyLibgpac(spawnless({ files, env: {} }))).toBe('/usr/local/lib/libgpac.so');
    // A GPAC_LIB that does not exist is not second-guessed: locateLibgpac reports it.
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_LIB: '/nope.so' } }))).toBeNull();
    expect(likelyLibgpac(spawnless({ files: [], env: {} }))).toBeNull();
  });
});

describe('locateLibgpac', () => {
  it('orders GPAC_LIB, GPAC_HOME, pkg-config (when PKG_CONFIG_PATH points it somewhere), then the loader places', () => {
    const host = fakeHost({
      env: { GPAC_LIB: '/a/libgpac.so', GPAC_HOME: '/b', PKG_CONFIG_PATH: '/c/lib/pkgconfig' },
      files: ['/a/libgpac.so', '/b/lib/libgpac.so', '/c/lib/libgpac.so', '/usr/local/lib/libgpac.so'],
      pkg: { '--variable=libdir gpac': '/c/lib' },
    });
    expect(locateLibgpac(host).candidates).toEqual([
      { path: '/a/libgpac.so', source: 'GPAC_LIB' },
      { path: '/b/lib/libgpac.so', source: 'GPAC_HOME' },
      { path: '/c/lib/libgpac.so', source: 'pkg-config' },
      { path: '/usr/local/lib/libgpac.so', source: 'loader' },
    ]);
  });

  it('does not spawn pkg-config when the loader places have a library and PKG_CONFIG_PATH/LIBDIR are unset', () => {
    const host = { ...fakeHost({ files: ['/usr/local/lib/libgpac.so'] }), pkgConfig: () => expect.unreachable('pkg-config spawned') };
    expect(locateLibgpac(host).candidates).toEqual([{ path: '/usr/local/lib/libgpac.so', source: 'loader' }]);
  });

  it('asks pkg-config after the loader places found nothing', () => {
    const host = fakeHost({ files: ['/opt/g/lib/libgpac.so'], pkg: { '--variable=libdir gpac': '/opt/g/lib' } });
    expect(locateLibgpac(host).candidates).toEqual([{ path: '/opt/g/lib/libgpac.so', source: 'pkg-config' }]);
  });

  it('accepts a GPAC build tree as GPAC_HOME and versioned library names', () => {
    const host = fakeHost({
      env: { GPAC_HOME: '/src/gpac' },
      files: ['/src/gpac/bin/gcc/libgpac.so.16.25.0', '/src/gpac/bin/gcc/libgpac.so.16'],
    });
    expect(locateLibgpac(host).candidates[0]).toEqual({ path: '/src/gpac/bin/gcc/libgpac.so.16.25.0', source: 'GPAC_HOME' });
  });

  it('finds libraries the loader cache knows about', () => {
    const host = fakeHost({
      files: ['/opt/x/lib/libgpac.so.16'],
      ldconfig: '\tlibgpac.so.16 (libc6,x86-64) => /opt/x/lib/libgpac.so.16\n',
    });
    expect(locateLibgpac(host).candidates).toEqual([{ path: '/opt/x/lib/libgpac.so.16', source: 'loader' }]);
  });

  it('records every empty place', () => {
    const { candidates, tried } = locateLibgpac(fakeHost({ env: { GPAC_LIB: '/nope.so', GPAC_HOME: '/home' } }));
    expect(candidates).toEqual([]);
    expect(tried.map((t) => t.place)).toEqual([
      'GPAC_LIB=/nope.so',
      'GPAC_HOME=/home',
      'pkg-config gpac',
      expect.stringMatching(/^loader paths \(.*\/usr\/local\/lib/),
    ]);
    expect(tried[2]!.reason).toMatch(/not found in the pkg-config search path/);
  });
});

describe('loadLibgpac', () => {
  it('returns the first candidate that binds, after failures', () => {
    const host = fakeHost({ env: { GPAC_LIB: '/a/libgpac.so' }, files: ['/a/libgpac.so', '/usr/local/lib/libgpac.so'] });
    const bind = vi.fn((p: string) => {
      if (p === '/a/libgpac.so') throw new Error('/a/libgpac.so: wrong ELF class: ELFCLASS32');
      return info;
    });
    expect(loadLibgpac(bind, host)).toEqual({ path: '/usr/local/lib/libgpac.so', source: 'loader', ...info });
    expect(bind).toHaveBeenCalledTimes(2);
  });

  it('gives one error listing every place tried and what to do', () => {
    const host = fakeHost({ env: { GPAC_LIB: '/a/libgpac.so', GPAC_HOME: '/h' }, files: ['/a/libgpac.so'] });
    let err: unknown;
    try {
      loadLibgpac(() => {
        throw new Error('/a/libgpac.so: undefined symbol: gf_fs_new');
      }, host);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GpacNotFoundError);
    const msg = (err as Error).message;
    expect(msg).toContain('/a/libgpac.so (from GPAC_LIB): /a/libgpac.so: undefined symbol: gf_fs_new');
    expect(msg).toContain('GPAC_HOME=/h: no libgpac.so');
    expect(msg).toContain('pkg-config gpac');
    expect(msg).toContain('loader paths');
    expect(msg).toMatch(/Possible solutions:[\s\S]*GPAC_LIB=[\s\S]*GPAC_HOME=/);
  });
});

describe('checkAbi', () => {
  const expected = { major: 16, minor: 25, micro: 0 };

  it('rejects another major ABI with both versions in the message', () => {
    expect(() => checkAbi({ major: 17, minor: 0, micro: 0 }, '/x/libgpac.so', expected, '26.08-DEV')).toThrow(GpacAbiError);
    expect(() => checkAbi({ major: 15, minor: 3, micro: 0 }, '/x/libgpac.so', expected, '26.08-DEV')).toThrow(
      /ABI 15\.3\.0, but gpac-ts was generated for ABI 16\.25\.0 \(GPAC 26\.08-DEV\)/,
    );
  });

  it('warns once on a minor difference', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    checkAbi({ major: 16, minor: 24, micro: 0 }, '/y/libgpac.so', expected, '26.08-DEV');
    checkAbi({ major: 16, minor: 24, micro: 0 }, '/y/libgpac.so', expected, '26.08-DEV');
    checkAbi({ major: 16, minor: 25, micro: 1 }, '/z/libgpac.so', expected, '26.08-DEV');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![0])).toContain('16.24.0');
    spy.mockRestore();
  });
});

describe('locateGpacPrefix', () => {
  it('uses the library parent when it holds the headers', () => {
    const host = fakeHost({ files: ['/usr/local/lib/libgpac.so', '/usr/local/include/gpac/filters.h'] });
    expect(locateGpacPrefix(host).prefix).toBe('/usr/local');
  });

  it('prefers GPAC_HOME and explains a prefix without headers', () => {
    expect(locateGpacPrefix(fakeHost({ env: { GPAC_HOME: '/g' }, files: ['/g/include/gpac/filters.h'] })).prefix).toBe('/g');
    expect(() => locateGpacPrefix(fakeHost({ env: { GPAC_HOME: '/g' } }))).toThrow(/GPAC_HOME=\/g: \/g\/include\/gpac\/filters.h does not exist/);
  });
});
