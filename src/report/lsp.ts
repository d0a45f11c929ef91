// Findings as the Language Server Protocol's diagnostics, one list per file: the editor's
// renderer of the report stage (beside text, JSON, SARIF and GitHub). A finding inside a
// macro expansion is shown where the macro was invoked (the place the user wrote), with
// the macro body as related information; the include chain and the notes are related
// information too. LSP columns count UTF-16 code units; dtkit's count the bytes of the
// line (text is read as latin1), so lines with non-ASCII text are converted.
import * as path from 'node:path';
import type { Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, Position, Range } from 'vscode-languageserver';
import type { Diagnostic } from './diagnostic.js';
import { subjectOf } from './render.js';
import { clipText } from './safe-text.js';
import type { SourcePos, SourceSpan } from './source.js';
import { isPseudoFile } from './source.js';

export interface LspRenderOptions {
  /** the text of `file`'s line (1-based) as dtkit read it (latin1), for column conversion */
  lineText?: (file: string, line: number) => string | undefined;
  /** `file` as a URI */
  uriOf: (file: string) => string;
  /** where findings without a span belong (the board, the input) */
  fallbackFile: string;
}

/** 1 error, 2 warning, 3 information (LSP's DiagnosticSeverity). */
const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

/** A file name as one key: absolute, normalised. */
export function fileKey(file: string): string {
  return path.resolve(file);
}

/** LSP character of byte column `column` (1-based) on a latin1 line. */
export function utf16Column(line: string | undefined, column: number): number {
  const prefix = line?.slice(0, Math.max(0, column - 1));
  // eslint-disable-next-line no-control-regex
  if (prefix === undefined || /^[\x00-\x7f]*$/.test(prefix)) return Math.max(0, column - 1);
  return Buffer.from(prefix, 'latin1').toString('utf8').length;
}

export function lspPosition(pos: SourcePos, lineText?: LspRenderOptions['lineText']): Position {
  return { line: Math.max(0, pos.line - 1), character: utf16Column(lineText?.(pos.file, pos.line), pos.column) };
}

export function lspRange(span: SourceSpan | SourcePos, lineText?: LspRenderOptions['lineText']): Range {
  const start = lspPosition(span, lineText);
  const length = 'length' in span ? span.length : 0;
  // a span of unknown length marks one character
  const end = length > 0 ? lspPosition({ file: span.file, line: span.line, column: span.column + length }, lineText) : { line: start.line, character: start.character + 1 };
  return { start, end };
}

/** The outermost macro invocation a span's text came from (the span itself outside macros). */
export function writtenAt(span: SourceSpan): SourceSpan {
  let s = span;
  while (s.expandedFrom) s = s.expandedFrom;
  return s;
}

function related(d: Diagnostic, span: SourceSpan | undefined, at: SourceSpan | undefined, opts: LspRenderOptions): DiagnosticRelatedInformation[] {
  const out: DiagnosticRelatedInformation[] = [];
  const add = (where: SourceSpan | SourcePos, message: string) => {
    if (isPseudoFile(where.file)) return;
    out.push({ location: { uri: opts.uriOf(where.file), range: lspRange(where, opts.lineText) }, message });
  };
  if (span && at && at !== span) add(span, 'in the expansion of the macro written here');
  for (const inc of at?.includedFrom ?? []) add(inc, 'included from here');
  for (const n of d.notes ?? []) if (n.span) add(writtenAt(n.span), clipText(n.message));
  return out;
}

function unspannedNotes(d: Diagnostic): string {
  const lines = (d.notes ?? []).filter((n) => !n.span).map((n) => `note: ${n.message}`);
  return lines.length ? `\n${lines.join('\n')}` : '';
}

/** Findings grouped by the (normalised) file they are shown in, as LSP diagnostics. */
export function renderLsp(ds: Diagnostic[], opts: LspRenderOptions): Map<string, LspDiagnostic[]> {
  const out = new Map<string, LspDiagnostic[]>();
  for (const d of ds) {
    const at = d.span && writtenAt(d.span);
    const file = at && !isPseudoFile(at.file) ? at.file : d.file && !isPseudoFile(d.file) ? d.file : opts.fallbackFile;
    const range: Range = at && at.file === file ? lspRange(at, opts.lineText) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const rel = related(d, d.span, at, opts);
    const item: LspDiagnostic = {
      range,
      severity: SEVERITY[d.severity],
      code: d.rule,
      source: 'dtkit',
      message: clipText(`${subjectOf(d)}${d.message}${unspannedNotes(d)}`),
      ...(rel.length ? { relatedInformation: rel } : {}),
    };
    const key = fileKey(file);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}
