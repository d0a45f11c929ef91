// Writes the token stream as text the way GCC's -E writer does (same tokens, a space
// exactly where GCC prints one), keeping source columns for plain source text so the
// source map stays one row per line. No `# line` markers: the source map replaces them.
import type { FileInstance, SegmentMapBuilder } from './sourcemap.js';
import { avoidPaste, PADDING, PREV_WHITE, PUNCT, type Token } from './tokens.js';

const SPACES = ' '.repeat(256);

function spaces(n: number): string {
  return n <= 256 ? SPACES.slice(0, n) : ' '.repeat(n);
}

/** Only blanks between `from` and `to` (so the source slice can be copied as is). */
function blankGap(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

export class Printer {
  /** output bytes (latin1, like the input); decoded once at the end */
  private buf: Buffer = Buffer.allocUnsafe(1 << 16);
  private out = 0;
  /** pending verbatim slice of a source file: [runStart, runEnd) of files[runInst] */
  private runInst = -1;
  private runStart = 0;
  private runEnd = 0;
  /** something was printed on the current output line */
  private printed = false;
  /** file instance and source line the current output line belongs to */
  private curInst = -1;
  private curLine = 0;
  // GCC's print.prev / print.source / avoid_paste
  private prev: Token | null = null;
  private prevInst = -1;
  private source: Token | null = null;
  private pendingAvoidPaste = false;
  /** per file instance: the source line a fresh output line stands for when it resumes */
  private readonly resumeLine = new Map<number, number>();

  constructor(
    private readonly map: SegmentMapBuilder,
    private readonly files: FileInstance[],
    /** a buffer left by an earlier run (reused: output is decoded to a string at the end) */
    scratch?: Buffer,
  ) {
    if (scratch) this.buf = scratch;
  }

  /** Bytes of output so far. */
  get length(): number {
    return this.out;
  }

  /** The output buffer, for the next run to reuse. */
  get scratch(): Buffer {
    return this.buf;
  }

  /** `inst` resumes at `line` (e.g. the line after an #include) when next printed. */
  resumeAt(inst: number, line: number): void {
    const old = this.resumeLine.get(inst);
    if (old === undefined || line > old) this.resumeLine.set(inst, line);
  }

  private reserve(n: number): void {
    if (this.out + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.out + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.written);
    this.buf = next;
  }

  /** bytes actually in buf (the pending run is counted in `out` but not yet copied) */
  private written = 0;

  private flushRun(): void {
    if (this.runInst >= 0) {
      const n = this.runEnd - this.runStart;
      this.reserve(0);
      const src = this.files[this.runInst].bytes;
      const buf = this.buf;
      let w = this.written;
      // short runs (most lines) copy faster by hand than through Buffer.copy
      if (n < 128) for (let i = this.runStart; i < this.runEnd; i++) buf[w++] = src[i];
      else src.copy(buf, w, this.runStart, this.runEnd);
      this.written += n;
      this.runInst = -1;
    }
  }

  private emit(s: string): void {
    if (this.runInst >= 0) this.flushRun();
    const n = s.length;
    this.reserve(n);
    if (n < 32) {
      const buf = this.buf;
      let w = this.written;
      for (let i = 0; i < n; i++) buf[w++] = s.charCodeAt(i);
      this.written = w;
    } else {
      this.written += this.buf.write(s, this.written, 'latin1');
    }
    this.out += n;
  }

  /** A new logical source line starts with `tok` (GCC's cb_line_change). */
  lineChange(tok: Token, inst: number, lineStart: number): void {
    if (inst !== this.curInst) {
      if (this.curInst >= 0) this.resumeAt(this.curInst, this.curLine + (this.printed ? 1 : 0));
      this.curInst = inst;
      this.curLine = this.resumeLine.get(inst) ?? 1;
      if (this.printed) {
        this.emit('\n');
        this.printed = false;
      }
    } else if (this.printed) {
      this.emit('\n');
      this.curLine++;
      this.printed = false;
    }
    if (tok.line > this.curLine) {
      this.emit('\n'.repeat(tok.line - this.curLine));
      this.curLine = tok.line;
    }
    this.prev = null;
    this.source = null;
    const col = tok.pos - lineStart + 1;
    if (col > 2) this.emit(spaces(col - 2));
    this.printed = true;
  }

  /** One token from the preprocessor's output stream (GCC's token_streamer::stream). */
  stream(tok: Token, inst: number): void {
    if (tok.kind === PADDING) {
      this.pendingAvoidPaste = true;
      if (this.source === null || (!(this.source.flags & PREV_WHITE) && tok.source === null)) this.source = tok.source;
      return;
    }
    const plain = tok.exp < 0 && !tok.synthetic && tok.end - tok.pos === tok.text.length;
    if (this.pendingAvoidPaste) {
      const source = this.source ?? tok;
      if (source.flags & PREV_WHITE || (this.prev && avoidPaste(this.prev, tok)) || (this.prev === null && tok.kind === PUNCT && tok.text === '#')) {
        this.emit(' ');
      }
    } else if (tok.flags & PREV_WHITE) {
      const prev = this.prev;
      // plain source text: keep the original gap so columns (and map rows) line up
      if (plain && prev && prev.exp < 0 && !prev.synthetic && this.prevInst === inst && prev.line === tok.line && tok.pos > prev.end) {
        if (this.runInst === inst && this.runEnd === prev.end && blankGap(this.files[inst].text, prev.end, tok.pos)) {
          // extend the verbatim run over the gap and the token
          this.reserve(tok.end - this.runEnd);
          this.out += tok.end - this.runEnd;
          this.runEnd = tok.end;
          this.pendingAvoidPaste = false;
          this.source = null;
          this.prev = tok;
          this.printed = true;
          return;
        }
        this.emit(spaces(tok.pos - prev.end));
      } else {
        this.emit(' ');
      }
    }
    this.pendingAvoidPaste = false;
    this.source = null;
    this.prev = tok;
    this.prevInst = inst;
    this.map.add(this.out, inst, tok.pos, plain ? -1 : tok.end - tok.pos, tok.exp);
    if (plain) {
      if (this.runInst >= 0) this.flushRun();
      this.reserve(tok.text.length);
      this.runInst = inst;
      this.runStart = tok.pos;
      this.runEnd = tok.end;
      this.out += tok.text.length;
    } else {
      this.emit(tok.text);
    }
    this.printed = true;
  }

  finish(): string {
    if (this.printed) this.emit('\n');
    this.flushRun();
    return this.buf.toString('latin1', 0, this.written);
  }
}
