// A piece of DTS text the lexer reads, with the way back to where each character came
// from: the preprocessor's map, or a plain line table for raw (`--no-cpp`, `/include/`)
// text. Raw text may carry cpp line markers (`# 12 "board.dtsi"`), which dtc honours; the
// line table honours them too.
import type { SourceMap } from '../preprocessor/types.js';
import type { SourcePos, SourceSpan } from '../report/source.js';

export interface LexSource {
  /** file name the text is read as (for `/include/` resolution and messages) */
  file: string;
  text: string;
  map: SourceMap;
  /** include sites of this source (innermost first), for `/include/`d files */
  includedFrom?: SourcePos[];
}

interface LineMarker {
  /** offset where the marked line starts */
  offset: number;
  /** line index (0-based) of that offset in the raw text */
  rawLine: number;
  file: string;
  line: number;
}

/** A map over raw text: line/column by binary search over line starts, honouring line markers
 *  the lexer records with `addMarker`. */
export class RawSourceMap implements SourceMap {
  private lineStarts: number[] = [0];
  private markers: LineMarker[] = [];

  constructor(private file: string, text: string, private includedFrom?: SourcePos[]) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  private lineIndex(offset: number): number {
    const ls = this.lineStarts;
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Records `# line "file"` found at `offset`: the next line is `line` of `file`. */
  addMarker(offset: number, file: string, line: number): void {
    const rawLine = this.lineIndex(offset) + 1;
    this.markers.push({ offset: this.lineStarts[rawLine] ?? offset, rawLine, file, line });
  }

  spanAt(offset: number, length = 0): SourceSpan {
    const li = this.lineIndex(offset);
    const column = offset - this.lineStarts[li] + 1;
    let m: LineMarker | undefined;
    for (let i = this.markers.length - 1; i >= 0; i--) {
      if (this.markers[i].rawLine <= li) {
        m = this.markers[i];
        break;
      }
    }
    const span: SourceSpan = m
      ? { file: m.file, line: m.line + (li - m.rawLine), column, length }
      : { file: this.file, line: li + 1, column, length };
    if (this.includedFrom) span.includedFrom = this.includedFrom;
    return span;
  }
}

export function rawSource(file: string, text: string, includedFrom?: SourcePos[]): LexSource & { map: RawSourceMap } {
  return { file, text, map: new RawSourceMap(file, text, includedFrom), includedFrom };
}
