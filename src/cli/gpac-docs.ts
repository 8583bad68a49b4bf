// GPAC's own prose about a filter and its options, for `gpac-ts -h NAME`. The committed bindings carry
// facts only (GPAC's descriptions stay out of generated/), so the prose comes from the installed GPAC:
// its `gpac -hh NAME` output, read from the register without instantiating the filter (loading a filter
// to enumerate its arguments would open devices, sockets or windows for some of them).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface OptionDoc {
  text: string;
  /** Descriptions of enumeration values, by value name. */
  values: Map<string, string>;
}

export interface FilterDocs {
  /** The command that produced them, to say where the prose comes from. */
  source: string;
  description: string | null;
  options: Map<string, OptionDoc>;
}

/** The `gpac` binary: GPAC_HOME/bin (install prefix or build tree), then PATH. */
export function findGpacCli(env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs: string[] = [];
  if (env.GPAC_HOME) dirs.push(join(env.GPAC_HOME, 'bin'), join(env.GPAC_HOME, 'bin', 'gcc'));
  for (const d of (env.PATH ?? '').split(delimiter)) if (d) dirs.push(d);
  for (const d of dirs) {
    const p = join(d, 'gpac');
    if (existsSync(p)) return p;
  }
  return null;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const OPTION_LINE = /^([A-Za-z_][\w.-]*)(?:,\S+)?\s+\(([^)]*)\):\s*(.*)$/;
const VALUE_LINE = /^\t\* ([^:]+): ?(.*)$/;

/** Parses `gpac -hh NAME` output (ANSI colours removed). Exported for tests. */
export function parseFilterHelp(text: string, source: string): FilterDocs {
  const docs: FilterDocs = { source, description: null, options: new Map() };
  let current: OptionDoc | undefined;
  for (const raw of text.replace(ANSI, '').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const d = /^Description: (.*)$/.exec(line);
    if (d && docs.description === null) {
      docs.description = d[1]!;
      continue;
    }
    const o = OPTION_LINE.exec(line);
    if (o) {
      current = { text: o[3]!, values: new Map() };
      docs.options.set(o[1]!, current);
      continue;
    }
    const v = current && VALUE_LINE.exec(line);
    if (v && current) {
      current.values.set(v[1]!, v[2]!);
      continue;
    }
    if (line === '' || !line.startsWith('\t')) current = undefined;
  }
  return docs;
}

/** GPAC's descriptions of `filter`, or a reason why there are none. */
export function readFilterDocs(filter: string, bin: string | null = findGpacCli()): FilterDocs | { unavailable: string } {
  if (!bin) return { unavailable: 'no gpac binary on PATH or in GPAC_HOME/bin' };
  try {
    const out = execFileSync(bin, ['-hh', filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000, maxBuffer: 16 << 20 });
    return parseFilterHelp(out, `${bin} -hh ${filter}`);
  } catch (err) {
    const e = err as { status?: number; message?: string };
    return { unavailable: `\`${bin} -hh ${filter}\` failed (${e.status !== undefined ? `exit ${e.status}` : e.message})` };
  }
}

/** `gpac -h filters`: the filters of the installed GPAC with their one-line descriptions. */
export function readFilterList(bin: string | null = findGpacCli()): { source: string; filters: Map<string, string> } | { unavailable: string } {
  if (!bin) return { unavailable: 'no gpac binary on PATH or in GPAC_HOME/bin' };
  try {
    const out = execFileSync(bin, ['-h', 'filters'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000, maxBuffer: 16 << 20 });
    const filters = new Map<string, string>();
    for (const line of out.replace(ANSI, '').split('\n')) {
      const m = /^([A-Za-z0-9_]+): (.*)$/.exec(line.trimEnd());
      if (m) filters.set(m[1]!, m[2]!);
    }
    return { source: `${bin} -h filters`, filters };
  } catch (err) {
    const e = err as { status?: number; message?: string };
    return { unavailable: `\`${bin} -h filters\` failed (${e.status !== undefined ? `exit ${e.status}` : e.message})` };
  }
}
