// Small readers over property values with dtc's exact notions of "a string", "a string
// list", "a cell" and C-string views (dtc reads many values as NUL-terminated text).
import type { Node, Property } from '../tree/model.js';
import type { PropertyValue } from '../tree/value.js';
import { cString, latin1String, readU32 } from '../tree/value.js';

/** dtc's data_is_one_string: non-empty, one NUL, at the end. */
export function isOneString(v: PropertyValue): boolean {
  const b = v.bytes;
  if (b.length === 0 || b[b.length - 1] !== 0) return false;
  return b.indexOf(0) === b.length - 1;
}

/** dtc's string-list test: every string NUL-terminated (an empty value passes). */
export function isStringList(v: PropertyValue): boolean {
  const b = v.bytes;
  return b.length === 0 || b[b.length - 1] === 0;
}

/** The value as dtc's printf("%s", prop->val.val) reads it: up to the first NUL, or all
 *  of it when there is none. */
export function printfString(v: PropertyValue): string {
  return cString(v.bytes) ?? latin1String(v.bytes);
}

/** Whether bytes [start, end) of `b` spell `s` (latin1, as everywhere in dtkit), without
 *  making a string of them: the rows ask this of every node's status and compatible. */
function bytesSpell(b: Uint8Array, start: number, end: number, s: string): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[start + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** printfString(v) === s */
export function printfEquals(v: PropertyValue, s: string): boolean {
  const nul = v.bytes.indexOf(0);
  return bytesSpell(v.bytes, 0, nul < 0 ? v.bytes.length : nul, s);
}

/** Number of whole cells in a value. */
export function cellCount(v: PropertyValue): number {
  return Math.floor(v.bytes.length / 4);
}

/** Cell `i` of a value; 0 past the end (dtc would read beyond; we never do). */
export function cellAt(v: PropertyValue, i: number): number {
  const off = i * 4;
  return off + 4 <= v.bytes.length ? readU32(v.bytes, off) : 0;
}

/** dtc's propval_cell: the first cell. */
export function firstCell(p: Property): number {
  return cellAt(p.value, 0);
}

/** dtc's node_is_compatible: one of the compatible strings equals `compat`. */
export function isCompatible(node: Node, compat: string): boolean {
  const p = node.getProperty('compatible');
  if (!p) return false;
  const b = p.value.bytes;
  let start = 0;
  while (start < b.length) {
    let end = b.indexOf(0, start);
    if (end < 0) end = b.length;
    if (bytesSpell(b, start, end, compat)) return true;
    start = end + 1;
  }
  return false;
}

/** A character set for spanOf, as a lookup table over char codes 0..255. */
export type CharSet = Uint8Array;

export function charSet(chars: string): CharSet {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i) & 0xff] = 1;
  return t;
}

/** Length of the leading run of `s` made only of characters in `allowed` (C strspn). */
export function spanOf(s: string, allowed: CharSet): number {
  let n = 0;
  while (n < s.length) {
    const c = s.charCodeAt(n);
    if (c > 0xff || !allowed[c]) break;
    n++;
  }
  return n;
}

/** dtc's strprefixeq(name, basenamelen, want): the base name is exactly `want`. */
export function baseNameIs(node: Node, want: string): boolean {
  return node.baseName === want;
}

/** dtc's `node->children` test: any child at all, deleted ones included. */
export function hasAnyChild(node: Node): boolean {
  return node.children.length > 0;
}

/** A cell as dtc's `%x` prints it (no prefix), e.g. for the expected unit address. */
export function hexDigits(v: number): string {
  return (v >>> 0).toString(16);
}
