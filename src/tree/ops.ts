// Tree edits with dtc's live-tree semantics (facts about dtc's behaviour that output
// order depends on): labels are prepended and revived rather than duplicated; deleting
// marks in place; merging a redefinition keeps the original positions of properties and
// children and revives deleted ones where they stood.
// Every walk here uses an explicit stack, and every lookup into a long list goes through
// a name index: nesting depth and list lengths are the input's, so neither may cost a
// stack frame per level or a scan per item.
import type { Label, SpanLocator } from './model.js';
import { Node, Property, liveNodes } from './model.js';
import { LabelEntry, Located } from './located.js';
import { depthFirst } from './walk.js';

/** Lists shorter than this are scanned; longer ones get a name index. */
const INDEX_FROM = 32;

/** A name index carried by a label list itself (valid while the list keeps its length:
 *  lists change only through the functions here, which keep the index in step). */
const LABEL_INDEX = Symbol('labelIndex');
type IndexedLabels = Label[] & { [LABEL_INDEX]?: { size: number; byName: Map<string, Label> } };

function findLabel(labels: Label[], name: string): Label | undefined {
  if (labels.length < INDEX_FROM) {
    for (const l of labels) if (l.name === name) return l;
    return undefined;
  }
  const list = labels as IndexedLabels;
  let index = list[LABEL_INDEX];
  if (!index || index.size !== labels.length) {
    const byName = new Map<string, Label>();
    // first in list order wins, as a front-to-back scan would find it
    for (let i = labels.length - 1; i >= 0; i--) byName.set(labels[i].name, labels[i]);
    index = { size: labels.length, byName };
    Object.defineProperty(list, LABEL_INDEX, { value: index, writable: true, configurable: true, enumerable: false });
  }
  return index.byName.get(name);
}

/** dtc's add_label for each of `items` in turn: a label of that name is revived, a new
 *  one prepended (so the last new item ends up first). One pass for the whole batch. */
function addLabelEntries<T>(labels: Label[], items: readonly T[], nameOf: (item: T) => string, made: (entry: LabelEntry, item: T) => void): void {
  if (items.length === 1 && labels.length < INDEX_FROM) {
    // the common case: one label on a node with few
    const name = nameOf(items[0]);
    const old = findLabel(labels, name);
    if (old) old.deleted = false;
    else {
      const entry = new LabelEntry(name);
      made(entry, items[0]);
      labels.unshift(entry);
    }
    return;
  }
  const fresh: LabelEntry[] = [];
  const freshByName = new Map<string, LabelEntry>();
  for (const item of items) {
    const name = nameOf(item);
    const old = findLabel(labels, name) ?? freshByName.get(name);
    if (old) {
      old.deleted = false;
      continue;
    }
    const entry = new LabelEntry(name);
    made(entry, item);
    fresh.push(entry);
    freshByName.set(name, entry);
  }
  if (fresh.length === 0) return;
  const list = labels as IndexedLabels;
  const index = labels.length >= INDEX_FROM ? list[LABEL_INDEX] : undefined;
  if (fresh.length === 1) labels.unshift(fresh[0]);
  else {
    const rest = labels.splice(0, labels.length);
    for (let i = fresh.length - 1; i >= 0; i--) labels.push(fresh[i]);
    for (const l of rest) labels.push(l);
  }
  if (index && index.size === labels.length - fresh.length) {
    for (const e of fresh) index.byName.set(e.name, e);
    index.size = labels.length;
  }
}

export function addLabel(labels: Label[], name: string, span?: Label['span']): void {
  addLabelEntries(labels, [name], (n) => n, (entry) => {
    if (span) entry.span = span;
  });
}

/** addLabel with the span deferred until read (see Located). */
export function addLabelAt(labels: Label[], name: string, from: SpanLocator, offset: number, length: number): void {
  addLabelEntries(labels, [name], (n) => n, (entry) => entry.deferSpan(from, offset, length));
}

/** A label as the parser saw it: its name and where it was written. */
export interface LabelSite {
  name: string;
  from: SpanLocator;
  offset: number;
  length: number;
}

/** addLabelAt for each site in turn (one pass, however many labels a node carries). */
export function addLabelsAt(labels: Label[], sites: readonly LabelSite[]): void {
  addLabelEntries(labels, sites, (s) => s.name, (entry, s) => entry.deferSpan(s.from, s.offset, s.length));
}

