// GF_FilterArgs.min_max_enum → enumerated values or a numeric range.
// filters.h documents "a|b|c" (a=0, b=1, ...; an empty slot skips a value) and "min,max" with -I / +I
// as infinities; filters also write "min-max" ("0-100", "-1-I", "-I-I"), which the '-' separator makes
// ambiguous with negative numbers, hence a whole-string match rather than a split.

export interface MinMaxEnum {
  min: number | null;
  max: number | null;
  values: string[] | null;
  /** false when the string is neither an enumeration nor a range: the caller keeps it raw only. */
  recognized: boolean;
}

// A bound: an (optionally signed) infinity I, or a decimal number (integer, float, exponent).
const BOUND = String.raw`[+-]?(?:I|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
// The first bound is matched whole before the separator, so "-1-5" is (-1, 5) and "0--5" is (0, -5).
const RANGE = new RegExp(String.raw`^\s*(${BOUND})\s*[,-]\s*(${BOUND})\s*$`);

/** A bound's value; infinities are null, as the IR writes them. */
function bound(text: string): number | null {
  if (/^[+-]?I$/.test(text)) return null;
  return Number(text);
}

export function parseMinMaxEnum(raw: string | null): MinMaxEnum {
  if (raw === null) return { min: null, max: null, values: null, recognized: true };
  if (raw.includes('|')) return { min: null, max: null, values: raw.split('|'), recognized: true };
  const m = RANGE.exec(raw);
  if (m && m[1] !== undefined && m[2] !== undefined) {
    return { min: bound(m[1]), max: bound(m[2]), values: null, recognized: true };
  }
  return { min: null, max: null, values: null, recognized: false };
}
