// Member names of a `typedef enum { ... } Name;` in a header's text, in source order.
// The probe is compiled with X-macro lists of these names, so the names it prints are exactly those of
// the installed header and their values come from the compiler (no value is computed here).

export class EnumExtractError extends Error {}

/** The text with comments replaced by spaces (newlines kept), string and char literals left intact. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && next === '/') {
      let stop = text.indexOf('\n', i);
      if (stop < 0) stop = text.length;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '"' || c === "'") {
      // copy the literal as is, honouring backslash escapes, so a "/*" inside it is not a comment
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Splits an enum body at top-level commas (a value expression may hold parenthesised commas). */
function splitMembers(body: string): { text: string; offset: number }[] {
  const parts: { text: string; offset: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: body.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  parts.push({ text: body.slice(start), offset: start });
  return parts.filter((p) => p.text.trim() !== '');
}

/** The member names of one enum body; `at` is the body's offset in `code` (for error lines). */
function bodyMembers(code: string, body: string, at: number, enumName: string, file: string): string[] {
  const names: string[] = [];
  for (const part of splitMembers(body)) {
    const item = /^\s*([A-Za-z_]\w*)\s*(?:=[^#]*)?$/.exec(part.text);
    if (!item || item[1] === undefined) {
      const pos = at + part.offset + (part.text.length - part.text.trimStart().length);
      throw new EnumExtractError(
        `${file}:${lineOf(code, pos)}: in enum ${enumName}, expected "NAME" or "NAME = value", got ${JSON.stringify(part.text.trim())}`,
      );
    }
    names.push(item[1]);
  }
  return names;
}

/**
 * Names of the members of the enum (typedef'd or not: GPAC 2.4's stream types are a bare `enum { ... };`)
 * that has a member called `member`, in source order. Throws EnumExtractError when there is none.
 */
export function enumMembersWith(text: string, member: string, file: string): string[] {
  const code = stripComments(text);
  const re = /\benum\s*(?:[A-Za-z_]\w*\s*)?\{([^{}]*)\}/g;
  const word = new RegExp(String.raw`(^|[^\w])${member}([^\w]|$)`);
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const body = m[1]!;
    if (!word.test(body)) continue;
    return bodyMembers(code, body, m.index + m[0].indexOf('{') + 1, `with ${member}`, file);
  }
  throw new EnumExtractError(`${file}: no enum with a member ${member} found`);
}

/**
 * Names of the members of `typedef enum [tag] { ... } typedefName;` in `text`.
 * `file` only names the header in errors. Throws EnumExtractError when the enum is absent or its body
 * holds something other than `NAME [= expression]` items (e.g. preprocessor conditionals).
 */
export function enumMemberNames(text: string, typedefName: string, file: string): string[] {
  const code = stripComments(text);
  const re = new RegExp(String.raw`typedef\s+enum\s*(?:[A-Za-z_]\w*\s*)?\{([^{}]*)\}\s*${typedefName}\s*;`);
  const m = re.exec(code);
  if (!m || m[1] === undefined) throw new EnumExtractError(`${file}: no "typedef enum { ... } ${typedefName};" found`);
  const names = bodyMembers(code, m[1], m.index + m[0].indexOf('{') + 1, typedefName, file);
  if (names.length === 0) throw new EnumExtractError(`${file}:${lineOf(code, m.index)}: enum ${typedefName} has no members`);
  return names;
}
