// /chosen and /aliases.
import type { DtcVersion } from '../table.js';
import type { Check } from '../types.js';
import { printfString, charSet, isOneString, spanOf } from '../values.js';
import { NOT_A_STRING } from './kinds.js';

export const obsoleteChosenInterruptController: Check = {
  id: 'obsolete_chosen_interrupt_controller',
  level: 'warning',
  description: '/chosen has no "interrupt-controller"',
  tree(ctx) {
    const p = ctx.tree.findByPath('/chosen')?.getProperty('interrupt-controller');
    // dtc reports it against the root node, naming the /chosen property
    if (p) ctx.report(ctx.tree.root, '/chosen has obsolete "interrupt-controller" property', { property: p });
  },
};

export const chosenNodeIsRoot: Check = {
  id: 'chosen_node_is_root',
  level: 'warning',
  description: 'a chosen node sits directly under the root',
  node(ctx, node) {
    if (node.name === 'chosen' && node.parent !== ctx.tree.root) ctx.report(node, 'chosen node must be at root node');
  },
};

export const chosenNodeBootargs: Check = {
  id: 'chosen_node_bootargs',
  level: 'warning',
  description: 'chosen bootargs is one string',
  node(ctx, node) {
    if (node.name !== 'chosen') return;
    const p = node.getProperty('bootargs');
    if (p && !isOneString(p.value)) ctx.report(node, NOT_A_STRING, { property: p });
  },
};

export const chosenNodeStdoutPath: Check = {
  id: 'chosen_node_stdout_path',
  level: 'warning',
  description: 'chosen stdout-path (not linux,stdout-path) is one string',
  node(ctx, node) {
    if (node.name !== 'chosen') return;
    let p = node.getProperty('stdout-path');
    if (!p) {
      p = node.getProperty('linux,stdout-path');
      if (!p) return;
      ctx.report(node, "Use 'stdout-path' instead", { property: p });
    }
    if (!isOneString(p.value)) ctx.report(node, NOT_A_STRING, { property: p });
  },
};

const ALIAS_NAME_CHARS = charSet('abcdefghijklmnopqrstuvwxyz0123456789-');

/** dtc 1.8.0+ leaves an overlay's alias paths alone (they may name the base's nodes). */
function aliasPathsRow(v: DtcVersion): Check {
  return {
    id: 'alias_paths',
    level: 'warning',
    description: 'aliases are paths to existing nodes, with lowercase names',
    node(ctx, node) {
      if (node.name !== 'aliases') return;
      const checkPaths = v === '1.6.1' || !ctx.tree.plugin;
      for (const p of node.props) {
        if (p.name === 'phandle' || p.name === 'linux,phandle') continue;
        // dtc reads the value as a C string; an empty value prints as "(null)"
        const path = p.value.bytes.length ? printfString(p.value) : undefined;
        if (checkPaths && (path === undefined || !ctx.tree.findByPath(path))) {
          ctx.report(node, `aliases property is not a valid node (${path ?? '(null)'})`, { property: p });
          continue;
        }
        if (spanOf(p.name, ALIAS_NAME_CHARS) !== p.name.length) {
          ctx.report(node, "aliases property name must include only lowercase and '-'");
        }
      }
    },
  };
}

export const chosenRows: Check[] = [
  obsoleteChosenInterruptController, chosenNodeIsRoot, chosenNodeBootargs, chosenNodeStdoutPath, aliasPathsRow('1.8.1'),
];

/** dtc 1.6.1's forms of the rows above. */
export const chosenRows161: Check[] = [aliasPathsRow('1.6.1')];
