// Checks a filter description in GPAC's string form (`dasher:segdur=1:profile=live`) against the filter's
// generated schema before GPAC sees it: GPAC itself only warns about an unknown option or a bad value
// (`gpac -i a.mp4 dasher:segdurr=1 -o x.mpd` exits 0), the CLI refuses them with the option's name.
//
// Splitting follows GPAC's rules (`gpac -h doc`, filter_parse_dyn_args in src/filter_core/filter.c):
// options are separated by ':', `name=value` or a bare boolean / enumeration value; `::` opens an opaque
// option running to the next `::`; a `!` before a boolean negates it. GPAC's own generic options (FID,
// SID, TAG …) and `#Property=value` assignments are not the filter's and are left to GPAC, as is
// everything after `gfopt` (options GPAC does not track).
import { existsSync } from 'node:fs';
import { filterOptionInfo, validateFilterOptions, type FilterMeta } from '../options.js';

export interface FilterArgToken {
  /** Option name as written (may start with '!' or '#'). */
  key: string;
  /** undefined for a bare `:name`. */
  value: string | undefined;
}

export interface ParsedFilterDescription {
  name: string;
  args: FilterArgToken[];
}

/** Options every filter takes, handled by GPAC's filter core rather than the filter (filter.c). */
export const GENERIC_OPTIONS: ReadonlySet<string> = new Set([
  'FID', 'SID', 'N', 'FS', 'RSID', 'FBT', 'FBU', 'DL', 'LT', 'TAG', 'ITAG', 'NCID', 'DBG', 'clone', 'nomux',
  'c', 'ccp', 'gfreg', 'gfloc', 'gfopt', 'gpac', 'src', 'dst', '_GFTMP',
]);

function token(text: string): FilterArgToken {
  const eq = text.indexOf('=');
  return eq < 0 ? { key: text, value: undefined } : { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** Splits `name:opt=v:::opaque=a:b::next=1` into the filter name and its option tokens. */
export function parseFilterDescription(desc: string): ParsedFilterDescription {
  const first = desc.indexOf(':');
  if (first < 0) return { name: desc, args: [] };
  const name = desc.slice(0, first);
  const args: FilterArgToken[] = [];
  let i = first; // always at a separator ':'
  while (i < desc.length) {
    i++;
    if (desc[i] === ':') {
      // Opaque option: taken verbatim up to the next "::", which also separates it from the next option.
      i++;
      const end = desc.indexOf('::', i);
      args.push(token(end < 0 ? desc.slice(i) : desc.slice(i, end)));
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    const end = desc.indexOf(':', i);
    const text = end < 0 ? desc.slice(i) : desc.slice(i, end);
    const prev = args[args.length - 1];
    // "url=http://host/x": a value scheme split off at its ':' — glue the rest back, as GPAC does for URLs.
    if (prev?.value !== undefined && text.startsWith('//') && /^[A-Za-z][\w+.-]*$/.test(prev.value)) prev.value += `:${text}`;
    else if (text !== '') args.push(token(text));
    if (end < 0) break;
    i = end;
  }
  return { name, args };
}

/** The option whose enumeration holds `word` (GPAC's `:pbo` for `:disp=pbo`), if exactly one does. */
function enumOwner(meta: FilterMeta, word: string): string | undefined {
  const owners = Object.entries(meta.options).filter(([, o]) => o.names?.includes(word));
  return owners.length === 1 ? owners[0]![0] : undefined;
}

/**
 * Validates the options of a filter description against generated/schemas. Descriptions that are not a
 * plain filter name (`c=avc`, a `.js` filter, a filter the bindings do not know) are GPAC's to judge.
 * Throws FilterOptionsError naming the filter, the option and what is allowed.
 */
export function checkFilterDescription(desc: string): void {
  const { name, args } = parseFilterDescription(desc);
  if (name.includes('=') || name.includes('/') || name.includes('.')) return;
  const meta = filterOptionInfo(name);
  if (!meta) return;
  const options: Record<string, unknown> = {};
  for (const { key, value } of args) {
    if (key === 'gfopt') break; // what follows is untracked by GPAC too
    // A register's own option wins over the generic one of the same name (fin's src, ffenc's c), as in GPAC.
    const own = Object.prototype.hasOwnProperty.call(meta.options, key);
    if ((!own && GENERIC_OPTIONS.has(key)) || key.startsWith('#') || key === '') continue;
    if (value === undefined) {
      if (key.startsWith('!') && meta.options[key.slice(1)]) {
        options[key.slice(1)] = false;
        continue;
      }
      if (meta.options[key]) {
        options[key] = meta.options[key]!.shape === 'boolean' ? true : '';
        continue;
      }
      const owner = enumOwner(meta, key);
      if (owner) {
        options[owner] = key;
        continue;
      }
      if (existsSync(key)) continue; // an argument file, read by GPAC
    }
    options[key] = value ?? true;
  }
  validateFilterOptions(name, options);
}
