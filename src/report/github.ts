// GitHub Actions workflow commands: one `::error|warning|notice file=F,line=L,col=C,
// endColumn=E,title=RULE::message` line per finding, which the runner turns into an
// annotation on the file and line. Escaping is the runner's (actions/toolkit's
// escapeData/escapeProperty): `%`, CR and LF everywhere, and `:` and `,` in property values,
// so no input can end a command early or add properties. Other control characters are shown
// as in text output (`\x1b`): the job log renders ANSI sequences. Columns are 1-based and
// endColumn is one past the last character, as in SARIF.
import type { Diagnostic, Severity } from './diagnostic.js';
import { sortDiagnostics, subjectOf } from './render.js';
import { escapeControls, clipText } from './safe-text.js';
import { isPseudoFile, pathUnder } from './source.js';

export interface GithubOptions {
  /** file names are given relative to this folder (the checkout) when they lie inside it */
  baseDir?: string;
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Workflow-command data (the message). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow-command property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Input text as a workflow command carries it: CR/LF left to escapeData/escapeProperty. */
function shown(s: string): string {
  return escapeControls(s, { keepLineBreaks: true });
}

function shownFile(file: string, baseDir: string | undefined): string {
  return (baseDir === undefined ? undefined : pathUnder(baseDir, file)) ?? file;
}

/** One annotation; the include chain and notes have no place in a workflow command and are
 *  appended to the message, one line each. */
function command(d: Diagnostic, opts: GithubOptions): string {
  const props: string[] = [];
  const file = d.span?.file ?? d.file;
  if (file !== undefined && !isPseudoFile(file)) props.push(`file=${escapeProperty(shown(shownFile(file, opts.baseDir)))}`);
  if (d.span && file !== undefined) {
    const col = Math.max(1, d.span.column);
    props.push(`line=${d.span.line}`, `col=${col}`, `endColumn=${col + Math.max(1, d.span.length)}`);
  }
  props.push(`title=${escapeProperty(shown(d.rule))}`);
  const lines = [clipText(subjectOf(d) + d.message)];
  for (const n of d.notes ?? []) {
    const at = n.span ? `${shownFile(n.span.file, opts.baseDir)}:${n.span.line}:${n.span.column}: ` : '';
    lines.push(`${at}note: ${clipText(n.message)}`);
  }
  return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(shown(lines.join('\n')))}`;
}

/** The findings as workflow commands, one line each, sorted as in text output. */
export function renderGithub(ds: Diagnostic[], opts: GithubOptions = {}): string {
  return sortDiagnostics(ds).map((d) => `${command(d, opts)}\n`).join('');
}
