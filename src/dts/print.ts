// DTS text of a tree, exactly as dtc 1.6.1 writes it (`dtc -O dts`): `/dts-v1/;`, the
// memory reservations, then the nodes one tab per level, properties before children,
// a blank line before each child, live labels in list order. Values: see print-value.ts.
import type { Label, Node, Tree } from '../tree/model.js';
import { valueText } from './print-value.js';

export interface PrintDtsOptions {
  /** unused for now: dtc 1.6.1 prints no `/plugin/;` line even for overlays */
  readonly _reserved?: never;
}

function hex16(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;
}

function labelsText(labels: readonly Label[]): string {
  let s = '';
  for (const l of labels) if (!l.deleted) s += `${l.name}: `;
  return s;
}

/** Text of a node and its subtree (string concatenation: V8 ropes beat array joins
 *  here). Depth first with an explicit stack: nesting depth is the input's. */
function nodeText(root: Node): string {
  let s = '';
  // a node to open, or (node === null) a closing line at `level`
  const stack: Array<{ node: Node | null; level: number }> = [{ node: root, level: 0 }];
  while (stack.length) {
    const { node, level } = stack.pop()!;
    const indent = '\t'.repeat(level);
    if (!node) {
      s += `${indent}};\n`;
      continue;
    }
    if (level > 0) s += '\n';
    s += `${indent}${labelsText(node.labels)}${node.name || '/'} {\n`;
    const inner = `${indent}\t`;
    for (const p of node.properties) {
      if (p.deleted) continue;
      s += `${inner}${labelsText(p.labels)}${p.name}${valueText(p.value)}\n`;
    }
    stack.push({ node: null, level });
    for (let i = node.children.length - 1; i >= 0; i--) {
      if (!node.children[i].deleted) stack.push({ node: node.children[i], level: level + 1 });
    }
  }
  return s;
}

export function printDts(tree: Tree, _opts: PrintDtsOptions = {}): string {
  let s = '/dts-v1/;\n\n';
  for (const r of tree.memreserves) {
    s += `${r.labels.map((l) => `${l}: `).join('')}/memreserve/\t${hex16(r.address)} ${hex16(r.size)};\n`;
  }
  return tree.root.deleted ? s : s + nodeText(tree.root);
}
