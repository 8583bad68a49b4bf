// Parse errors always name the file and line of the offending token, so a failing generator run
// points straight at the header construct it could not handle.

export class CParseError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(message: string, file: string, line: number) {
    super(`${file}:${line}: ${message}`);
    this.name = 'CParseError';
    this.file = file;
    this.line = line;
  }
}

/** Minimal location carried by every token. */
export interface Loc {
  file: string;
  line: number;
}

export function failAt(loc: Loc, message: string): never {
  throw new CParseError(message, loc.file, loc.line);
}
