// Reads the constants GPAC's Python binding (libgpac.py) hard-codes, to check them against the headers:
// libgpac.py writes its values by hand, and some have drifted from the C library (design.md §6).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IRConstant } from './ir-types.js';

export interface PyConstant {
  name: string;
  value: number | null; // null: an expression this reader does not evaluate (reported, never guessed)
  line: number;
  source: string;
}

/** Where an install keeps libgpac.py. */
export function libgpacPyPath(prefix: string): string | null {
  const p = join(prefix, 'share', 'gpac', 'python', 'libgpac', 'libgpac.py');
  return existsSync(p) ? p : null;
}

/** Module-level `NAME = expr` assignments whose name looks like a C constant (GF_…). */
export function readPyConstants(text: string): PyConstant[] {
  const out: PyConstant[] = [];
  const known = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const m = /^(GF_[A-Z0-9_]+)\s*=\s*([^#]+?)\s*(#.*)?$/.exec(raw);
    if (!m) return;
    const value = evaluate(m[2]!, known);
    if (value !== null) known.set(m[1]!, value);
    out.push({ name: m[1]!, value, line: i + 1, source: m[2]! });
  });
  return out;
}

/** Integers, names defined earlier, parentheses, unary -, and the binary operators | & + - << >>. */
function evaluate(expr: string, known: Map<string, number>): number | null {
  const tokens = expr.match(/0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|<<|>>|[()|&+\-]/g);
  if (!tokens || tokens.join('') !== expr.replace(/\s+/g, '')) return null;
  let pos = 0;
  const prec: Record<string, number> = { '|': 1, '&': 2, '<<': 3, '>>': 3, '+': 4, '-': 4 };
  const primary = (): bigint | null => {
    const t = tokens[pos++];
    if (t === undefined) return null;
    if (t === '(') {
      const v = binary(0);
      return tokens[pos++] === ')' ? v : null;
    }
    if (t === '-') {
      const v = primary();
      return v === null ? null : -v;
    }
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return BigInt(t);
    const k = known.get(t);
    return k === undefined ? null : BigInt(k);
  };
  const binary = (min: number): bigint | null => {
    let left = primary();
    for (;;) {
      const op = tokens[pos];
      if (left === null || op === undefined || prec[op] === undefined || prec[op]! < min) return left;
      pos++;
      const right = binary(prec[op]! + 1);
      if (right === null) return null;
      left = op === '|' ? left | right : op === '&' ? left & right : op === '+' ? left + right : op === '-' ? left - right : op === '<<' ? left << right : left >> right;
    }
  };
  const v = binary(0);
  return v === null || pos !== tokens.length ? null : Number(v);
}

export interface PyComparison {
  missing: PyConstant[]; // in libgpac.py, not in the headers
  disagree: { py: PyConstant; header: IRConstant }[];
  unevaluated: PyConstant[];
  agree: number;
}

/** libgpac.py names for header constants spelled differently in C. */
const HEADER_NAME: Record<string, string> = { GF_ABI_MAJOR: 'GPAC_VERSION_MAJOR', GF_ABI_MINOR: 'GPAC_VERSION_MINOR' };

export function compareWithHeaders(py: PyConstant[], constants: IRConstant[]): PyComparison {
  const byName = new Map(constants.map((c) => [c.name, c]));
  const result: PyComparison = { missing: [], disagree: [], unevaluated: [], agree: 0 };
  for (const p of py) {
    const h = byName.get(HEADER_NAME[p.name] ?? p.name);
    if (!h) result.missing.push(p);
    else if (p.value === null) result.unevaluated.push(p);
    else if (String(h.value) !== String(p.value)) result.disagree.push({ py: p, header: h });
    else result.agree++;
  }
  return result;
}

export function formatComparison(c: PyComparison, pyPath: string): string {
  const lines = [
    `libgpac.py (${pyPath}): ${c.agree} constants agree with the headers, ${c.disagree.length} disagree, ` +
      `${c.missing.length} are not in the headers, ${c.unevaluated.length} not evaluated.`,
  ];
  if (c.disagree.length) {
    lines.push('', '| constant | libgpac.py | header | header file |', '|---|---|---|---|');
    for (const { py, header } of c.disagree) lines.push(`| ${py.name} | \`${py.source}\` (= ${py.value}) | ${header.value} | ${header.source.header}:${header.source.line} |`);
  }
  if (c.missing.length) lines.push('', `Not in the headers: ${c.missing.map((p) => `${p.name} (line ${p.line})`).join(', ')}`);
  if (c.unevaluated.length) lines.push('', `Not evaluated: ${c.unevaluated.map((p) => `${p.name} = ${p.source}`).join(', ')}`);
  return lines.join('\n') + '\n';
}
