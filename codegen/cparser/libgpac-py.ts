// Reads the constants libgpac.py (GPAC's Python binding) hard-codes as `GF_XXX = <expr>` and compares
// them with the header values: libgpac.py is the reference for *what* exists, the headers for the
// values, and the project must list where they disagree.

import type { IRConstant } from '../ir-types.js';
import { evaluate, LONG, mkInt, NotConstant, type CValue } from './const-eval.js';
import { tokenize } from './tokens.js';

export interface PyConstant {
  name: string;
  /** Decimal integer, or null when the Python value is not an integer (reason says what it is). */
  value: string | null;
  reason?: string;
  line: number;
}

/** Top-level `NAME = expr` assignments of upper-case names starting with GF_ (module constants). */
export function readPythonConstants(text: string, file = 'libgpac.py'): PyConstant[] {
  const out: PyConstant[] = [];
  const known = new Map<string, CValue>();
  text.split('\n').forEach((raw, i) => {
    const m = /^(GF_[A-Z0-9_]+)\s*=\s*(.*)$/.exec(raw);
    if (!m) return;
    const name = m[1] as string;
    const rhs = (m[2] as string).replace(/#.*$/, '').trim();
    const line = i + 1;
    if (rhs.endsWith(',')) {
      // `X=0,` makes a one-element tuple in Python, not the integer 0
      out.push({ name, value: null, reason: `Python value is the tuple (${rhs})`, line });
      return;
    }
    try {
      const v = evaluate(tokenize(rhs, file), { pp: false, ident: (n) => known.get(n) });
      if (v.kind !== 'int') throw new NotConstant(`not an integer: ${rhs}`, undefined);
      known.set(name, mkInt(v.v, LONG));
      out.push({ name, value: v.v.toString(), line });
    } catch (e) {
      if (!(e instanceof NotConstant)) throw e;
      out.push({ name, value: null, reason: `cannot evaluate '${rhs}': ${e.message}`, line });
    }
  });
  return out;
}

export interface PyDisagreement {
  name: string;
  line: number;
  python: string;
  header: string | null;
  /** Where the header defines it, when it does. */
  source?: string;
}

/** Python constants missing from the headers or with a different value. */
export function compareWithPython(py: readonly PyConstant[], constants: readonly IRConstant[]): PyDisagreement[] {
  const byName = new Map(constants.map((c) => [c.name, c]));
  const out: PyDisagreement[] = [];
  for (const p of py) {
    const c = byName.get(p.name);
    const python = p.value ?? p.reason ?? '?';
    if (!c) {
      out.push({ name: p.name, line: p.line, python, header: null });
      continue;
    }
    const header = String(c.value);
    if (p.value !== header) out.push({ name: p.name, line: p.line, python, header, source: `${c.source.header}:${c.source.line}` });
  }
  return out;
}
