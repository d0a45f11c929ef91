// `/__symbols__` (dtc -@) and `/aliases` from labels (dtc -A): one property per node label,
// named after the label, holding the node's path. Facts of dtc 1.6.1 this reproduces:
// the node is reused when the tree already has it, else appended as the root's last
// child; nodes are visited depth first, a node's labels in its list order (newest first);
// a label that is already a property there is skipped with a warning; and for
// `__symbols__` every labelled node gets a phandle (so an overlay can refer to it).
import type { Diagnostics } from '../../report/diagnostic.js';
import type { Tree } from '../../tree/model.js';
import { Node, Property } from '../../tree/model.js';
import { ValueBuilder } from '../../tree/value.js';
import type { PhandleFormat } from '../../tree/phandles.js';
import { PhandleAllocator } from '../../tree/phandles.js';

export const SYMBOLS_RULE = 'overlay_symbols';

export interface LabelTreeOptions {
  /** root child that receives the label properties (`__symbols__`, `aliases`) */
  nodeName: string;
  /** give every labelled node a phandle (true for `__symbols__`) */
  allocatePhandles: boolean;
  phandleFormat?: PhandleFormat;
}

/** The root child named `name`, created as the root's last child when absent. */
export function rootChild(tree: Tree, name: string): Node {
  return childOrNew(tree.root, name);
}

/** dtc's build_root_node: the live child named exactly `name`, or a new last child. */
export function childOrNew(parent: Node, name: string): Node {
  const existing = parent.getChild(name);
  if (existing) return existing;
  return parent.addChild(new Node(name));
}

function pathValue(path: string) {
  return new ValueBuilder().type('string').string(path).build();
}

export function generateLabelTree(tree: Tree, diags: Diagnostics, opts: LabelTreeOptions): void {
  // dtc asks whether any live node has a label list at all (deleted labels count)
  const nodes = tree.walk();
  if (!nodes.some((n) => n.labels.length > 0)) return;
  const target = rootChild(tree, opts.nodeName);
  const phandles = opts.allocatePhandles ? new PhandleAllocator(tree, opts.phandleFormat) : undefined;
  // names of the target's live properties: one lookup per label, however many there are
  const taken = new Set<string>();
  for (const p of target.properties) if (!p.deleted) taken.add(p.name);
  for (const node of nodes) {
    if (node.labels.length === 0) continue;
    let path: string | undefined;
    for (const label of node.labels) {
      if (label.deleted) continue;
      if (taken.has(label.name)) {
        diags.warning(SYMBOLS_RULE, `label ${label.name} already exists in /${target.name}`, label.span, {
          node: node.path,
        });
        continue;
      }
      target.addProperty(new Property(label.name, pathValue(path ??= node.path)));
      taken.add(label.name);
    }
    phandles?.phandleOf(node);
    // a phandle given to the target itself is a property a later label must not reuse
    if (node === target) for (const p of target.properties) if (!p.deleted) taken.add(p.name);
  }
}

/** dtc -@: `/__symbols__` with a phandle on every labelled node. */
export function generateSymbols(tree: Tree, diags: Diagnostics, opts: { phandleFormat?: PhandleFormat } = {}): void {
  generateLabelTree(tree, diags, { nodeName: '__symbols__', allocatePhandles: true, phandleFormat: opts.phandleFormat });
}

/** dtc -A: `/aliases` entries for every label, without forcing phandles. */
export function generateAutoAliases(tree: Tree, diags: Diagnostics): void {
  generateLabelTree(tree, diags, { nodeName: 'aliases', allocatePhandles: false });
}
