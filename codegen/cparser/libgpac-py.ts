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

/** A public member of libgpac.py's API, as its doxygen documentation presents it. */
export interface PyApiMember {
  /** The class it belongs to, or null for a module-level function or a class itself. */
  owner: string | null;
  name: string;
  kind: 'function' | 'class' | 'method' | 'attribute';
  line: number;
  /** For classes: the base classes named in the class statement (`Structure`, `Filter` …). */
  bases?: string[];
}

/**
 * libgpac.py's public API: module functions, classes, and each class's documented methods and attributes.
 * "Public" is libgpac.py's own doxygen convention: whatever lies between `\cond private` and `\endcond`
 * is hidden, names starting with `_` are private, and a member is documented by a `##` comment above it
 * (attributes read through @property are declared that way in an `if 0:` block of the constructor).
 * The fields of ctypes Structure classes sit in `_fields_` inside `\cond private` blocks, so they are not
 * members here: libgpac.py documents them as the C struct's fields. A Union's fields are listed as its
 * attributes: they are how its one documented member is read (`evt.play.start_range` on a FilterEvent).
 */
export function readPythonApi(text: string): PyApiMember[] {
  const lines = text.split('\n');
  const documented = (i: number): boolean => {
    for (let j = i - 1; j >= 0; j--) {
      const s = (lines[j] as string).trim();
      if (!s.startsWith('#')) return false;
      if (s.startsWith('##') && !/^#+\s*\\(end)?cond\b/.test(s)) return true;
    }
    return false;
  };
  const out: PyApiMember[] = [];
  const seen = new Set<string>();
  const add = (m: PyApiMember) => {
    const key = `${m.owner ?? ''}.${m.name}`;
    if (seen.has(key)) return; // DASHQualityInfo declares hls_variant_url twice
    seen.add(key);
    out.push(m);
  };
  let hidden = 0;
  let owner: string | null = null;
  let union = false;
  let inFields = false;
  lines.forEach((raw, i) => {
    if (inFields) {
      for (const f of raw.matchAll(/\(\s*"(\w+)"/g)) add({ owner: owner as string, name: f[1] as string, kind: 'attribute', line: i + 1 });
      if (raw.includes(']')) inFields = false;
      return;
    }
    const s = raw.trim();
    if (/^#+\s*\\cond\b/.test(s)) return void hidden++;
    if (/^#+\s*\\endcond\b/.test(s)) return void (hidden = Math.max(0, hidden - 1));
    const cls = /^class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/.exec(raw);
    if (cls) {
      const name = cls[1] as string;
      owner = hidden || name.startsWith('_') ? null : name;
      const bases = (cls[2] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
      union = bases.includes('Union');
      if (owner) add({ owner: null, name, kind: 'class', line: i + 1, bases });
      return;
    }
    const fn = /^def\s+(\w+)/.exec(raw);
    if (fn) {
      owner = null;
      const name = fn[1] as string;
      if (!hidden && !name.startsWith('_') && documented(i)) add({ owner: null, name, kind: 'function', line: i + 1 });
      return;
    }
    if (/^[^\s#]/.test(raw)) owner = null; // any other top-level statement ends the class
    if (owner && union && /^\s+_fields_\s*=/.test(raw)) {
      inFields = true;
      for (const f of raw.matchAll(/\(\s*"(\w+)"/g)) add({ owner, name: f[1] as string, kind: 'attribute', line: i + 1 });
      if (raw.includes(']')) inFields = false;
      return;
    }
    if (!owner || hidden) return;
    const method = /^(?: {4}|\t)def\s+(\w+)/.exec(raw);
    if (method && !(method[1] as string).startsWith('_') && documented(i)) add({ owner, name: method[1] as string, kind: 'method', line: i + 1 });
    const attr = /^\s+self\.(\w+)\s*=/.exec(raw);
    if (attr && !(attr[1] as string).startsWith('_') && documented(i)) add({ owner, name: attr[1] as string, kind: 'attribute', line: i + 1 });
  });
  return out;
}
