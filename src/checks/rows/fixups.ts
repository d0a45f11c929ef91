// dtc's fixup rows: they edit the tree (assign phandles, fill references, drop unused
// /omit-if-no-ref/ nodes, delete redundant "name" properties). The passes themselves live
// in src/compile/resolve.ts (one implementation); these rows only schedule them at
// dtc's place in the table and re-tag what they report with the row's id and level.
import { resolvePasses } from '../../compile/resolve.js';
import { Diagnostics } from '../../report/diagnostic.js';
import type { Check } from '../types.js';

type FixupId = 'explicit_phandles' | 'name_properties' | 'phandle_references' | 'path_references' | 'omit_unused_nodes';

function fixupRow(id: FixupId, description: string, requires?: string[]): Check {
  return {
    id,
    level: 'error',
    ...(requires ? { requires } : {}),
    description,
    mutates: true,
    tree(ctx) {
      const diags = new Diagnostics();
      resolvePasses({ symbols: ctx.options.symbols })[id](ctx.tree, diags);
      // the passes name a property only where dtc does (FAIL_PROP)
      for (const { rule: _rule, severity: _severity, ...rest } of diags.items) ctx.reportDiagnostic?.(rest);
    },
  };
}

export const nameProperties = fixupRow('name_properties', 'a "name" property matches the node name (and is dropped)', ['name_is_string']);
export const explicitPhandles = fixupRow('explicit_phandles', 'phandle / linux,phandle values are valid, unique and agree');
export const phandleReferences = fixupRow('phandle_references', '&label references in cells resolve', ['duplicate_node_names', 'explicit_phandles']);
export const pathReferences = fixupRow('path_references', '&label references outside cells resolve', ['duplicate_node_names']);
export const omitUnusedNodes = fixupRow('omit_unused_nodes', '/omit-if-no-ref/ nodes nobody references are dropped', ['phandle_references', 'path_references']);

export const fixupRows: Check[] = [nameProperties, explicitPhandles, phandleReferences, pathReferences, omitUnusedNodes];
