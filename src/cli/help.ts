// `gpac-ts -h [filters | NAME…]`. Facts (filter names, option types, defaults, ranges, enumerations,
// flags) come from the committed bindings (generated/), so help works without libgpac; GPAC's prose is
// added when the installed GPAC can give it (src/cli/gpac-docs.ts).
import { GPAC_VERSION } from '../../generated/abi.js';
import { FILTER_NAMES } from '../../generated/filter-options.js';
import { closest, filterOptionInfo, type OptionMeta } from '../options.js';
import { SCHEDULERS, UsageError, type HelpLevel } from './args.js';
import type { FilterDocs } from './gpac-docs.js';

export const USAGE = `Usage: gpac-ts [options] FILTER [LINK] FILTER [...]
Runs a GPAC filter session through gpac-ts (libgpac on its own threads), with gpac's command-line syntax.

FILTER: a filter declaration, loaded in command-line order:
  -i URL, -src URL      a source (src=URL also works); options may follow the URL: -i in.mp4:opt=val
  -o URL, -dst URL      a destination (dst=URL also works)
  NAME[:opt=val…]       any other filter, e.g. dasher:segdur=2:profile=live or inspect:deep
                        options are checked against the filter's schema before GPAC sees them
LINK: a link directive for the next filter (see gpac -h doc, "Quick links"):
  @[N][#frag]           link to the Nth previous filter (0: the one just before), e.g. @1, @#video
  @@N[#frag]            link to the Nth filter from the first one (0-based)
  :SID=ID / :FID=ID     GPAC's own link options work as well, e.g. -i a.mp4:FID=A -o b.mp4:SID=A#PID=1

Options (gpac's spelling; -opt=value or -opt value):
  -threads N            extra GPAC threads (0: none, -1: one per core)
  -sched NAME           scheduler: ${Object.keys(SCHEDULERS).join(', ')}
  -blacklist LIST       filters not to use (comma-separated; a leading '-' makes it a whitelist)
  -no-reg, -no-probe, -no-reassign, -no-graph-cache, -no-reservoir, -no-argchk, -full-link, -cl
                        session flags, as in gpac -hx
  -runfor MS            stop after MS milliseconds (flushing what is pending)
  --name=value          global filter option, passed to libgpac (e.g. --segdur=2)
  -logs SPEC            GPAC logs, e.g. -logs=all@warning:filter@info (see gpac -h log)
  -graph                print the filter graph at the end
  -stats                print filter statistics at the end
  -noprog               no status line while running
  -quiet                no status line, no summary, GPAC messages off
  -debug                stacks on errors
  -version              gpac-ts, libgpac and bindings versions
  -h, -help             this text
  -h filters            the filters the bindings know
  -h NAME…              options of filter NAME (-ha: also advanced, -hx: also expert, -hh: all)

While running, a status line on stderr shows the elapsed time, the number of filters, each source's
progress and the bytes written. Ctrl-C stops the session (flushing what is pending); a second Ctrl-C
exits at once.
Exit codes: 0 done, 1 error (command line, options, session), 2 libgpac or the addon not usable,
130 interrupted.`;

/** GPAC's short type names (gf_props_get_type_name), as `gpac -h NAME` prints them. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  GF_PROP_SINT: 'sint',
  GF_PROP_UINT: 'uint',
  GF_PROP_LSINT: 'lsint',
  GF_PROP_LUINT: 'luint',
  GF_PROP_4CC: '4cc',
  GF_PROP_FRACTION: 'frac',
  GF_PROP_FRACTION64: 'lfrac',
  GF_PROP_BOOL: 'bool',
  GF_PROP_FLOAT: 'flt',
  GF_PROP_DOUBLE: 'dbl',
  GF_PROP_NAME: 'cstr',
  GF_PROP_STRING: 'str',
  GF_PROP_DATA: 'mem',
  GF_PROP_CONST_DATA: 'cmem',
  GF_PROP_POINTER: 'ptr',
  GF_PROP_VEC2I: 'v2di',
  GF_PROP_VEC2: 'v2d',
  GF_PROP_VEC3I: 'v3di',
  GF_PROP_VEC4I: 'v4di',
  GF_PROP_STRING_LIST: 'strl',
  GF_PROP_UINT_LIST: 'uintl',
  GF_PROP_4CC_LIST: '4ccl',
  GF_PROP_SINT_LIST: 'sintl',
  GF_PROP_VEC2I_LIST: 'v2il',
  GF_PROP_PIXFMT: 'pfmt',
  GF_PROP_PCMFMT: 'afmt',
  GF_PROP_CICP_COL_PRIM: 'cprm',
  GF_PROP_CICP_COL_TFC: 'ctfc',
  GF_PROP_CICP_COL_MX: 'cmxc',
  GF_PROP_CICP_LAYOUT: 'alay',
};

export function typeName(meta: OptionMeta): string {
  if (meta.type === 'GF_PROP_UINT' && meta.names) return 'enum';
  return TYPE_NAMES[meta.type] ?? meta.type.replace(/^GF_PROP_/, '').toLowerCase();
}

/** The visibility level of an option: hidden > expert > advanced > basic. */
function levelOf(meta: OptionMeta): HelpLevel {
  if (meta.flags.includes('hidden')) return 'all';
  if (meta.flags.includes('expert')) return 'expert';
  if (meta.flags.includes('advanced')) return 'advanced';
  return 'basic';
}

