// The overlay transforms in dtc's order (dtc.c, after the checks): `__symbols__` for -@,
// then, for a /plugin/ source, `__fixups__` and `__local_fixups__`.
import type { Diagnostics } from '../../report/diagnostic.js';
import type { Tree } from '../../tree/model.js';
import { generateFixups, generateLocalFixups } from './fixups.js';
import type { PhandleFormat } from '../../tree/phandles.js';
import { generateSymbols } from './symbols.js';

export interface OverlayNodeOptions {
  /** dtc -@ */
  symbols: boolean;
  /** dtc -H (default epapr) */
  phandleFormat?: PhandleFormat;
}

export function addOverlayNodes(tree: Tree, diags: Diagnostics, opts: OverlayNodeOptions): void {
  if (opts.symbols) generateSymbols(tree, diags, { phandleFormat: opts.phandleFormat });
  if (tree.plugin) {
    generateFixups(tree, diags);
    generateLocalFixups(tree, diags);
  }
}

/**
 * The same, for a tree the compile pipeline returned: runs only the transforms whose node
 * is not there yet, so it is a no-op once the pipeline makes them itself.
 */
export function ensureOverlayNodes(tree: Tree, diags: Diagnostics, opts: OverlayNodeOptions): void {
  const has = (name: string): boolean => tree.root.getChild(name) !== undefined;
  if (opts.symbols && !has('__symbols__')) generateSymbols(tree, diags, { phandleFormat: opts.phandleFormat });
  if (tree.plugin && !has('__fixups__') && !has('__local_fixups__')) {
    generateFixups(tree, diags);
    generateLocalFixups(tree, diags);
  }
}
