// Contract for a check table: every check (dtc's structural ones, a vendor's rows) is a
// small named row. The id is at once the message tag, the -W/-E switch and what tests
// assert on. Options that only some rows read are the rows' own: whoever makes the rows
// binds them (e.g. qcom/checks.ts), so the runner carries only what every table shares.
import type { Diagnostic, DiagnosticNote } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { Node, Property, Tree } from '../tree/model.js';
import type { CheckFacts } from './facts.js';

export type CheckLevel = 'error' | 'warning' | 'off';

export interface CheckOptions {
  /** per-id overrides from -W/-E (`-W no-foo` => off, `-E foo` => error, `-W foo` => warning) */
  levels?: Map<string, CheckLevel>;
  /** -@: labelled nodes survive /omit-if-no-ref/ (omit_unused_nodes) */
  symbols?: boolean;
}

export interface CheckReport {
  property?: Property;
  /** the element of `property`'s value the finding is about (see DiagnosticSubject) */
  element?: number;
  span?: SourceSpan;
  notes?: DiagnosticNote[];
  /** this finding is an error although the row's default level is lower (a policy option
   *  makes it fatal); a -W/-E switch of the row still decides, and 'off' stays off */
  asError?: boolean;
}

export interface CheckContext {
  tree: Tree;
  options: CheckOptions;
  /** level this check runs at (after switches) */
  level: CheckLevel;
  /** records a finding for `node` under the running check's id and level */
  report(node: Node, message: string, extra?: CheckReport): void;
  /** what earlier rows learned in this run (#address-cells, bus kinds, phandles);
   *  always set by runChecks */
  facts?: CheckFacts;
  /** records a ready-made finding (e.g. from a reference pass) under the running check */
  reportDiagnostic?(d: Omit<Diagnostic, 'rule' | 'severity'>): void;
}

export interface Check {
  id: string;
  /** default level; 'off' rows run only when switched on */
  level: CheckLevel;
  /** ids that must run (and pass, for error-level prerequisites) first, as in dtc */
  requires?: string[];
  description: string;
  /** called once per live node, parents before children */
  node?(ctx: CheckContext, node: Node): void;
  /** a row about one property: `node` is called only for the nodes that have a live
   *  property of this name (so it must have nothing to say about the others); a table asks
   *  every node for ~40 such names, mostly absent */
  property?: string;
  /** called once for the whole tree (for checks that need global state) */
  tree?(ctx: CheckContext): void;
  /** the row edits the tree (dtc's reference rows): cached lookups are dropped after it */
  mutates?: boolean;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** ids of checks that reported at error level */
  failed: Set<string>;
}
