// dtc's rows that edit the tree: name_properties drops a redundant "name" property;
// explicit_phandles takes phandle values; phandle_references, path_references and
// omit_unused_nodes (dtc's fixup_* checks) fill references in and drop unused
// /omit-if-no-ref/ nodes. The reference passes live in the tree layer (tree/refs.ts, one
// implementation); these rows schedule them at dtc's place in the table and re-tag what
// they report with the row's id and level.
import { Diagnostics } from '../../report/diagnostic.js';
import type { Tree } from '../../tree/model.js';
import { explicitPhandles, omitUnusedNodes, pathReferences, phandleReferences } from '../../tree/refs.js';
import type { Check, CheckContext } from '../types.js';
import { printfString } from '../values.js';

type ReferenceId = 'explicit_phandles' | 'phandle_references' | 'path_references' | 'omit_unused_nodes';

function referenceRow(id: ReferenceId, description: string, requires: string[] | undefined, pass: (tree: Tree, diags: Diagnostics, ctx: CheckContext) => void): Check {
  return {
    id,
    level: 'error',
    ...(requires ? { requires } : {}),
    description,
    mutates: true,
    tree(ctx) {
      const diags = new Diagnostics();
      pass(ctx.tree, diags, ctx);
      // the passes name a property only where dtc does (FAIL_PROP)
      for (const { rule: _rule, severity: _severity, ...rest } of diags.items) ctx.reportDiagnostic?.(rest);
    },
  };
}

/** name_properties: a `name` property equal to the node's base name is redundant and dropped. */
export const nameProperties: Check = {
  id: 'name_properties',
  level: 'error',
  requires: ['name_is_string'],
  description: 'a "name" property matches the node name (and is dropped)',
  mutates: true,
  node(ctx, node) {
    const i = node.properties.findIndex((p) => p.name === 'name');
    if (i < 0) return;
    const prop = node.properties[i];
    const b = prop.value.bytes;
    const base = node.baseName;
    let same = b.length === base.length + 1;
    for (let k = 0; same && k < base.length; k++) same = b[k] === (base.charCodeAt(k) & 0xff);
    if (same) node.properties.splice(i, 1);
    else ctx.report(node, `"name" property is incorrect ("${printfString(prop.value)}" instead of base node name)`, { span: prop.span });
  },
};

export const explicitPhandlesRow = referenceRow('explicit_phandles', 'phandle / linux,phandle values are valid, unique and agree', undefined, explicitPhandles);
export const phandleReferencesRow = referenceRow('phandle_references', '&label references in cells resolve', ['duplicate_node_names', 'explicit_phandles'], phandleReferences);
export const pathReferencesRow = referenceRow('path_references', '&label references outside cells resolve', ['duplicate_node_names'], pathReferences);
export const omitUnusedNodesRow = referenceRow('omit_unused_nodes', '/omit-if-no-ref/ nodes nobody references are dropped', ['phandle_references', 'path_references'],
  (tree, diags, ctx) => omitUnusedNodes(tree, diags, { symbols: ctx.options.symbols }));

export const referenceRows: Check[] = [nameProperties, explicitPhandlesRow, phandleReferencesRow, pathReferencesRow, omitUnusedNodesRow];
