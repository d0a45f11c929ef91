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
