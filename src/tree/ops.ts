// Tree edits with dtc's live-tree semantics (facts about dtc's behaviour that output
// order depends on): labels are prepended and revived rather than duplicated; deleting
// marks in place; merging a redefinition keeps the original positions of properties and
// children and revives deleted ones where they stood.
import type { Label, SpanLocator } from './model.js';
import { Node, Property } from './model.js';
import { LabelEntry, Located } from './located.js';

/** dtc's add_label: revives a label of that name, or prepends a new one (returned). */
function addLabelEntry(labels: Label[], name: string): LabelEntry | undefined {
  for (const l of labels) {
    if (l.name === name) {
      l.deleted = false;
      return undefined;
    }
  }
  const entry = new LabelEntry(name);
  labels.unshift(entry);
  return entry;
}

export function addLabel(labels: Label[], name: string, span?: Label['span']): void {
  const entry = addLabelEntry(labels, name);
  if (entry && span) entry.span = span;
}

/** addLabel with the span deferred until read (see Located). */
export function addLabelAt(labels: Label[], name: string, from: SpanLocator, offset: number, length: number): void {
  addLabelEntry(labels, name)?.deferSpan(from, offset, length);
}

/** addLabel of `label`'s name, taking its span without computing it. */
function addLabelLike(labels: Label[], label: Label): void {
  const entry = addLabelEntry(labels, label.name);
  if (!entry) return;
  if (label instanceof Located) entry.copySpanFrom(label);
  else if (label.span) entry.span = label.span;
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

export function deleteNode(node: Node): void {
  node.deleted = true;
  for (const p of node.properties) deleteProperty(p);
  for (const c of node.children) deleteNode(c);
  deleteLabels(node.labels);
}

export function deleteNodeByName(parent: Node, name: string): void {
  const c = parent.getChild(name);
  if (c) deleteNode(c);
}

/**
 * Merges `update` (a redefinition parsed as a detached node, possibly carrying
 * deleted-property / deleted-node markers) into `target`. `update` is consumed.
 */
export function mergeNodes(target: Node, update: Node): Node {
  target.deleted = false;
  // dtc walks the new label list (newest first) and prepends each one
  for (const l of update.labels) if (!l.deleted) addLabelLike(target.labels, l);
  if (update.omitIfNoRef) target.omitIfNoRef = true;

  for (const np of update.properties) {
    if (np.deleted) {
      deletePropertyByName(target, np.name);
      continue;
    }
    const old = target.properties.find((p) => p.name === np.name);
    if (old) {
      for (const l of np.labels) if (!l.deleted) addLabelLike(old.labels, l);
      old.value = np.value;
      old.copySpanFrom(np);
      old.deleted = false;
    } else {
      target.addProperty(np);
    }
  }

  for (const nc of update.children) {
    if (nc.deleted) {
      deleteNodeByName(target, nc.name);
      continue;
    }
    const old = target.children.find((c) => c.name === nc.name);
    if (old) mergeNodes(old, nc);
    else target.addChild(nc);
  }
  return target;
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
