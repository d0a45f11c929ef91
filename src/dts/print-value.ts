// A property value as dtc 1.6.1 prints it in DTS output. Values with type markers (from
// DTS source) are printed run by run in marker order; values without (read from a DTB)
// get one guessed type for the whole value: a string when it is printable and
// NUL-terminated with no more NULs than other bytes (a string list then shows as "a\0b",
// as 1.6.1 does), cells when the length is a multiple of 4, bytes otherwise.
import type { Marker, PropertyValue, ValueType } from '../tree/value.js';

/** dtc's marker types that carry data type information, plus non-type markers. */
type TypeCode = 'u8' | 'u16' | 'u32' | 'u64' | 'string';

interface PrintMarker {
  offset: number;
  /** set for type markers */
  type?: TypeCode;
  /** set for label markers */
  label?: string;
}

const DELIM_START: Record<TypeCode, string> = { u8: '[', u16: '/bits/ 16 <', u32: '<', u64: '/bits/ 64 <', string: '' };
const DELIM_END: Record<TypeCode, string> = { u8: ']', u16: '>', u32: '>', u64: '>', string: '' };

function typeCode(t: ValueType): TypeCode {
  return t === 'bytes' ? 'u8' : t;
}

function toPrintMarker(m: Marker): PrintMarker {
  if (m.kind === 'type') return { offset: m.offset, type: typeCode(m.type) };
  if (m.kind === 'label') return { offset: m.offset, label: m.name };
  return { offset: m.offset };
}

/** C isprint in the "C" locale. */
function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** Bytes dtc accepts in a guessed string: printable, NUL, or \a \b \t \n \v \f \r. */
function isStringByte(c: number): boolean {
  return isPrint(c) || c === 0 || (c >= 7 && c <= 13);
}

function guessType(value: PropertyValue): TypeCode {
  const b = value.bytes;
  const len = b.length;
  let notString = 0, nul = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i];
    if (!isStringByte(c)) notString++;
    if (c === 0) nul++;
  }
  let labelNotAtString = 0, labelNotAtCell = 0;
  for (const m of value.markers) {
    if (m.kind !== 'label') continue;
    if (m.offset > 0 && b[m.offset - 1] !== 0) labelNotAtString++;
    if (m.offset % 4 !== 0) labelNotAtCell++;
  }
  if (b[len - 1] === 0 && notString === 0 && nul <= len - nul && labelNotAtString === 0) return 'string';
  if (len % 4 === 0 && labelNotAtCell === 0) return 'u32';
  return 'u8';
}

function hex2(n: number): string {
  return n < 0x10 ? `0${n.toString(16)}` : n.toString(16);
}

/** One run of integers of `width` bytes, dtc style: cells `0x%02x`, bytes `%02x`. */
function intsText(b: Uint8Array, from: number, len: number, width: 1 | 2 | 4 | 8): string {
  const parts: string[] = [];
  const end = from + len - (len % width);
  for (let p = from; p < end; p += width) {
    switch (width) {
      case 1: parts.push(hex2(b[p])); break;
      case 2: parts.push(`0x${hex2((b[p] << 8) | b[p + 1])}`); break;
      case 4: parts.push(`0x${hex2(((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0)}`); break;
      case 8: {
        const hi = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        const lo = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
        parts.push(hi === 0 ? `0x${hex2(lo)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`);
        break;
      }
    }
  }
  return parts.join(' ');
}

const STRING_ESCAPES: Record<number, string> = {
  7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\', 0x22: '\\"', 0: '\\0',
};

/** A string run (its final byte is the terminating NUL), quoted and escaped like dtc. */
function stringText(b: Uint8Array, from: number, len: number): string {
  if (len === 0) return '';
  let s = '"';
  const end = from + len - 1;
  for (let p = from; p < end; p++) {
    const c = b[p];
    const esc = STRING_ESCAPES[c];
    if (esc !== undefined) s += esc;
    else if (isPrint(c)) s += String.fromCharCode(c);
    // dtc passes a signed char to %02x: bytes >= 0x80 print sign-extended (\xffffffff)
    else s += `\\x${c >= 0x80 ? ((0xffffff00 | c) >>> 0).toString(16) : hex2(c)}`;
  }
  return `${s}"`;
}

function chunkText(type: TypeCode, b: Uint8Array, from: number, len: number): string {
  switch (type) {
    case 'u16': return intsText(b, from, len, 2);
    case 'u32': return intsText(b, from, len, 4);
    case 'u64': return intsText(b, from, len, 8);
    case 'string': return stringText(b, from, len);
    default: return intsText(b, from, len, 1);
  }
}

/** The text after the property name: `;` for an empty value, else ` = ...;`. */
export function valueText(value: PropertyValue): string {
  const b = value.bytes;
  const len = b.length;
  if (len === 0) return ';';
  if (value.markers.length === 0) {
    // the common case for DTB input: one guessed run over the whole value
    const type = guessType(value);
    return ` = ${DELIM_START[type]}${chunkText(type, b, 0, len)}${DELIM_END[type]};`;
  }
  const markers = value.markers.map(toPrintMarker);
  if (!markers.some((m) => m.type)) markers.unshift({ offset: 0, type: guessType(value) });

  // offset of the next type marker after each position (for a run's full data length)
  const nextTypeOffset: number[] = new Array(markers.length);
  let following = -1;
  for (let i = markers.length - 1; i >= 0; i--) {
    nextTypeOffset[i] = following;
    if (markers[i].type) following = markers[i].offset;
  }

  let out = ' =';
  let emit: TypeCode | undefined;
  for (let i = 0; i < markers.length; i++) {
    const m = markers[i];
    const chunkLen = (i + 1 < markers.length ? markers[i + 1].offset : len) - m.offset;
    const typeLen = nextTypeOffset[i] < 0 ? 0 : nextTypeOffset[i] - m.offset;
    const dataLen = typeLen || len - m.offset;
    if (m.type) {
      emit = m.type;
      out += ` ${DELIM_START[emit]}`;
    } else if (m.label !== undefined) {
      out += ` ${m.label}:`;
    } else if (m.offset) {
      out += ' ';
    }
    if (!emit || chunkLen < 0) continue;
    out += chunkText(emit, b, m.offset, chunkLen);
    if (chunkLen === dataLen) {
      out += m.offset + chunkLen === len ? DELIM_END[emit] : `${DELIM_END[emit]},`;
      emit = undefined;
    }
  }
  return `${out};`;
}
