// Runs check rows the way dtc's process_checks/run_check does: rows in table order,
// each row's prerequisites first (recursively); a row whose prerequisite did not pass
// is skipped with "Failed prerequisite '<id>'" (printed only when the row is enabled).
// Prerequisites run even when switched off: they still gate the rows that need them.
// As in dtc, the first error-level failure ends the run: later rows (and later
// prerequisites of the row being run) are not run at all.
import type { Diagnostic, Severity } from '../report/diagnostic.js';
import type { Node, Tree } from '../tree/model.js';
import { CheckFacts } from './facts.js';
import type { Check, CheckContext, CheckLevel, CheckOptions, CheckReport, CheckResult } from './types.js';

export { parseCheckSwitch, resolveCheckLevels } from './switches.js';
export type { CheckSwitch } from './switches.js';

export interface RunChecksOptions {
  /** the table: rows to run, in order (dtc's: table.ts; a vendor's: its own folder) */
  checks: Check[];
  options?: CheckOptions;
  /** file the findings belong to when a node has no span (e.g. a DTB input) */
  file?: string;
}

type Status = 'passed' | 'failed' | 'prereq';

interface RunState {
  tree: Tree;
  options: CheckOptions;
  file?: string;
  byId: Map<string, Check>;
  status: Map<string, Status>;
  inProgress: Set<string>;
  facts: CheckFacts;
  diagnostics: Diagnostic[];
  failed: Set<string>;
  /** findings emitted per row (listed or not) */
  emitted: Map<string, number>;
}

export function runChecks(tree: Tree, opts: RunChecksOptions): CheckResult {
  const checks = opts.checks;
  const state: RunState = {
    tree,
    options: opts.options ?? {},
    file: opts.file,
    byId: new Map(checks.map((c) => [c.id, c])),
    status: new Map(),
    inProgress: new Set(),
    facts: new CheckFacts(tree),
    diagnostics: [],
    failed: new Set(),
    emitted: new Map(),
  };
  let error = false;
  for (const c of checks) {
    if (error) break;
    if (levelOf(state, c) !== 'off') error = runCheck(state, c);
  }
  return { diagnostics: state.diagnostics, failed: state.failed };
}

function levelOf(state: RunState, c: Check): CheckLevel {
  return state.options.levels?.get(c.id) ?? c.level;
}

/** Findings one row lists in one run; the rest are counted in one more finding. Some of
 *  dtc's rows report pairs (10,000 copies of one property are 50 million findings of
 *  duplicate_property_names); real boards stay far below (19,388 findings over all of
 *  the kernel's arm64 boards together). */
export const MAX_FINDINGS_PER_CHECK = 10_000;

function emit(state: RunState, c: Check, level: CheckLevel, d: Omit<Diagnostic, 'rule' | 'severity'>): void {
  if (level === 'off') return;
  const n = (state.emitted.get(c.id) ?? 0) + 1;
  state.emitted.set(c.id, n);
  if (n > MAX_FINDINGS_PER_CHECK) return;
  const out: Diagnostic = { rule: c.id, severity: level as Severity, ...d };
  if (!out.span && !out.file && state.file) out.file = state.file;
  state.diagnostics.push(out);
}

/** One finding for what emit did not list of this row. */
function summarizeUnlisted(state: RunState, c: Check, level: CheckLevel): void {
  const n = (state.emitted.get(c.id) ?? 0) - MAX_FINDINGS_PER_CHECK;
  if (n <= 0 || level === 'off') return;
  const out: Diagnostic = { rule: c.id, severity: level as Severity, message: `and ${n} more ${c.id} findings, not listed (${MAX_FINDINGS_PER_CHECK} are)` };
  if (state.file) out.file = state.file;
  state.diagnostics.push(out);
}

/** Returns true when this row (or a prerequisite) ended in an error-level failure. */
function runCheck(state: RunState, c: Check): boolean {
  const level = levelOf(state, c);
  let error = false;
  if (!state.status.has(c.id) && !state.inProgress.has(c.id)) {
    state.inProgress.add(c.id);
    for (const id of c.requires ?? []) {
      const pre = state.byId.get(id);
      if (!pre) continue; // a row set without that prerequisite: nothing gates on it
      error ||= runCheck(state, pre);
      if (state.status.get(id) !== 'passed') {
        state.status.set(c.id, 'prereq');
        emit(state, c, level, { message: `Failed prerequisite '${id}'` });
      }
    }
    if (!state.status.has(c.id)) runRow(state, c, level);
    state.inProgress.delete(c.id);
  }
  if (state.status.get(c.id) !== 'passed' && level === 'error') {
    state.failed.add(c.id);
    error = true;
  }
  return error;
}

function runRow(state: RunState, c: Check, level: CheckLevel): void {
  let failed = false;
  const ctx: CheckContext = {
    tree: state.tree,
    options: state.options,
    level,
    facts: state.facts,
    report(node: Node, message: string, extra: CheckReport = {}): void {
      failed = true;
      const prop = extra.property;
      const switched = state.options.levels?.has(c.id) ?? false;
      emit(state, c, extra.asError && !switched && level !== 'off' ? 'error' : level, {
        message,
        node: node.path,
        ...(prop ? { property: prop.name } : {}),
        ...(prop && extra.element !== undefined ? { element: extra.element } : {}),
        span: extra.span ?? prop?.span ?? node.span,
        ...(extra.notes ? { notes: extra.notes } : {}),
      });
    },
    reportDiagnostic(d): void {
      failed = true;
      emit(state, c, level, d);
    },
  };
  c.tree?.(ctx);
  if (c.node) for (const node of c.property ? state.facts.nodesWith(c.property) : state.facts.nodes()) c.node(ctx, node);
  if (c.mutates) state.facts.invalidate();
  summarizeUnlisted(state, c, level);
  state.status.set(c.id, failed ? 'failed' : 'passed');
}
