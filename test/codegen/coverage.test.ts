// The libgpac.py → gpac-ts coverage table (codegen/coverage.ts): the committed docs/libgpac-py-coverage.md
// is what the code gives today, known names map as documented, and the mapping rules (camelCase, the
// overrides file and its checks) hold on small inputs. The regeneration needs libgpac.py: it skips,
// saying why, when none is found, and fails instead under REQUIRE_GPAC=1.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { readPythonApi, type PyApiMember } from '../../codegen/cparser/libgpac-py.js';
import {
  buildCoverage,
  camelCase,
  COVERAGE_DOC,
  CoverageError,
  generateCoverage,
  locateLibgpacPy,
  pySource,
  readOverrides,
  readTsApi,
  ROOT,
  type Row,
  type TsApi,
} from '../../codegen/coverage.js';
import { requireGpac } from '../helpers/gpac.js';

describe('readPythonApi', () => {
  const py = [
    'def e2s(err):', // undocumented: not public
    '    pass',
    '## doc',
    'def set_logs(logs):',
    '    pass',
    '##\\cond private',
    '## doc',
    'def hidden_fn():',
    '    pass',
    '##\\endcond',
    '## a session',
    'class FilterSession:',
    '    ## doc',
    '    def __init__(self):',
    '        if 0:',
    '            ##number of filters',
    '            #\\hideinitializer',
    '            self.nb_filters=0',
    '        self.not_documented = 1',
    '    ## doc',
    '    def load_src(self, url):',
    '        ## doc of a nested function: not a member',
    '        def inner():',
    '            pass',
    '    ## \\cond private',
    '    ## doc',
    '    def _to_filter(self, f):',
    '        pass',
    '    ## doc',
    '    def rem_task(self, task):',
    '        pass',
    '    ## \\endcond',
    '## an event',
    'class FilterEvent(Union):',
    '    ## \\cond private',
    '    _fields_ = [',
    '        ("base", FEVT_Base),',
    '        ("play", FEVT_Play)',
    '    ]',
    '    ## \\endcond',
    '## a struct',
    'class Fraction(Structure):',
    '    ## \\cond private',
    '    _fields_ = [ ("num", c_int), ("den", c_uint)]',
    '    ## \\endcond',
  ].join('\n');

  it('keeps documented public names only, with Union fields as attributes and no Structure fields', () => {
    const names = readPythonApi(py).map((m) => `${m.kind}:${m.owner ? `${m.owner}.` : ''}${m.name}`);
    expect(names).toEqual([
      'function:set_logs',
      'class:FilterSession',
      'attribute:FilterSession.nb_filters',
      'method:FilterSession.load_src',
      'class:FilterEvent',
      'attribute:FilterEvent.base',
      'attribute:FilterEvent.play',
      'class:Fraction',
    ]);
    expect(readPythonApi(py).find((m) => m.name === 'FilterEvent')?.bases).toEqual(['Union']);
  });
});

describe('buildCoverage', () => {
  const member = (owner: string | null, name: string, kind: PyApiMember['kind'] = owner ? 'method' : 'function'): PyApiMember => ({ owner, name, kind, line: 1 });
  const py: PyApiMember[] = [
    member(null, 'e2s'),
    member(null, 'set_logs'),
    member(null, 'sleep'),
    member(null, 'FilterSession', 'class'),
    member('FilterSession', 'load_src'),
    member('FilterSession', 'delete'),
    member('FilterSession', 'lock'),
    member(null, 'FilterStats', 'class'),
    member(null, 'FEVT_Play', 'class'),
  ];
  const api: TsApi = new Map([
    ['errorToString', new Set<string>()],
    ['setLogs', new Set<string>()],
    ['FilterSession', new Set(['loadSrc', 'close'])],
    ['FilterStatistics', new Set<string>()],
    ['GF_FEVT_Play', new Set(['startRange'])],
  ]);
  const overrides = {
    classes: { FilterStats: { ts: 'FilterStatistics', reason: 'named after what getStatistics returns' } },
    members: {
      e2s: { ts: 'errorToString', reason: 'spelled out' },
      'FilterSession.delete': { ts: 'FilterSession.close', reason: 'JS convention' },
    },
  };
  const byName = (rows: Row[]) => new Map(rows.map((r) => [r.py, r]));

  it('matches camelCased names, applies overrides and reports the rest missing', () => {
    const rows = byName(buildCoverage(py, api, overrides));
    expect(rows.get('set_logs')).toMatchObject({ status: 'same name', ts: ['setLogs'] });
    expect(rows.get('FilterSession.load_src')).toMatchObject({ status: 'same name', ts: ['FilterSession.loadSrc'] });
    expect(rows.get('e2s')).toMatchObject({ status: 'renamed', ts: ['errorToString'], note: 'spelled out' });
    expect(rows.get('FilterSession.delete')).toMatchObject({ status: 'renamed', ts: ['FilterSession.close'] });
    expect(rows.get('FilterStats')).toMatchObject({ status: 'renamed', ts: ['FilterStatistics'] });
    expect(rows.get('FEVT_Play')).toMatchObject({ status: 'C name', ts: ['GF_FEVT_Play'] });
    expect(rows.get('FilterSession.lock')).toMatchObject({ status: 'missing', ts: [] });
    expect(rows.get('sleep')).toMatchObject({ status: 'missing', ts: [] });
  });

  it('refuses overrides that no longer apply', () => {
    const bad = (members: Record<string, { ts?: string | null; reason: string }>) => () => buildCoverage(py, api, { classes: {}, members });
    expect(bad({ e2s: { ts: 'e2sString', reason: 'x' } })).toThrow(/names e2sString, which gpac-ts does not export/);
    expect(bad({ set_logs: { ts: 'setLogs', reason: 'x' } })).toThrow(/is what the plain rule finds: remove the override/);
    expect(bad({ 'FilterSession.load_src': { ts: null, reason: 'x' } })).toThrow(/listed as missing \(x\), but gpac-ts has FilterSession.loadSrc/);
    expect(bad({ 'FilterSession.nope': { ts: 'FilterSession.close', reason: 'x' } })).toThrow(/is not a public member of libgpac.py/);
    expect(bad({ e2s: { ts: 'errorToString', reason: '' } })).toThrow(CoverageError);
  });

  it('camelCases snake_case names only', () => {
    expect([camelCase('load_src'), camelCase('new_pck_ref'), camelCase('ID'), camelCase('FilterSession')]).toEqual(['loadSrc', 'newPckRef', 'ID', 'FilterSession']);
  });
});

