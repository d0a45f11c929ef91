// Suppression comments in device-tree sources, as eslint's disable comments:
//   /* dtkit-disable-next-line RULE[, RULE...] [-- why] */   (or // ...)  the next line
//   /* dtkit-disable-file RULE[, RULE...] [-- why] */                     the whole file
// A directive applies to findings located in the file it is written in (a .dtsi's directive
// to findings in that .dtsi, whichever board includes it), at the finding's own line or at
// a macro invocation it was expanded from. The preprocessor drops comments, so they are
// read from the sources the input stage kept, by the preprocessor's own lexer (what lies
// between its tokens), never by a second, looser scan.
//
// Per input (a directive in a shared .dtsi is judged on each board that reads it): a
// directive's rule that silenced nothing is itself a warning (`suppress_unused`, eslint's
// --report-unused-disable-directives), a directive with no rule or an unknown one an error
// (`suppress_invalid`).
import { sourceComments } from '../preprocessor/index.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import { lineStarts, spanOfOffsets } from '../report/source.js';
import { similarNames } from '../report/suggest.js';
import type { CatalogRule } from '../rules/catalog.js';
import { SUPPRESS_INVALID_RULE, SUPPRESS_UNUSED_RULE, ruleCatalog } from '../rules/catalog.js';

export type DirectiveKind = 'next-line' | 'file';

export interface DirectiveRule {
  id: string;
  span: SourceSpan;
}

export interface SuppressionDirective {
  kind: DirectiveKind;
  file: string;
  /** the directive's name (`dtkit-disable-next-line`) in the file */
  span: SourceSpan;
  rules: DirectiveRule[];
  /** next-line: the line it covers (the one after the comment's end) */
  line?: number;
}

/** The file kinds whose comments may carry directives. */
const SOURCE_FILE = /\.dts[io]?$/;
const DIRECTIVE = /^([\s*]*)dtkit-disable-(next-line|file)(?![\w-])/;
const MARK = 'dtkit-disable-';

/** The directives written in one source file. */
export function findDirectives(file: string, text: string): SuppressionDirective[] {
  if (!SOURCE_FILE.test(file) || !text.includes(MARK)) return [];
  const out: SuppressionDirective[] = [];
  let starts: number[] | undefined;
  for (const c of sourceComments(file, text)) {
    const m = DIRECTIVE.exec(c.body);
    if (!m) continue;
    starts ??= lineStarts(text);
    const bodyAt = c.pos + 2;
    const nameAt = bodyAt + m[1].length;
    const kind = m[2] as DirectiveKind;
    // the rule list ends at ` -- why` (eslint's description) or the comment's end
    const listAt = m[0].length;
    const dashes = c.body.slice(listAt).search(/(^|\s)--(\s|$)/);
    const list = dashes < 0 ? c.body.slice(listAt) : c.body.slice(listAt, listAt + dashes);
    const rules: DirectiveRule[] = [];
    for (const r of list.matchAll(/[^\s,*]+/g)) {
      rules.push({ id: r[0], span: spanOfOffsets(file, starts, bodyAt + listAt + r.index!, bodyAt + listAt + r.index! + r[0].length) });
    }
    const span = spanOfOffsets(file, starts, nameAt, nameAt + m[0].length - m[1].length);
    const lastLine = spanOfOffsets(file, starts, Math.max(c.pos, c.end - 1), 0).line;
    out.push({ kind, file, span, rules, ...(kind === 'next-line' ? { line: lastLine + 1 } : {}) });
  }
  return out;
}

/** Every place a finding is at: its own line and the macro invocations it came from. */
function placesOf(d: Diagnostic): SourceSpan[] {
  const out: SourceSpan[] = [];
  for (let s: SourceSpan | undefined = d.span; s; s = s.expandedFrom) out.push(s);
  return out;
}

export interface SuppressionResult {
  /** the findings no directive silenced */
  kept: Diagnostic[];
  /** how many were silenced */
  suppressed: number;
  /** unused directives (warnings) and directives naming no or unknown rules (errors) */
  findings: Diagnostic[];
}

const directiveName = (k: DirectiveKind) => `dtkit-disable-${k}`;

/**
 * Applies the directives of the files in `sources` (file -> text: the files one input read)
 * to that input's findings. Run after the rule levels: a rule switched off leaves its
 * directives unused, as in eslint.
 */
export function applySuppressions(ds: Diagnostic[], sources: Iterable<[string, string]>, catalog: readonly CatalogRule[] = ruleCatalog()): SuppressionResult {
  const byFile = new Map<string, SuppressionDirective[]>();
  for (const [file, text] of sources) {
    const found = findDirectives(file, text);
    if (found.length) byFile.set(file, found);
  }
  if (byFile.size === 0) return { kept: ds, suppressed: 0, findings: [] };
  const rules = new Map(catalog.map((r) => [r.id, r]));
  const used = new Set<DirectiveRule>();
  const kept: Diagnostic[] = [];
  for (const d of ds) {
    let silenced = false;
    for (const at of placesOf(d)) {
      for (const dir of byFile.get(at.file) ?? []) {
        if (dir.kind === 'next-line' && dir.line !== at.line) continue;
        for (const r of dir.rules) {
          if (r.id === d.rule && rules.get(r.id)?.switching !== 'fixed') {
            used.add(r);
            silenced = true;
          }
        }
      }
    }
    if (!silenced) kept.push(d);
  }
  const findings: Diagnostic[] = [];
  for (const dirs of byFile.values()) {
    for (const dir of dirs) {
      const name = directiveName(dir.kind);
      if (dir.rules.length === 0) {
        findings.push({ rule: SUPPRESS_INVALID_RULE, severity: 'error', span: dir.span, message: `${name} names no rule (write the ids it silences: ${name} RULE[, RULE])` });
      }
      for (const r of dir.rules) {
        const rule = rules.get(r.id);
        if (!rule) {
          const near = similarNames(rules.keys(), r.id);
          findings.push({ rule: SUPPRESS_INVALID_RULE, severity: 'error', span: r.span, message: `${name} names '${r.id}', which is no dtkit rule${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : ''}` });
        } else if (rule.switching === 'fixed') {
          findings.push({ rule: SUPPRESS_INVALID_RULE, severity: 'error', span: r.span, message: `${name} cannot silence '${r.id}': its errors stop the input from loading` });
        } else if (!used.has(r)) {
          const where = dir.kind === 'file' ? 'in this file' : 'on the next line';
          findings.push({ rule: SUPPRESS_UNUSED_RULE, severity: 'warning', span: r.span, message: `unused ${name}: no '${r.id}' finding ${where}` });
        }
      }
    }
  }
  return { kept, suppressed: ds.length - kept.length, findings };
}
