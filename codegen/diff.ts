// Compares two IRs: what a GPAC release added, removed or changed. Used for the per-release summary
// (codegen/README.md) and by `codegen:check` to report drift between the committed IR and an install.
import { declare } from './cparser/index.js';
import type { GpacIR, IRFilter, IRFunction, IROption } from './ir-types.js';

export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: string[]; // "name: old → new"
}

export interface IRDiff {
  from: string;
  to: string;
  functions: SectionDiff;
  constants: SectionDiff;
  structs: SectionDiff;
  filters: SectionDiff;
  options: SectionDiff; // "filter.option"
  properties: SectionDiff;
  valueNames: SectionDiff; // "table:name"
}

function diffBy<T>(a: T[], b: T[], key: (x: T) => string, show: (x: T) => string): SectionDiff {
  const ma = new Map(a.map((x) => [key(x), x]));
  const mb = new Map(b.map((x) => [key(x), x]));
  const out: SectionDiff = { added: [], removed: [], changed: [] };
  for (const [k, x] of mb) {
    const old = ma.get(k);
    if (old === undefined) out.added.push(k);
    else if (show(old) !== show(x)) out.changed.push(`${k}: ${show(old)} → ${show(x)}`);
  }
  for (const k of ma.keys()) if (!mb.has(k)) out.removed.push(k);
  for (const list of [out.added, out.removed, out.changed]) list.sort();
  return out;
}

const fnSignature = (f: IRFunction) =>
  declare({ kind: 'function', returns: f.returns, params: f.params, variadic: f.variadic }, f.name);

function optionFacts(o: IROption): string {
  const parts = [o.type];
  if (o.default !== null) parts.push(`default=${o.default}`);
  if (o.minMaxEnum !== null) parts.push(`range=${o.minMaxEnum}`);
  const flags = Object.entries(o.flags)
    .filter(([, v]) => v)
    .map(([k]) => k);
  if (flags.length) parts.push(flags.join('+'));
  return parts.join(' ');
}

const valueNames = (ir: GpacIR) =>
  Object.entries(ir.valueNames ?? {}).flatMap(([table, names]) =>
    names.map((n) => ({ key: `${table}:${n.name}`, show: `${n.value}${n.alias ? ' (alias)' : ''}` })),
  );

const allOptions = (filters: IRFilter[]) => filters.flatMap((f) => f.options.map((o) => ({ key: `${f.name}.${o.name}`, o })));

export function diffIR(a: GpacIR, b: GpacIR): IRDiff {
  return {
    from: a.gpac.version,
    to: b.gpac.version,
    functions: diffBy(a.functions, b.functions, (f) => f.name, fnSignature),
    constants: diffBy(a.constants, b.constants, (c) => c.name, (c) => String(c.value)),
    structs: diffBy(
      a.structs,
      b.structs,
      (s) => s.name,
      (s) => (s.fields === null ? 'opaque' : s.fields.map((f) => declare(f.type, f.name) + (f.bits !== null ? `:${f.bits}` : '')).join('; ')),
    ),
    filters: diffBy(a.filters, b.filters, (f) => f.name, (f) => f.flags.join('|')),
    options: diffBy(allOptions(a.filters), allOptions(b.filters), (x) => x.key, (x) => optionFacts(x.o)),
    // A few names exist twice, once for PIDs and once for packets (ContentLightLevel, …).
    properties: diffBy(a.properties, b.properties, (p) => (p.flags.packet ? `${p.name} (packet)` : p.name), (p) => `${p.fourcc} ${p.type}`),
    valueNames: diffBy(valueNames(a), valueNames(b), (v) => v.key, (v) => v.show),
  };
}

const SECTIONS = ['functions', 'constants', 'structs', 'filters', 'options', 'properties', 'valueNames'] as const;

export function isEmptyDiff(d: IRDiff): boolean {
  return SECTIONS.every(
    (k) => d[k].added.length + d[k].removed.length + d[k].changed.length === 0,
  );
}

/** A Markdown summary: counts per section, then the names (changed entries capped at `maxList`). */
export function formatDiff(d: IRDiff, maxList = 40): string {
  const lines = [`### GPAC ${d.from} → ${d.to}`, '', '| section | added | removed | changed |', '|---|---:|---:|---:|'];
  const sections = SECTIONS;
  for (const s of sections) lines.push(`| ${s} | ${d[s].added.length} | ${d[s].removed.length} | ${d[s].changed.length} |`);
  for (const s of sections) {
    for (const kind of ['added', 'removed', 'changed'] as const) {
      const list = d[s][kind];
      if (list.length === 0) continue;
      const shown = list.slice(0, maxList).map((x) => `\`${x.replace(/`/g, "'")}\``);
      const more = list.length > maxList ? `, … (+${list.length - maxList} more)` : '';
      lines.push('', `**${s} ${kind}** (${list.length}): ${shown.join(', ')}${more}`);
    }
  }
  return lines.join('\n') + '\n';
}
