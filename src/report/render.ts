// Rendering of diagnostics: gcc-style text (with include/expansion chain and a source
// excerpt) and JSON. Sorting is deterministic: file, line, column, rule.
import type { Diagnostic } from './diagnostic.js';
import type { SourceSpan } from './source.js';
import { formatPos } from './source.js';

export interface RenderOptions {
  /** returns the text of a source line (1-based) for excerpts, or undefined */
  lineText?: (file: string, line: number) => string | undefined;
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

function chainLines(span: SourceSpan): string[] {
  const out: string[] = [];
  if (span.expandedFrom) {
    out.push(`${formatPos(span.expandedFrom)}: note: expanded from macro invocation here`);
    out.push(...chainLines(span.expandedFrom));
  }
  for (const inc of span.includedFrom ?? []) out.push(`${formatPos(inc)}: note: included from here`);
  return out;
}

function excerpt(span: SourceSpan, opts: RenderOptions): string[] {
  const text = opts.lineText?.(span.file, span.line);
  if (text === undefined) return [];
  const caretCol = Math.max(1, span.column);
  const width = Math.max(1, Math.min(span.length || 1, text.length - caretCol + 1));
  const pad = text.slice(0, caretCol - 1).replace(/[^\t]/g, ' ');
  return [`  ${text}`, `  ${pad}^${'~'.repeat(width - 1)}`];
}

export function renderText(d: Diagnostic, opts: RenderOptions = {}): string {
  const where = d.span ? formatPos(d.span) : d.file ?? 'dtkit';
  const tag = d.schema ? `${d.rule}: ${d.schema}` : d.rule;
  const subject = d.node ? `${d.node}${d.property ? `:${d.property}` : ''}: ` : '';
  const lines = [`${where}: ${d.severity}: ${subject}${d.message} [${tag}]`];
  if (d.span) {
    lines.push(...excerpt(d.span, opts));
    lines.push(...chainLines(d.span));
  }
  for (const n of d.notes ?? []) {
    lines.push(`${n.span ? formatPos(n.span) + ': ' : ''}note: ${n.message}`);
  }
  return lines.join('\n');
}

export function renderAllText(ds: Diagnostic[], opts: RenderOptions = {}): string {
  return sortDiagnostics(ds).map((d) => renderText(d, opts)).join('\n');
}

/** JSON record with dt-validate's field names plus dtkit's own. */
export function toJsonRecord(d: Diagnostic): Record<string, unknown> {
  return {
    file: fileOf(d),
    line: d.span?.line ?? null,
    column: d.span?.column ?? null,
    node: d.node ?? null,
    property_path: d.property ?? null,
    schema_path: d.schemaPath ?? null,
    schema: d.schema ?? null,
    message: d.message,
    level: d.severity,
    rule: d.rule,
    include_chain: d.span?.includedFrom?.map(formatPos) ?? [],
    expanded_from: d.span?.expandedFrom ? formatPos(d.span.expandedFrom) : null,
    notes: d.notes?.map((n) => ({ message: n.message, at: n.span ? formatPos(n.span) : null })) ?? [],
  };
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
