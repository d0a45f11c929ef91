// Rendering of diagnostics: gcc-style text (with include/expansion chain and a source
// excerpt); JSON, SARIF and GitHub commands live beside it (json.ts, sarif.ts, github.ts).
// Sorting is deterministic: file, line, column, rule. Text shows input safely
// (safe-text.ts: control characters escaped, excerpts and messages capped) and in colour
// only when asked (style.ts).
import type { Diagnostic, Severity } from './diagnostic.js';
import type { SourcePos, SourceSpan } from './source.js';
import { formatPos, spanChain } from './source.js';
import { escapeControls, excerptWindow, safeMessage } from './safe-text.js';
import { textStyle, type TextStyle } from './style.js';

export interface RenderOptions {
  /** returns the text of a source line (1-based) for excerpts, or undefined */
  lineText?: (file: string, line: number) => string | undefined;
  /** gcc-style colours (decide with `colorEnabled`); none when false or absent */
  color?: boolean;
}

function fileOf(d: Diagnostic): string {
  return d.span?.file ?? d.file ?? '';
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = fileOf(a), fb = fileOf(b);
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.span?.line ?? 0, lb = b.span?.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.span?.column ?? 0, cb = b.span?.column ?? 0;
  if (ca !== cb) return ca - cb;
  if ((a.node ?? '') !== (b.node ?? '')) return (a.node ?? '') < (b.node ?? '') ? -1 : 1;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(compareDiagnostics);
}

/** One `file:line:col: note: message` line (the locus escaped: file names are input too). */
function noteLine(style: TextStyle, at: SourcePos | undefined, message: string): string {
  const where = at ? style.locus(`${escapeControls(formatPos(at))}:`) + ' ' : '';
  return `${where}${style.severity('note', 'note:')} ${message}`;
}

function excerpt(span: SourceSpan, opts: RenderOptions, style: TextStyle): string[] {
  let text = opts.lineText?.(span.file, span.line);
  if (text === undefined) return [];
  // a CRLF file's lines end in CR: not part of what the line shows
  if (text.endsWith('\r')) text = text.slice(0, -1);
  const shown = excerptWindow(text, Math.max(1, span.column) - 1, span.length);
  return [`  ${shown.text}`, `  ${shown.pad}${style.caret(`^${'~'.repeat(shown.width - 1)}`)}`];
}

/** `node:property: ` before a message, or nothing. */
export function subjectOf(d: Diagnostic): string {
  return d.node ? `${d.node}${d.property ? `:${d.property}` : ''}: ` : '';
}

export function renderText(d: Diagnostic, opts: RenderOptions = {}): string {
  const style = textStyle(opts.color);
  const where = escapeControls(d.span ? formatPos(d.span) : d.file ?? 'dtkit');
  const tag = escapeControls(d.schema ? `${d.rule}: ${d.schema}` : d.rule);
  const subject = subjectOf(d);
  const severity: Severity = d.severity;
  const lines = [
    `${style.locus(`${where}:`)} ${style.severity(severity, `${severity}:`)} ` +
      `${style.message(safeMessage(subject + d.message))} ${style.severity(severity, `[${tag}]`)}`,
  ];
  if (d.span) {
    lines.push(...excerpt(d.span, opts, style));
    for (const link of spanChain(d.span)) lines.push(noteLine(style, link.at, link.what));
  }
  for (const n of d.notes ?? []) lines.push(noteLine(style, n.span, safeMessage(n.message)));
  return lines.join('\n');
}

export function renderAllText(ds: Diagnostic[], opts: RenderOptions = {}): string {
  return sortDiagnostics(ds).map((d) => renderText(d, opts)).join('\n');
}

/** `lineText` for excerpts over the sources a stage read (falling back to `read`), splitting
 *  each file once: a board can have hundreds of findings in one 10k-line file. */
export function sourceLines(sources: Map<string, string>, read?: (file: string) => string | undefined): (file: string, line: number) => string | undefined {
  const split = new Map<string, string[] | undefined>();
  return (file, line) => {
    let lines = split.get(file);
    if (lines === undefined && !split.has(file)) {
      lines = (sources.get(file) ?? read?.(file))?.split('\n');
      split.set(file, lines);
    }
    return lines?.[line - 1];
  };
}
