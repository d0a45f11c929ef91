// Number formatting and parsing shared by the qcom messages, tables and the CLI.
import { hex } from '../tree/value.js';

/** `0x00110000`: zero-padded to at least `digits` hex digits, for aligned tables. */
export function hexPadded(n: number, digits = 8): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** Inclusive range text `0x110000-0x113fff`; an empty range is named as such. */
export function rangeText(start: number, size: number): string {
  return size > 0 ? `${hex(start)}-${hex(start + size - 1)}` : `${hex(start)} (empty)`;
}

const UNITS: Array<[string, number]> = [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]];

/** `4 KiB`, `30 MiB`; sizes that are no whole unit stay in bytes (`6000 B`). */
export function formatBytes(n: number): string {
  if (n === 0) return '0 B';
  for (const [unit, f] of UNITS) if (n >= f && n % f === 0) return `${n / f} ${unit}`;
  return `${n} B`;
}

const SUFFIX: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/**
 * An unsigned integer as C writes it (0x.., 0.. octal, decimal, with U/L suffixes),
 * or undefined. Returned as a number: callers check the range they need.
 */
export function parseCInteger(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU])$/.exec(text);
  if (!m) return undefined;
  const digits = m[1];
  const v = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : parseInt(digits, 10);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** A size such as `0x4000`, `16384`, `16K`, `16KiB`, `2M`, `1G`; undefined when unreadable. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(0[xX][0-9a-fA-F]+|[0-9]+)\s*(?:([kKmMgG])(?:i?[bB])?|[bB])?\s*$/.exec(text);
  if (!m) return undefined;
  const base = parseCInteger(m[1]);
  if (base === undefined) return undefined;
  const v = base * SUFFIX[(m[2] ?? '').toLowerCase()];
  return Number.isSafeInteger(v) ? v : undefined;
}
