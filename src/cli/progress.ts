// The progress line of a long run, on stderr when it is a terminal (nothing otherwise, so
// logs and pipes stay clean): inputs done / total, elapsed time, the input last started.
// One line, redrawn in place at most ten times a second, erased before anything else is
// written and when the run ends.
import { escapeControls } from '../report/safe-text.js';

export interface ProgressStream {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

const REDRAW_MS = 100;

export class Progress {
  private done = 0;
  private current = '';
  private shown = false;
  private lastDraw = 0;
  private readonly start = performance.now();

  constructor(private readonly total: number, private readonly stream: ProgressStream, private readonly enabled = !!stream.isTTY && total > 1) {}

  started(input: string): void {
    this.current = input;
    this.draw(false);
  }

  finished(): void {
    this.done++;
    this.draw(this.done === this.total);
  }

  /** Erases the line (before other output, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const s = Math.floor((now - this.start) / 1000);
    const elapsed = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    const head = `[${this.done}/${this.total}] ${elapsed} `;
    const room = Math.max(10, (this.stream.columns ?? 80) - head.length - 1);
    const name = escapeControls(this.current);
    const shown = name.length > room ? `...${name.slice(name.length - room + 3)}` : name;
    this.stream.write(`\r\x1b[K${head}${shown}`);
    this.shown = true;
  }
}
