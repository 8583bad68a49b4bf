// C tokenizer (translation phases 1-3): line splices, comments, preprocessing tokens.
// Every token keeps the physical line it starts on, whether it begins a logical line (for
// directives) and whether whitespace precedes it (for `#define F(x)` vs `#define F (x)`).

import { failAt } from './errors.js';

export type TokKind = 'ident' | 'number' | 'char' | 'string' | 'punct' | 'other';

/** The outermost macro invocation a token came from, so that declarations can quote the source
 *  spelling (an array size stays "GF_PROP_DUMP_ARG_SIZE" rather than its expansion). */
export interface Expansion {
  id: number;
  text: string;
}

export interface Token {
  kind: TokKind;
  text: string;
  file: string;
  line: number;
  /** First token of a logical line. */
  bol: boolean;
  /** Whitespace (or a comment) precedes the token on its line. */
  space: boolean;
  /** Hide set: macro names that must not be expanded again in this token. */
  hide?: ReadonlySet<string>;
  exp?: Expansion;
}

// Longest first, so that a greedy scan picks `<<=` before `<<` before `<`.
const PUNCTS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|',
  '?', ':', ';', '=', ',', '#',
];

const isIdStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isIdChar = (c: number): boolean => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Removes backslash-newline splices, remembering the physical line of every remaining char. */
function splice(src: string): { text: string; lines: Int32Array } {
  const raw = src.replace(/\r\n?/g, '\n');
  const out: string[] = [];
  const lines = new Int32Array(raw.length + 1);
  let line = 1;
  let n = 0;
  let runStart = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 /* \ */) {
      // a backslash followed by optional blanks then newline is a splice (GCC accepts the blanks)
      let j = i + 1;
      while (j < raw.length && (raw[j] === ' ' || raw[j] === '\t')) j++;
      if (raw[j] === '\n') {
        out.push(raw.slice(runStart, i));
        runStart = j + 1;
        i = j;
        line++;
        continue;
      }
    }
    lines[n++] = line;
    if (c === 10) line++;
  }
  out.push(raw.slice(runStart));
  lines[n] = line;
  return { text: out.join(''), lines };
}

/** Tokenizes one file. Unterminated quotes become 'other' tokens instead of errors because GCC
 *  accepts them in skipped `#if 0` blocks; the parser rejects any 'other' token it meets. */
export function tokenize(src: string, file: string): Token[] {
  const { text, lines } = splice(src);
  const toks: Token[] = [];
  const n = text.length;
  let i = 0;
  let bol = true;
  let space = false;
  const push = (kind: TokKind, start: number, end: number): void => {
    toks.push({ kind, text: text.slice(start, end), file, line: lines[start] ?? 0, bol, space });
    bol = false;
    space = false;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      bol = true;
      space = false;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 13) {
      space = true;
      i++;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      space = true;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) failAt({ file, line: lines[i] ?? 0 }, 'unterminated /* comment');
      i = end + 2;
      space = true;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const q = text[j];
      // encoding prefixes of character and string literals: L'x', u8"x"
      if ((q === '"' || q === "'") && (word === 'L' || word === 'u' || word === 'U' || word === 'u8')) {
        const end = scanQuoted(text, j);
        if (end > 0) {
          push(q === '"' ? 'string' : 'char', i, end);
          i = end;
          continue;
        }
      }
      push('ident', i, j);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      // a pp-number: digits, letters, '_', '.', and signs after an exponent letter
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if ((d === 43 || d === 45) && /[eEpP]/.test(text[j - 1] ?? '')) {
          j++;
          continue;
        }
        if (isIdChar(d) || d === 46) {
          j++;
          continue;
        }
        break;
      }
      push('number', i, j);
      i = j;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const end = scanQuoted(text, i);
      if (end > 0) {
        push(c === 34 ? 'string' : 'char', i, end);
        i = end;
      } else {
        push('other', i, i + 1);
        i++;
      }
      continue;
    }
    let matched = '';
    for (const p of PUNCTS) {
      if (text.startsWith(p, i)) {
        matched = p;
        break;
      }
    }
    if (matched) {
      push('punct', i, i + matched.length);
      i += matched.length;
      continue;
    }
    push('other', i, i + 1);
    i++;
  }
  return toks;
}

/** Returns the index just past the closing quote, or -1 when the line ends first. */
function scanQuoted(text: string, start: number): number {
  const q = text[start];
  let j = start + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === '\n') return -1;
    if (ch === q) return j + 1;
    j++;
  }
  return -1;
}

/** Decodes the body of a character or string literal (without prefix and quotes) into code
 *  points, applying C escape sequences. */
export function decodeEscapes(body: string, loc: { file: string; line: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      out.push(body.codePointAt(i) ?? 0);
      if ((body.codePointAt(i) ?? 0) > 0xffff) i++;
      continue;
    }
    const e = body[++i];
    if (e === undefined) failAt(loc, 'dangling backslash in literal');
    const simple: Record<string, number> = {
      n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
    };
    if (e in simple) {
      out.push(simple[e] as number);
    } else if (e === 'x') {
      let j = i + 1;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j] as string)) j++;
      if (j === i + 1) failAt(loc, `\\x without hex digits in literal '${body}'`);
      out.push(parseInt(body.slice(i + 1, j), 16));
      i = j - 1;
    } else if (/[0-7]/.test(e)) {
      let j = i;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j] as string)) j++;
      out.push(parseInt(body.slice(i, j), 8));
      i = j - 1;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) failAt(loc, `bad \\${e} escape in literal '${body}'`);
      out.push(parseInt(hex, 16));
      i += len;
    } else {
      failAt(loc, `unknown escape sequence '\\${e}' in literal '${body}'`);
    }
  }
  return out;
}

/** Spells a token sequence back as source text (one space where the source had whitespace). */
export function spell(toks: readonly Token[]): string {
  let s = '';
  for (const t of toks) {
    if (s && t.space) s += ' ';
    s += t.text;
  }
  return s;
}
