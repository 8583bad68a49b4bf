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

/** A machine made of a file list (directories are their parents), an environment and an optional pkg-config answer. */
function fakeHost(opts: { files?: string[]; env?: Record<string, string>; pkg?: Record<string, string>; ldconfig?: string }): DiscoveryHost {
  const files = new Set(opts.files ?? []);
  const isDirectory = (p: string) => [...files].some((f) => f.startsWith(p + '/'));
  return {
    env: opts.env ?? {},
    exists: (p) => files.has(p) || isDirectory(p),
    isDirectory,
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
    // A GPAC_LIB or GPAC_HOME that names nothing usable is not second-guessed (loadLibgpac reports it), and
    // no other library is loaded ahead of time: it would not be used.
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_LIB: '/nope.so' } }))).toBeNull();
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_LIB: '/b/lib' } }))).toBeNull();
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_HOME: '/nope' } }))).toBeNull();
    expect(likelyLibgpac(spawnless({ files, env: { GPAC_HOME: '/ld' } }))).toBeNull(); // /ld/libgpac.so is not in lib/
    expect(likelyLibgpac(spawnless({ files: [], env: {} }))).toBeNull();
  });
});

describe('locateLibgpac', () => {
  it('orders pkg-config (when PKG_CONFIG_PATH points it somewhere), then the loader places', () => {
    const host = fakeHost({
      env: { PKG_CONFIG_PATH: '/c/lib/pkgconfig' },
      files: ['/c/lib/libgpac.so', '/usr/local/lib/libgpac.so'],
      pkg: { '--variable=libdir gpac': '/c/lib' },
    });
    expect(locateLibgpac(host).candidates).toEqual([
      { path: '/c/lib/libgpac.so', source: 'pkg-config' },
      { path: '/usr/local/lib/libgpac.so', source: 'loader' },
    ]);
  });

  it('takes GPAC_LIB, else GPAC_HOME, as the only candidate when set: nothing else is searched', () => {
    const files = ['/a/libgpac.so', '/b/lib/libgpac.so', '/c/lib/libgpac.so', '/usr/local/lib/libgpac.so'];
    const unsearched = (env: Record<string, string>) => ({
      ...fakeHost({ env: { ...env, PKG_CONFIG_PATH: '/c/lib/pkgconfig' }, files }),
      pkgConfig: () => expect.unreachable('pkg-config asked'),
      ldconfigCache: () => expect.unreachable('ldconfig asked'),
    });
    expect(locateLibgpac(unsearched({ GPAC_LIB: '/a/libgpac.so', GPAC_HOME: '/b' }))).toEqual({
      candidates: [{ path: '/a/libgpac.so', source: 'GPAC_LIB' }],
      tried: [],
      explicit: { variable: 'GPAC_LIB', value: '/a/libgpac.so' },
    });
    expect(locateLibgpac(unsearched({ GPAC_HOME: '/b' }))).toEqual({
      candidates: [{ path: '/b/lib/libgpac.so', source: 'GPAC_HOME' }],
      tried: [],
      explicit: { variable: 'GPAC_HOME', value: '/b' },
    });
  });

  it('says why a GPAC_LIB or GPAC_HOME names nothing usable: missing, a directory, no library inside', () => {
    const files = ['/usr/local/lib/libgpac.so', '/g/lib/libgpac.so', '/empty/share/doc.txt', '/notes.txt'];
    const tried = (env: Record<string, string>) => {
      const r = locateLibgpac(fakeHost({ env, files }));
      expect(r.candidates, JSON.stringify(env)).toEqual([]); // /usr/local/lib/libgpac.so is not offered instead
      return r.tried;
    };
    expect(tried({ GPAC_LIB: '/nonexistent/libgpac.so' })).toEqual([{ place: 'GPAC_LIB=/nonexistent/libgpac.so', reason: 'no such file' }]);
    expect(tried({ GPAC_LIB: '/g/lib' })).toEqual([
      { place: 'GPAC_LIB=/g/lib', reason: 'is a directory; GPAC_LIB names the library file itself (here /g/lib/libgpac.so), GPAC_HOME an install prefix' },
    ]);
    expect(tried({ GPAC_LIB: '/empty' })).toEqual([
      { place: 'GPAC_LIB=/empty', reason: 'is a directory; GPAC_LIB names the library file itself (and this directory holds no libgpac.so), GPAC_HOME an install prefix' },
    ]);
    expect(tried({ GPAC_HOME: '/nonexistent' })).toEqual([{ place: 'GPAC_HOME=/nonexistent', reason: 'no such directory' }]);
    expect(tried({ GPAC_HOME: '/empty' })).toEqual([{ place: 'GPAC_HOME=/empty', reason: 'no libgpac.so in /empty/lib, /empty/lib64, /empty/bin/gcc' }]);
    expect(tried({ GPAC_HOME: '/notes.txt' })).toEqual([
      { place: 'GPAC_HOME=/notes.txt', reason: 'is not a directory; GPAC_HOME names an install prefix (or a GPAC build tree), GPAC_LIB the library file' },
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
    const { candidates, tried } = locateLibgpac(fakeHost({ env: {} }));
    expect(candidates).toEqual([]);
    expect(tried.map((t) => t.place)).toEqual(['pkg-config gpac', expect.stringMatching(/^loader paths \(.*\/usr\/local\/lib/)]);
    expect(tried[0]!.reason).toMatch(/not found in the pkg-config search path/);
  });
});

describe('loadLibgpac', () => {
  it('returns the first candidate that binds, after failures', () => {
    const host = fakeHost({
      env: { PKG_CONFIG_PATH: '/p' },
      files: ['/a/lib/libgpac.so', '/usr/local/lib/libgpac.so'],
      pkg: { '--variable=libdir gpac': '/a/lib' },
    });
    const bind = vi.fn((p: string) => {
      if (p === '/a/lib/libgpac.so') throw new Error('/a/lib/libgpac.so: wrong ELF class: ELFCLASS32');
      return info;
    });
    expect(loadLibgpac(bind, host)).toEqual({ path: '/usr/local/lib/libgpac.so', source: 'loader', ...info });
    expect(bind.mock.calls).toEqual([['/a/lib/libgpac.so'], ['/usr/local/lib/libgpac.so']]);
  });

  it('gives one error listing every place tried and what to do', () => {
    const host = fakeHost({ env: { PKG_CONFIG_PATH: '/p' }, files: ['/usr/local/lib/libgpac.so'] });
    let err: unknown;
    try {
      loadLibgpac(() => {
        throw new Error('/usr/local/lib/libgpac.so: undefined symbol: gf_fs_new');
      }, host);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GpacNotFoundError);
    expect((err as GpacNotFoundError).explicit).toBeNull();
    const msg = (err as Error).message;
    expect(msg).toContain('/usr/local/lib/libgpac.so (from loader): /usr/local/lib/libgpac.so: undefined symbol: gf_fs_new');
    expect(msg).toContain('pkg-config gpac: Package gpac was not found');
    expect(msg).toMatch(/Possible solutions:[\s\S]*GPAC_LIB=[\s\S]*GPAC_HOME=/);
  });

  // An explicit variable is the user pointing at one GPAC: another one would be the wrong GPAC, silently.
  const explicitFailure = (env: Record<string, string>, files: string[], bind: (p: string) => typeof info = () => info) => {
    const fallback = vi.fn(bind);
    let err: unknown;
    try {
      loadLibgpac(fallback, fakeHost({ env, files: [...files, '/usr/local/lib/libgpac.so'] }));
    } catch (e) {
      err = e;
    }
    expect(err, JSON.stringify(env)).toBeInstanceOf(GpacNotFoundError);
    expect(fallback.mock.calls.map((c) => c[0])).not.toContain('/usr/local/lib/libgpac.so');
    return err as GpacNotFoundError;
  };
  const notALibrary = (p: string): never => {
    throw new Error(`dlopen failed: ${p}: invalid ELF header`);
  };

  it('fails on a GPAC_LIB that names a missing file, a directory, or a file that is not a library, saying which and why', () => {
    const missing = explicitFailure({ GPAC_LIB: '/nonexistent/libgpac.so' }, []);
    expect(missing.explicit).toEqual({ variable: 'GPAC_LIB', value: '/nonexistent/libgpac.so' });
    expect(missing.message.split('\n').slice(0, 2)).toEqual([
      'gpac-ts could not load libgpac: GPAC_LIB=/nonexistent/libgpac.so is not usable (nothing else is tried when it is set).',
      '  - GPAC_LIB=/nonexistent/libgpac.so: no such file',
    ]);
    expect(missing.message).toMatch(/Set GPAC_LIB to the path of libgpac\.so itself[\s\S]*Or unset GPAC_LIB to let gpac-ts search/);
    expect(missing.message).not.toContain('loader paths');
    expect(explicitFailure({ GPAC_LIB: '/opt/gpac' }, ['/opt/gpac/README']).message).toContain(
      '  - GPAC_LIB=/opt/gpac: is a directory; GPAC_LIB names the library file itself (and this directory holds no libgpac.so)',
    );
    const text = explicitFailure({ GPAC_LIB: '/opt/notes.txt' }, ['/opt/notes.txt'], notALibrary);
    expect(text.message).toContain('  - GPAC_LIB=/opt/notes.txt: cannot be loaded as libgpac: dlopen failed: /opt/notes.txt: invalid ELF header');
  });

  it('fails on a GPAC_HOME that names a missing directory, one without libgpac, a file, or a prefix whose library does not load', () => {
    const missing = explicitFailure({ GPAC_HOME: '/nonexistent' }, []);
    expect(missing.explicit).toEqual({ variable: 'GPAC_HOME', value: '/nonexistent' });
    expect(missing.message.split('\n').slice(0, 2)).toEqual([
      'gpac-ts could not load libgpac: GPAC_HOME=/nonexistent is not usable (nothing else is tried when it is set).',
      '  - GPAC_HOME=/nonexistent: no such directory',
    ]);
    expect(missing.message).toMatch(/Set GPAC_HOME to GPAC's install prefix[\s\S]*Or unset GPAC_HOME/);
    expect(explicitFailure({ GPAC_HOME: '/opt/g' }, ['/opt/g/include/gpac/filters.h']).message).toContain(
      '  - GPAC_HOME=/opt/g: no libgpac.so in /opt/g/lib, /opt/g/lib64, /opt/g/bin/gcc',
    );
    expect(explicitFailure({ GPAC_HOME: '/opt/g.tar' }, ['/opt/g.tar']).message).toContain('  - GPAC_HOME=/opt/g.tar: is not a directory');
    const broken = explicitFailure({ GPAC_HOME: '/opt/g' }, ['/opt/g/lib/libgpac.so'], notALibrary);
    expect(broken.message).toContain(
      '  - GPAC_HOME=/opt/g: /opt/g/lib/libgpac.so cannot be loaded as libgpac: dlopen failed: /opt/g/lib/libgpac.so: invalid ELF header',
    );
  });

  it('binds the library GPAC_LIB or GPAC_HOME names', () => {
    const files = ['/a/libgpac.so.16', '/h/bin/gcc/libgpac.so', '/usr/local/lib/libgpac.so'];
    expect(loadLibgpac(() => info, fakeHost({ env: { GPAC_LIB: '/a/libgpac.so.16' }, files }))).toEqual({ path: '/a/libgpac.so.16', source: 'GPAC_LIB', ...info });
    expect(loadLibgpac(() => info, fakeHost({ env: { GPAC_HOME: '/h' }, files }))).toEqual({ path: '/h/bin/gcc/libgpac.so', source: 'GPAC_HOME', ...info });
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
    // An explicit GPAC_HOME without headers is an error, even with another GPAC's headers in /usr/local.
    const other = ['/usr/local/lib/libgpac.so', '/usr/local/include/gpac/filters.h'];
    expect(() => locateGpacPrefix(fakeHost({ env: { GPAC_HOME: '/g' }, files: other }))).toThrow(
      /could not find GPAC's headers: GPAC_HOME=\/g is not usable[^\n]*\n  - GPAC_HOME=\/g: \/g\/include\/gpac\/filters.h does not exist/,
    );
  });
});