const LEVEL_RANK: Readonly<Record<HelpLevel, number>> = { basic: 0, advanced: 1, expert: 2, all: 3 };
const LEVEL_FLAG: Readonly<Record<HelpLevel, string>> = { basic: '-h', advanced: '-ha', expert: '-hx', all: '-hh' };

/** `(enum, default: auto, range: 0..100, updatable)` */
function facts(meta: OptionMeta): string {
  const parts = [typeName(meta)];
  if (meta.default !== null) parts.push(`default: ${meta.default}`);
  if (meta.min !== null || meta.max !== null) parts.push(`range: ${meta.min ?? '-I'}..${meta.max ?? '+I'}`);
  for (const f of ['advanced', 'expert', 'hidden', 'updatable', 'updateSync', 'meta']) if (meta.flags.includes(f)) parts.push(f);
  return `(${parts.join(', ')})`;
}

export function filterHelp(name: string, level: HelpLevel, docs: FilterDocs | { unavailable: string }): string {
  const meta = filterOptionInfo(name);
  if (!meta) {
    const guess = closest(name, FILTER_NAMES);
    throw new UsageError(`no filter named ${JSON.stringify(name)} in the bindings${guess ? ` (did you mean ${guess}?)` : ''}; gpac-ts -h filters lists them`);
  }
  const prose = 'unavailable' in docs ? undefined : docs;
  const out: string[] = [prose?.description ? `${name}: ${prose.description}` : name, ''];
  const names = Object.keys(meta.options).sort();
  const shown = names.filter((o) => LEVEL_RANK[levelOf(meta.options[o]!)] <= LEVEL_RANK[level]);
  const where = prose ? `descriptions from \`${prose.source}\`` : `no descriptions: ${(docs as { unavailable: string }).unavailable}`;
  out.push(`Options (facts from the bindings for GPAC ${GPAC_VERSION}; ${where}):`);
  if (meta.anyOption) out.push('  (also takes options of the library it wraps, passed through unchecked)');
  for (const o of shown) {
    const m = meta.options[o]!;
    const doc = prose?.options.get(o);
    out.push(`${o} ${facts(m)}${doc?.text ? `: ${doc.text}` : ''}`);
    if (m.names) {
      if (m.type === 'GF_PROP_UINT' || doc?.values.size) {
        for (const v of m.names) {
          const vd = doc?.values.get(v);
          out.push(`\t* ${v}${vd ? `: ${vd}` : ''}`);
        }
      } else {
        out.push(`\tvalues: ${m.names.join(', ')}`);
      }
    }
  }
  if (shown.length === 0) out.push('  (no options at this level)');
  const more = new Map<HelpLevel, number>();
  for (const o of names) {
    const l = levelOf(meta.options[o]!);
    if (LEVEL_RANK[l] > LEVEL_RANK[level]) more.set(l, (more.get(l) ?? 0) + 1);
  }
  if (more.size > 0) {
    const words = [...more].map(([l, n]) => `${n} ${l === 'all' ? 'hidden' : l} (${LEVEL_FLAG[l]})`);
    out.push('', `Not shown: ${words.join(', ')}.`);
  }
  return out.join('\n');
}

export function filtersHelp(installed: { source: string; filters: Map<string, string> } | { unavailable: string }): string {
  const list = 'unavailable' in installed ? undefined : installed.filters;
  const out = [
    `${FILTER_NAMES.length} filters known to the bindings (GPAC ${GPAC_VERSION})` +
      (list ? `; descriptions from \`${(installed as { source: string }).source}\`:` : `; no descriptions (${(installed as { unavailable: string }).unavailable}):`),
  ];
  let missing = 0;
  for (const name of FILTER_NAMES) {
    const desc = list?.get(name);
    if (list && desc === undefined) missing++;
    out.push(list ? `${name}: ${desc ?? '(not in the installed GPAC build)'}` : name);
  }
  if (list) {
    const extra = [...list.keys()].filter((n) => !(FILTER_NAMES as readonly string[]).includes(n));
    if (extra.length) out.push('', `In the installed GPAC but not in the bindings (untyped, unchecked): ${extra.join(', ')}`);
    if (missing) out.push('', `${missing} filter(s) of the bindings are not in the installed GPAC build.`);
  }
  out.push('', 'gpac-ts -h NAME shows the options of filter NAME.');
  return out.join('\n');
}
