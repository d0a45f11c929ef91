// A property value is exact bytes plus typed markers (as in dtc): the bytes are what a
// DTB holds; the markers remember how the source wrote them (cells of N bits, strings,
// byte strings), where labels sit inside the value, and where a phandle or path
// reference must be filled in once references are resolved.
import type { SourceSpan } from '../report/source.js';
import type { ValueElements } from './located.js';
import { RefMarker } from './located.js';

export type ValueType = 'u8' | 'u16' | 'u32' | 'u64' | 'string' | 'bytes';

export type Marker =
  /** from `offset` on, the value was written as `type` (until the next type marker) */
  | { kind: 'type'; offset: number; type: ValueType }
  /** a label inside the value: `<a: 1 b: 2>` */
  | { kind: 'label'; offset: number; name: string }
  /** a 4-byte phandle placeholder at `offset` for `&ref` in cells */
  | { kind: 'phandle-ref'; offset: number; ref: string; span?: SourceSpan }
  /** a path string is inserted at `offset` for `&ref` outside cells */
  | { kind: 'path-ref'; offset: number; ref: string; span?: SourceSpan };

export interface PropertyValue {
  bytes: Uint8Array;
  /** sorted by offset; at equal offsets, in the order they were written */
  markers: Marker[];
  /** where each element (cell, string, reference, byte) was written, for values parsed
   *  from source; absent for values read from a blob or made by dtkit */
  elements?: ValueElements;
}

/** Where the element holding byte `offset` of `v` was written, when known. */
export function elementSpan(v: PropertyValue, offset: number): SourceSpan | undefined {
  return v.elements?.span(v.elements.indexAt(offset));
}

export const EMPTY_VALUE: PropertyValue = Object.freeze({ bytes: new Uint8Array(0), markers: [] }) as PropertyValue;

/** Growable byte buffer with markers; the one way values are built. */
export class ValueBuilder {
  private buf = new Uint8Array(16);
  private len = 0;
  readonly markers: Marker[] = [];

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < this.len + extra) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  /** Empties the builder for reuse (keeps its buffer: one scratch builder can build many
   *  values, since build() copies). */
  reset(): this {
    this.len = 0;
    this.markers.length = 0;
    return this;
  }

  marker(m: Marker): this {
    this.markers.push(m);
    return this;
  }

  /** Starts a run of `type` values at the current offset. */
  type(type: ValueType): this {
    return this.marker({ kind: 'type', offset: this.len, type });
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  /** Appends an unsigned big-endian integer of `bits` (8/16/32/64) bits. */
  uint(v: bigint, bits: 8 | 16 | 32 | 64): this {
    // a 32-bit element: one conversion to a number (BigInt steps per byte are costly)
    if (bits === 32) return this.u32(Number(BigInt.asUintN(32, v)));
    const n = bits / 8;
    this.ensure(n);
    let x = BigInt.asUintN(bits, v);
    for (let i = n - 1; i >= 0; i--) {
      this.buf[this.len + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    this.len += n;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    const b = this.buf, o = this.len;
    b[o] = (v >>> 24) & 0xff; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
    this.len += 4;
    return this;
  }

  /** Appends a string with its terminating NUL. Text is held as latin1 (one char per
   *  input byte) throughout dtkit, so chars map straight back to bytes. */
  string(s: string | Uint8Array): this {
    this.bytes(typeof s === 'string' ? latin1Bytes(s) : s);
    return this.u8(0);
  }

  /** Appends another value, shifting its markers. */
  append(v: PropertyValue): this {
    const base = this.len;
    this.bytes(v.bytes);
    for (const m of v.markers) this.markers.push(markerAt(m, m.offset + base));
    return this;
  }

  build(): PropertyValue {
    return { bytes: this.buf.slice(0, this.len), markers: this.markers.slice() };
  }
}

/** A copy of `m` at `offset` (a reference's deferred span stays deferred). */
export function markerAt(m: Marker, offset: number): Marker {
  return m instanceof RefMarker ? m.movedTo(offset) : { ...m, offset };
}

export function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export function latin1String(b: Uint8Array): string {
  // Buffer's latin1 decoding is exact (byte n -> U+00nn) and far faster than fromCharCode
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

/** The bytes up to the first NUL as latin1 text (a C string); undefined without a NUL. */
export function cString(b: Uint8Array): string | undefined {
  const end = b.indexOf(0);
  return end < 0 ? undefined : latin1String(b.subarray(0, end));
}

/** A number as dtc and dtkit messages show it: `0x1f` (no padding). */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

export function readU32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff; b[off + 1] = (v >>> 16) & 0xff; b[off + 2] = (v >>> 8) & 0xff; b[off + 3] = v & 0xff;
}

/** The value as big-endian 32-bit cells, or undefined when its length is not a multiple of 4. */
export function cellsOf(v: PropertyValue): number[] | undefined {
  if (v.bytes.length % 4 !== 0) return undefined;
  const out: number[] = new Array(v.bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = readU32(v.bytes, i * 4);
  return out;
}

/** The value as a list of NUL-terminated strings, or undefined if it is not one. */
export function stringsOf(v: PropertyValue): string[] | undefined {
  const b = v.bytes;
  if (b.length === 0 || b[b.length - 1] !== 0) return undefined;
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      out.push(latin1String(b.subarray(start, i)));
      start = i + 1;
    }
  }
  return out;
}

export function valueFromCells(cells: number[]): PropertyValue {
  const vb = new ValueBuilder().type('u32');
  for (const c of cells) vb.u32(c);
  return vb.build();
}

export function valueFromStrings(strs: string[]): PropertyValue {
  const vb = new ValueBuilder();
  for (const s of strs) vb.type('string').string(s);
  return vb.build();
}
