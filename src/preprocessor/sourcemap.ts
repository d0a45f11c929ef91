// Compact output-offset -> origin table: one row per run of output text that maps
// contiguously onto one source stretch (typically one row per output line), searched
// with binary search. Expansion and include chains are shared tables, not per-char data.
import type { SourcePos, SourceSpan } from '../report/source.js';
import { lineOf } from './lexer.js';
import type { SourceMap } from './types.js';

/** One file as read in one #include context. */
export interface FileInstance {
  path: string;
  text: string;
  bytes: Buffer;
  lineStarts: Int32Array;
  /** #include sites, innermost first (empty for the main file) */
  includedFrom: SourcePos[];
}

/** One macro invocation: where its name (through the closing parenthesis) was. */
export interface ExpansionSite {
  inst: number;
  pos: number;
  end: number;
  /** the expansion the invocation itself came out of, -1 none */
  parent: number;
}

class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  get last(): number {
    return this.data[this.length - 1];
  }
}

export function posOf(inst: FileInstance, offset: number): SourcePos {
  const line = lineOf(inst.lineStarts, offset);
  return { file: inst.path, line, column: offset - inst.lineStarts[line - 1] + 1 };
}

/** Span of [pos, end) in a file instance; length is clipped to the first line. */
export function spanIn(inst: FileInstance, pos: number, end: number): SourceSpan {
  const p = posOf(inst, pos);
  const lineEnd = p.line < inst.lineStarts.length ? inst.lineStarts[p.line] - 1 : inst.text.length;
  const span: SourceSpan = { ...p, length: Math.max(0, Math.min(end, lineEnd) - pos) };
  if (inst.includedFrom.length) span.includedFrom = inst.includedFrom;
  return span;
}

export class SegmentMapBuilder {
  private readonly outStart = new GrowableInt32();
  private readonly inst = new GrowableInt32();
  private readonly srcPos = new GrowableInt32();
  /** -1: exact (character for character); else length of the origin token */
  private readonly srcLen = new GrowableInt32();
  private readonly exp = new GrowableInt32();

  constructor(
    private readonly files: FileInstance[],
    private readonly expansions: ExpansionSite[],
  ) {}

  /** Output at `out` onward comes from `pos` in `inst` (exact) or from the token [pos,pos+len). */
  add(out: number, inst: number, pos: number, len: number, exp: number): void {
    const n = this.outStart.length;
    if (n > 0) {
      const i = n - 1;
      if (
        len < 0 &&
        this.srcLen.data[i] < 0 &&
        this.inst.data[i] === inst &&
        this.exp.data[i] === exp &&
        pos - this.srcPos.data[i] === out - this.outStart.data[i]
      ) {
        return;
      }
      if (this.outStart.data[i] === out) {
        // nothing was printed for the previous row: replace it
        this.outStart.length--;
        this.inst.length--;
        this.srcPos.length--;
        this.srcLen.length--;
        this.exp.length--;
      }
    }
    this.outStart.push(out);
    this.inst.push(inst);
    this.srcPos.push(pos);
    this.srcLen.push(len);
    this.exp.push(exp);
  }

  get segmentCount(): number {
    return this.outStart.length;
  }

  build(): SourceMap {
    const outStart = this.outStart.data.subarray(0, this.outStart.length);
    const inst = this.inst.data.subarray(0, this.inst.length);
    const srcPos = this.srcPos.data.subarray(0, this.srcPos.length);
    const srcLen = this.srcLen.data.subarray(0, this.srcLen.length);
    const exp = this.exp.data.subarray(0, this.exp.length);
    const files = this.files;
    const expansions = this.expansions;
    const expSpans = new Map<number, SourceSpan>();
    // chains are as long as the input nests macros: built with loops, shared suffixes cached
    const expansionSpan = (e: number): SourceSpan => {
      const missing: number[] = [];
      let x = e;
      for (; x >= 0 && !expSpans.has(x); x = expansions[x].parent) missing.push(x);
      let below = x >= 0 ? expSpans.get(x) : undefined;
      for (let i = missing.length - 1; i >= 0; i--) {
        const site = expansions[missing[i]];
        const s = spanIn(files[site.inst], site.pos, site.end);
        if (below) s.expandedFrom = below;
        expSpans.set(missing[i], s);
        below = s;
      }
      return expSpans.get(e)!;
    };
    return {
      spanAt(offset: number, length = 0): SourceSpan {
        if (outStart.length === 0) return { file: files[0]?.path ?? '', line: 1, column: 1, length: 0 };
        let lo = 0;
        let hi = outStart.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (outStart[mid] <= offset) lo = mid;
          else hi = mid - 1;
        }
        const f = files[inst[lo]];
        let span: SourceSpan;
        if (srcLen[lo] < 0) {
          const p = Math.min(srcPos[lo] + Math.max(0, offset - outStart[lo]), f.text.length);
          span = spanIn(f, p, p + length);
        } else {
          span = spanIn(f, srcPos[lo], srcPos[lo] + srcLen[lo]);
        }
        if (exp[lo] >= 0) span.expandedFrom = expansionSpan(exp[lo]);
        return span;
      },
    };
  }
}
