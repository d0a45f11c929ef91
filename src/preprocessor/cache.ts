// A size-bounded PreprocessCache map: lexed files are kept least-recently-used first and
// the oldest are dropped once the cached source text passes a budget. Tokens cost ~150
// bytes each in memory, so an unbounded cache over a whole vendor folder (800 files,
// 1.8M tokens) held ~300 MB per batch worker.
import type { LexedFile } from './lexer.js';

function textSize(v: unknown): number {
  return (v as LexedFile).text.length;
}

export class BoundedLexCache extends Map<string, unknown> {
  private textBytes = 0;

  constructor(private readonly maxTextBytes: number) {
    super();
  }

  override get(key: string): unknown {
    const v = super.get(key);
    if (v !== undefined) {
      // most recently used last (Map iterates in insertion order)
      super.delete(key);
      super.set(key, v);
    }
    return v;
  }

  override set(key: string, value: unknown): this {
    this.delete(key);
    super.set(key, value);
    this.textBytes += textSize(value);
    for (const [oldest, v] of super.entries()) {
      if (this.textBytes <= this.maxTextBytes || oldest === key) break;
      super.delete(oldest);
      this.textBytes -= textSize(v);
    }
    return this;
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (old === undefined) return false;
    this.textBytes -= textSize(old);
    return super.delete(key);
  }

  override clear(): void {
    this.textBytes = 0;
    super.clear();
  }
}
