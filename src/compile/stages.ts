// The check stage after parsing: dtc's table, whose reference rows resolve references
// (tree/refs.ts) at dtc's place in the table. Kept apart so compile.ts reads like dtc.c's
// main.
import { runChecks } from '../checks/run.js';
import { dtcChecks } from '../checks/table.js';
import type { DtcVersion } from '../checks/table.js';
import type { CheckLevel } from '../checks/types.js';
import type { Diagnostics } from '../report/diagnostic.js';
import type { Tree } from '../tree/model.js';

export interface CheckStageOptions {
  symbols?: boolean;
  levels?: Map<string, CheckLevel>;
  /** whose table runs (default dtc 1.8.1's) */
  dtcVersion?: DtcVersion;
}

/** Resolves references and runs the checks; false when an error-level row failed
 *  (dtc: "Input tree has errors, aborting"). */
export function checkAndResolve(tree: Tree, diags: Diagnostics, opts: CheckStageOptions): boolean {
  const result = runChecks(tree, { checks: dtcChecks(opts.dtcVersion), options: { levels: opts.levels, symbols: opts.symbols } });
  diags.merge(result.diagnostics);
  return result.failed.size === 0;
}
