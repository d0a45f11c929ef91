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

function printNode(node: Node, level: number, out: string[]): void {
  const indent = '\t'.repeat(level);
  out.push(`${indent}${labelsText(node.labels)}${node.name || '/'} {\n`);
  const inner = `${indent}\t`;
  for (const p of node.properties) {
    if (p.deleted) continue;
    out.push(`${inner}${labelsText(p.labels)}${p.name}${valueText(p.value)}\n`);
  }
  for (const c of node.children) {
    if (c.deleted) continue;
    out.push('\n');
    printNode(c, level + 1, out);
  }
  out.push(`${indent}};\n`);
}

export function printDts(tree: Tree, _opts: PrintDtsOptions = {}): string {
  const out: string[] = ['/dts-v1/;\n\n'];
  for (const r of tree.memreserves) {
    out.push(`${r.labels.map((l) => `${l}: `).join('')}/memreserve/\t${hex16(r.address)} ${hex16(r.size)};\n`);
  }
  if (!tree.root.deleted) printNode(tree.root, 0, out);
  return out.join('');
}
