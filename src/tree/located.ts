// Lazily computed source spans for tree items (nodes, properties, labels, reference
// markers): the parser records where an item is; the SourceSpan is built on first read.
import type { SourceSpan } from '../report/source.js';

/** Anything that turns an offset in its text into a SourceSpan (a preprocessor or raw map). */
export interface SpanLocator {
  spanAt(offset: number, length?: number): SourceSpan;
}

/** Something with a source span kept as (locator, offset, length) until first read: most
 *  spans are never read (only diagnostics need them), and building each one costs a
 *  search and several objects. The computed span is cached, so reads return one object. */
export class Located {
  private spanValue: SourceSpan | undefined = undefined;
  private spanFrom: SpanLocator | null = null;
  private spanOffset = 0;
  private spanLength = 0;

  get span(): SourceSpan | undefined {
    if (this.spanFrom) {
      this.spanValue = this.spanFrom.spanAt(this.spanOffset, this.spanLength);
      this.spanFrom = null;
    }
    return this.spanValue;
  }

  set span(span: SourceSpan | undefined) {
    this.spanValue = span;
    this.spanFrom = null;
  }

  /** Sets the span to `from.spanAt(offset, length)`, computed only when first read. */
  deferSpan(from: SpanLocator, offset: number, length: number): this {
    this.spanValue = undefined;
    this.spanFrom = from;
    this.spanOffset = offset;
    this.spanLength = length;
    return this;
  }

  /** Takes `other`'s span without computing it. */
  copySpanFrom(other: Located): void {
    this.spanValue = other.spanValue;
    this.spanFrom = other.spanFrom;
    this.spanOffset = other.spanOffset;
    this.spanLength = other.spanLength;
  }
}

/** A label (model.ts's Label) whose span may be deferred. */
export class LabelEntry extends Located {
  constructor(
    public name: string,
    public deleted = false,
  ) {
    super();
  }
}

/** A `phandle-ref` / `path-ref` value marker (value.ts's Marker) whose span may be deferred. */
export class RefMarker extends Located {
  constructor(
    public kind: 'phandle-ref' | 'path-ref',
    public offset: number,
    public ref: string,
  ) {
    super();
  }

  /** The same reference at another offset, span still deferred. */
  movedTo(offset: number): RefMarker {
    const m = new RefMarker(this.kind, offset, this.ref);
    m.copySpanFrom(this);
    return m;
  }
}

/**
 * Where each element of a property value was written: every cell, string, reference,
 * byte and /incbin/ the parser read, as (byte offset in the value, offset and length of its
 * text in the lexer's source). Kept as three integers per element in one typed array; a
 * SourceSpan is built only when asked for. An element whose text came through another
 * locator than the value's first (a value split by dtc's `/include/`) has no span.
 */
export class ValueElements {
  constructor(
    private readonly from: SpanLocator,
    /** [byteOffset, sourceOffset, sourceLength] per element; sourceOffset -1: unknown */
    private readonly data: Int32Array,
  ) {}

  get count(): number {
    return this.data.length / 3;
  }

  /** Byte offset in the value where element `i` starts. */
  byteOffset(i: number): number {
    return this.data[i * 3];
  }

  /** Index of the element holding byte `offset` (the last one starting at or before it), or -1. */
  indexAt(offset: number): number {
    let lo = 0, hi = this.count - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.data[mid * 3] <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Where element `i` was written, or undefined when unknown. */
  span(i: number): SourceSpan | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const at = this.data[i * 3 + 1];
    return at < 0 ? undefined : this.from.spanAt(at, this.data[i * 3 + 2]);
  }

  /** Offset and length of element `i`'s text in the locator's source (for tools that map
   *  positions back), or undefined when unknown. */
  sourceRange(i: number): { from: SpanLocator; offset: number; length: number } | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const at = this.data[i * 3 + 1];
    return at < 0 ? undefined : { from: this.from, offset: at, length: this.data[i * 3 + 2] };
  }

  /** The same elements with byte offsets moved by `shift(offset)` (a value whose bytes were
   *  rewritten, e.g. path references filled in). */
  shifted(shift: (offset: number) => number): ValueElements {
    const d = this.data.slice();
    for (let i = 0; i < d.length; i += 3) d[i] = shift(d[i]);
    return new ValueElements(this.from, d);
  }
}

/** Collects element records while a value is parsed (one per parser, reused). */
export class ValueElementsBuilder {
  private data = new Int32Array(48);
  private length = 0;
  private from: SpanLocator | undefined;

  reset(): void {
    this.length = 0;
    this.from = undefined;
  }

  /** Element at byte `byteOffset` of the value, written at [offset, offset+length) of `from`. */
  add(byteOffset: number, from: SpanLocator, offset: number, length: number): void {
    if (this.length + 3 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.from ??= from;
    const d = this.data, n = this.length;
    d[n] = byteOffset;
    d[n + 1] = from === this.from ? offset : -1;
    d[n + 2] = length;
    this.length = n + 3;
  }

  build(): ValueElements | undefined {
    return this.from && this.length ? new ValueElements(this.from, this.data.slice(0, this.length)) : undefined;
  }
}
