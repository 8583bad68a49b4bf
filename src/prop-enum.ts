// Property enumeration results ([name, value, type, code] entries from the native side) as libgpac.py
// exposes them: an object by name, or a callback per property. Used by both sides: the session's Filter
// (ipidProps, ipidEnumProps …) and plugins' FilterPid and FilterPacket.
import type { NativePropEntry } from './native.js';
import type { PropertyValue } from './properties.js';

export type PropEnumCallback =
  | ((name: string, value: PropertyValue, type: string) => void)
  | { onPropEnum(name: string, value: PropertyValue, type: string): void };

export function propsObject(entries: NativePropEntry[]): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const [name, value] of entries) out[name] = value as PropertyValue;
  return out;
}

export function enumerateProps(entries: NativePropEntry[], cb: PropEnumCallback): void {
  for (const [name, value, type] of entries) {
    if (typeof cb === 'function') cb(name, value as PropertyValue, type);
    else cb.onPropEnum(name, value as PropertyValue, type);
  }
}