describe('codegen/coverage-overrides.json against the gpac-ts API', () => {
  let api: TsApi;
  beforeAll(() => {
    api = readTsApi(ROOT);
  }, 120_000);

  it('names only members gpac-ts exports, each with a reason', () => {
    const o = readOverrides(ROOT);
    const bad: string[] = [];
    for (const [k, v] of [...Object.entries(o.classes), ...Object.entries(o.members)]) {
      if (!v.reason) bad.push(`${k}: no reason`);
      for (const t of v.ts == null ? [] : Array.isArray(v.ts) ? v.ts : [v.ts]) {
        const [cls, m] = t.split('.') as [string, string | undefined];
        if (!(m === undefined ? api.has(cls) : api.get(cls)?.has(m))) bad.push(`${k} → ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('reads class members as the API offers them (getters, methods, inherited), not internals', () => {
    expect([...['loadSrc', 'nbFilters', 'lastTask', 'onFilterNew', 'close'].filter((m) => !api.get('FilterSession')?.has(m))]).toEqual([]);
    expect(api.get('Filter')?.has('native')).toBe(false); // @internal
    expect(api.get('FilterPid')?.has('getPacket')).toBe(true);
  });
});

describe('locateLibgpacPy', () => {
  it('takes an explicit variable as the only place, and says when it names no libgpac.py', () => {
    const self = join(ROOT, 'test', 'codegen', 'coverage.test.ts'); // any existing file stands for libgpac.py
    expect(locateLibgpacPy({ LIBGPAC_PY: self, GPAC_HOME: '/nonexistent' })).toEqual({ path: self, tried: [self] });
    expect(locateLibgpacPy({ GPAC_HOME: '/nonexistent' })).toEqual({
      path: null,
      tried: ['/nonexistent/share/gpac/python/libgpac/libgpac.py', '/nonexistent/share/python/libgpac/libgpac.py'],
      error: 'GPAC_HOME=/nonexistent names no libgpac.py',
    });
    expect(locateLibgpacPy({ GPAC_SRC: '/nonexistent' }).error).toBe('GPAC_SRC=/nonexistent names no libgpac.py');
  });
});

const loc = locateLibgpacPy();
const where = `looked at ${loc.tried.join(', ')}; set LIBGPAC_PY to the file, GPAC_SRC to a GPAC source tree or GPAC_HOME to a GPAC install prefix`;

function itPy(name: string, fn: (ctx: TestContext) => void): void {
  if (loc.path) it(name, fn, 120_000);
  else if (requireGpac)
    it(name, () => {
      throw new Error(`REQUIRE_GPAC=1 but ${loc.error ?? 'libgpac.py was not found'} (${where})`);
    });
  else {
    console.warn(`[needs libgpac.py] skipping the coverage regeneration: ${loc.error ?? 'libgpac.py not found'} (${where}).`);
    it.skip(`[needs libgpac.py] ${name}`, () => {});
  }
}

describe('docs/libgpac-py-coverage.md', () => {
  let generated: ReturnType<typeof generateCoverage> | undefined;
  let pyText = '';
  const gen = () => {
    if (!generated) {
      pyText = readFileSync(loc.path as string, 'utf8');
      generated = generateCoverage(pyText, ROOT);
    }
    return generated;
  };

  itPy('is what `npm run coverage:docs` writes today', (ctx) => {
    const { doc } = gen();
    const committed = readFileSync(join(ROOT, COVERAGE_DOC), 'utf8');
    const sha = /libgpac\.py sha256 `([0-9a-f]{12})…`/.exec(committed)?.[1];
    if (sha !== pySource(pyText).sha) {
      // Another GPAC's libgpac.py gives another table: not a stale one. Say so rather than fail.
      ctx.skip(`${COVERAGE_DOC} describes libgpac.py ${sha}, ${loc.path} is ${pySource(pyText).sha}`);
    }
    expect(doc, `${COVERAGE_DOC} is stale: run \`npm run coverage:docs\``).toBe(committed);
  });

  itPy('maps the names README and plugins/README.md document', () => {
    const rows = new Map(gen().rows.map((r) => [r.py, r]));
    const ts = (py: string) => rows.get(py)?.ts;
    expect(ts('e2s')).toEqual(['errorToString']);
    expect(ts('FilterSession.load_src')).toEqual(['FilterSession.loadSrc']);
    expect(ts('FilterSession.nb_filters')).toEqual(['FilterSession.nbFilters']);
    expect(ts('FilterSession.on_filter_new')).toEqual(['FilterSession.onFilterNew']);
    expect(ts('FilterSession.on_filter_del')).toEqual(['FilterSession.onFilterDel']);
    expect(ts('Filter.ID')).toEqual(['Filter.id']);
    expect(ts('FilterPid.new_pck_ref')).toEqual(['FilterPid.newPckRef']);
    expect(ts('FilterPacket.byte_offset')).toEqual(['FilterPacket.byteOffset']);
    expect(ts('FilterEvent.buffer_req')).toEqual(['FilterEvent.bufferReq']);
    expect(ts('DASHCustomAlgorithm')).toEqual(['DASHCustomAlgorithm']);
    expect(ts('DASHCustomAlgorithm.on_rate_adaptation')).toEqual(['DASHCustomAlgorithm.onRateAdaptation']);
    expect(ts('DASHCustomAlgorithm.on_download_monitor')).toEqual(['DASHCustomAlgorithm.onDownloadMonitor']);
    expect(ts('DASHQualityInfo.ID')).toEqual(['DASHQualityInfo.id']);
    expect(ts('DASHQualityInfo.avg_duration')).toEqual(['DASHQualityInfo.avgDuration']);
    expect(ts('DASHGroup.SRD')).toEqual(['DASHGroup.srd']);
    expect(ts('DASHGroupDownloadStatistics.time_since_start')).toEqual(['DASHGroupDownloadStatistics.timeSinceStart']);
    expect(ts('Filter.bind')).toEqual(['Filter.bind']);
    expect(ts('FileIO.url')).toEqual(['FileIO.url']);
    expect(ts('HTTPOutRequest.headers_out')).toEqual(['HTTPOutRequest.headersOut']);
    expect(ts('HTTPOutRequest.on_request')).toEqual(['HTTPOutRequest.onRequest']);
  });
});

describe('native/README.md', () => {
  // The file table is the map of the addon: a file added to native/ without a row there is a file nobody
  // can find. A row names files as `name.cc/.h`, `name.h` or `dir/name.cc`.
  it('lists every file of native/src and native/thread_id in its file table', () => {
    const readme = readFileSync(join(ROOT, 'native', 'README.md'), 'utf8');
    const listed = new Set<string>();
    for (const m of readme.matchAll(/`([\w/]+)\.(cc\/\.h|cc|h)`/g)) {
      const [base, ext] = [m[1] as string, m[2] as string];
      for (const e of ext === 'cc/.h' ? ['cc', 'h'] : [ext]) listed.add(`${base}.${e}`);
    }
    // Recursive, so that files moved into sub-folders stay checked (rows then name them `dir/name.cc`).
    const list = (dir: string, prefix: string): string[] =>
      readdirSync(join(ROOT, 'native', dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? list(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
      );
    const files = [...list('src', ''), ...list('thread_id', 'thread_id/')].filter((f) => /\.(cc|h)$/.test(f));
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
  });
});

describe('README.md', () => {
  it("gives the coverage table's counts in its libgpac.py section", () => {
    const doc = readFileSync(join(ROOT, COVERAGE_DOC), 'utf8');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const counts = /\*\*(\d+) members: (\d+) covered \(.*\), (\d+) missing\.\*\*/.exec(doc);
    expect(counts, `${COVERAGE_DOC} has no counts line`).not.toBeNull();
    const [, total, covered, missing] = counts as RegExpExecArray;
    const section = readme.slice(readme.indexOf('## libgpac.py → gpac-ts'), readme.indexOf('\n## ', readme.indexOf('## libgpac.py → gpac-ts') + 3));
    expect(section, `README's libgpac.py section must give ${COVERAGE_DOC}'s counts (after \`npm run coverage:docs\`)`).toContain(
      `**${total} members, ${covered} covered, ${missing} missing**`,
    );
    expect(section).toContain('(docs/libgpac-py-coverage.md)');
  });
});