/** addLabel of each of `from`'s live labels in turn, taking spans without computing them. */
function addLabelsLike(labels: Label[], from: readonly Label[]): void {
  addLabelEntries(labels, from.filter((l) => !l.deleted), (l) => l.name, (entry, label) => {
    if (label instanceof Located) entry.copySpanFrom(label);
    else if (label.span) entry.span = label.span;
  });
}

function deleteLabels(labels: Label[]): void {
  for (const l of labels) l.deleted = true;
}

export function deleteProperty(p: Property): void {
  p.deleted = true;
  deleteLabels(p.labels);
}

export function deletePropertyByName(node: Node, name: string): void {
  for (const p of node.properties) if (!p.deleted && p.name === name) deleteProperty(p);
}

/** Marks the node and everything below it deleted. */
export function deleteNode(node: Node): void {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.deleted = true;
    for (const p of n.properties) deleteProperty(p);
    for (const c of n.children) stack.push(c);
    deleteLabels(n.labels);
  }
}

export function deleteNodeByName(parent: Node, name: string): void {
  const c = parent.getChild(name);
  if (c) deleteNode(c);
}

/** Items of a list by name, in list order (for long lists; kept current as items are added). */
class NameIndex<T extends { name: string }> {
  private readonly m = new Map<string, T[]>();
  constructor(list: readonly T[]) {
    for (const x of list) this.added(x);
  }
  added(x: T): void {
    const l = this.m.get(x.name);
    if (l) l.push(x);
    else this.m.set(x.name, [x]);
  }
  all(name: string): readonly T[] {
    return this.m.get(name) ?? [];
  }
}

/** Told which labels (by name) a merge gave to which node of the tree. */
export type LabelsAdded = (node: Node, labels: readonly Label[]) => void;

/** One node pair being merged. */
interface MergeFrame {
  target: Node;
  update: Node;
  children?: NameIndex<Node>;
}

/**
 * Merges `update` (a redefinition parsed as a detached node, possibly carrying
 * deleted-property / deleted-node markers) into `target`. `update` is consumed.
 * Depth first in exactly the order a recursive merge takes (see depthFirst).
 */
export function mergeNodes(target: Node, update: Node, onLabels?: LabelsAdded): Node {
  depthFirst(enterMerge(target, update, onLabels), (f) => f.update.children.length, (f, i) => {
    const nc = f.update.children[i];
    if (nc.deleted) {
      const live = f.children ? f.children.all(nc.name).find((c) => !c.deleted) : f.target.getChild(nc.name);
      if (live) deleteNode(live);
      return undefined;
    }
    const old = f.children ? f.children.all(nc.name)[0] : f.target.children.find((c) => c.name === nc.name);
    if (old) return enterMerge(old, nc, onLabels);
    f.target.addChild(nc);
    f.children?.added(nc);
    if (onLabels) for (const n of liveNodes(nc)) if (n.labels.length) onLabels(n, n.labels);
    return undefined;
  });
  return target;
}

/** The node's own part of a merge (labels, flags, properties); children are the caller's. */
function enterMerge(target: Node, update: Node, onLabels: LabelsAdded | undefined): MergeFrame {
  target.deleted = false;
  // dtc walks the new label list (newest first) and prepends each one
  addLabelsLike(target.labels, update.labels);
  if (onLabels && update.labels.length) onLabels(target, update.labels);
  if (update.omitIfNoRef) target.omitIfNoRef = true;

  const props = target.properties.length + update.properties.length >= INDEX_FROM ? new NameIndex(target.properties) : undefined;
  for (const np of update.properties) {
    if (np.deleted) {
      if (!props) deletePropertyByName(target, np.name);
      else for (const p of props.all(np.name)) if (!p.deleted) deleteProperty(p);
      continue;
    }
    const old = props ? props.all(np.name)[0] : target.properties.find((p) => p.name === np.name);
    if (old) {
      addLabelsLike(old.labels, np.labels);
      old.value = np.value;
      old.copySpanFrom(np);
      old.deleted = false;
    } else {
      target.addProperty(np);
      props?.added(np);
    }
  }
  const children = target.children.length + update.children.length >= INDEX_FROM ? new NameIndex(target.children) : undefined;
  return { target, update, children };
}

/** A property marked for deletion, as `/delete-property/ name;` records it in a node body. */
export function deletionMarkerProperty(name: string, span?: Property['span']): Property {
  const p = new Property(name, undefined, span);
  p.deleted = true;
  return p;
}

/** A child marked for deletion, as `/delete-node/ name;` records it in a node body. */
export function deletionMarkerNode(name: string, span?: Node['span']): Node {
  const n = new Node(name, span);
  n.deleted = true;
  return n;
}
