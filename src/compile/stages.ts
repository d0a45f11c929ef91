// The stages after parsing that other parts of dtkit provide: the check table (with the
// resolve passes as its fixup rows) and the overlay nodes. Kept apart so compile.ts reads
// like dtc.c's main.
import type { CheckLevel } from '../checks/types.js';
import { Diagnostics } from '../report/diagnostic.js';
import type { Tree } from '../tree/model.js';
import { resolveTree } from './resolve.js';

export interface CheckStageOptions {
  symbols?: boolean;
  levels?: Map<string, CheckLevel>;
}

/** Resolves references and runs the checks; false when an error-level check failed
 *  (dtc: "Input tree has errors, aborting"). */
export function checkAndResolve(tree: Tree, diags: Diagnostics, opts: CheckStageOptions): boolean {
  const local = new Diagnostics();
  resolveTree(tree, local, { symbols: opts.symbols });
  diags.merge(local);
  return !local.hasErrors;
}

/** __symbols__ (-@) and, for plugins, __fixups__ / __local_fixups__. */
export function addOverlayNodes(_tree: Tree, _diags: Diagnostics, _opts: { symbols: boolean }): void {
  // filled in when src/overlay lands
}
