// The one tree model every reader fills (DTS, DTB) and every writer, check, validator
// and overlay transform reads. Semantics follow dtc's live tree: deleted nodes and
// properties stay in place, flagged, so that a later redefinition revives them at their
// original position, exactly as dtc orders its output.
import type { SourceSpan } from '../report/source.js';
import type { PropertyValue } from './value.js';
import { EMPTY_VALUE, readU32 } from './value.js';
import { Located } from './located.js';

export { Located, type SpanLocator } from './located.js';

export interface Label {
  name: string;
  deleted: boolean;
  span?: SourceSpan;
}

/** `span`: where the value that is in force was written. */
export class Property extends Located {
  deleted = false;
  /** labels in dtc's list order: most recently added first */
  labels: Label[] = [];
  constructor(
    public name: string,
    public value: PropertyValue = EMPTY_VALUE,
    span?: SourceSpan,
  ) {
    super();
    if (span) this.span = span;
  }
}

/** `span`: where the node was first defined. */
export class Node extends Located {
  deleted = false;
  /** labels in dtc's list order: most recently added first */
  labels: Label[] = [];
  /** includes deleted properties (flagged); use `props` to iterate live ones */
  properties: Property[] = [];
  /** includes deleted children (flagged); use `nodes` to iterate live ones */
  children: Node[] = [];
  parent: Node | null = null;
  /** assigned phandle, 0 when none */
  phandle = 0;
  omitIfNoRef = false;
  referenced = false;
  constructor(
    /** full node name with unit address (`serial@1000`); '' for the root */
    public name: string,
    span?: SourceSpan,
  ) {
    super();
    if (span) this.span = span;
  }

  get props(): Property[] {
    return this.properties.filter((p) => !p.deleted);
  }

  get nodes(): Node[] {
    return this.children.filter((c) => !c.deleted);
  }

  /** Name without the unit address. */
  get baseName(): string {
    const at = this.name.indexOf('@');
    return at < 0 ? this.name : this.name.slice(0, at);
  }

  /** Unit address ('' when none). */
  get unitAddress(): string {
    const at = this.name.indexOf('@');
    return at < 0 ? '' : this.name.slice(at + 1);
  }

  get path(): string {
    return pathOf(this);
  }

  get liveLabels(): string[] {
    return this.labels.filter((l) => !l.deleted).map((l) => l.name);
  }

  /** properties by name for all but short lists: a node with 200,000 properties looked up
   *  once per property must not cost a scan each time, and dtc's check table asks every
   *  node for ~40 names, most of them absent (a scan of the whole list each); checked
   *  against the list before use */
  private propIndex: { list: Property[]; size: number; last: Property; byName: Map<string, Property[]> } | undefined = undefined;

  getProperty(name: string): Property | undefined {
    const props = this.properties;
    if (props.length < 8) {
      for (const p of props) if (!p.deleted && p.name === name) return p;
      return undefined;
    }
    let index = this.propIndex;
    if (!index || index.list !== props || index.size !== props.length || index.last !== props[props.length - 1]) {
      const byName = new Map<string, Property[]>();
      for (const p of props) {
        const l = byName.get(p.name);
        if (l) l.push(p);
        else byName.set(p.name, [p]);
      }
      index = this.propIndex = { list: props, size: props.length, last: props[props.length - 1], byName };
    }
    for (const p of index.byName.get(name) ?? []) if (!p.deleted) return p;
    return undefined;
  }

  getChild(name: string): Node | undefined {
    for (const c of this.children) if (!c.deleted && c.name === name) return c;
    return undefined;
  }

  /** Appends a property (no merge; see ops.ts for dtc's merge semantics). */
  addProperty(p: Property): Property {
    const index = this.propIndex;
    const props = this.properties;
    if (index && index.list === props && index.size === props.length && index.last === props[props.length - 1]) {
      const l = index.byName.get(p.name);
      if (l) l.push(p);
      else index.byName.set(p.name, [p]);
      index.size++;
      index.last = p;
    }
    props.push(p);
    return p;
  }

  addChild(c: Node): Node {
    c.parent = this;
    this.children.push(c);
    return c;
  }

  /** A u32 property's value, or undefined when absent or not exactly one cell. */
  getU32(name: string): number | undefined {
    const p = this.getProperty(name);
    if (!p || p.value.bytes.length !== 4) return undefined;
    return readU32(p.value.bytes, 0);
  }
}

export interface MemReserve {
  address: bigint;
  size: bigint;
  labels: string[];
  span?: SourceSpan;
}

export class Tree {
  memreserves: MemReserve[] = [];
  bootCpuid = 0;
  /** `/plugin/` source: unresolved references become fixups */
  plugin = false;
  constructor(public root: Node = new Node('')) {}

  /** Live nodes, depth first, parents before children (dtc's walk order). */
  walk(): Node[] {
    return liveNodes(this.root);
  }

  /** dtc's get_node_by_path: exact names per component, leading slashes ignored. */
  findByPath(path: string): Node | undefined {
    return this.root.deleted ? undefined : findBelow(this.root, path);
  }

  /** Every live label with the node that carries it (first in walk order wins). */
  labelIndex(): Map<string, Node> {
    const m = new Map<string, Node>();
    for (const n of this.walk()) for (const l of n.labels) if (!l.deleted && !m.has(l.name)) m.set(l.name, n);
    return m;
  }
}

/** The node at `rel` (`a/b/c`) below `base`, exact names per component; empty components
 *  are skipped. */
export function findBelow(base: Node, rel: string): Node | undefined {
  let node: Node | undefined = base;
  for (const part of rel.split('/')) {
    if (part === '') continue;
    node = node.getChild(part);
    if (!node) return undefined;
  }
  return node;
}

/**
 * `from` and its live descendants, depth first, parents before children (dtc's walk order),
 * as a list taken before the caller looks at any of them: a caller that deletes nodes
 * skips those found deleted. An explicit stack: depth is the input's.
 */
export function liveNodes(from: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [from];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) if (!n.children[i].deleted) stack.push(n.children[i]);
  }
  return out;
}

/** What a path is built from: a name, and a parent of the same kind (null at the root). */
export interface PathNode {
  readonly name: string;
  readonly parent: PathNode | null;
}

/** A node's full path (of the tree, or of a blob's node index), built by walking up: a
 *  loop, not recursion, since depth is the input's. */
export function pathOf(node: PathNode): string {
  if (!node.parent) return '/';
  const names: string[] = [];
  for (let n: PathNode = node; n.parent; n = n.parent) names.push(n.name);
  names.reverse();
  return `/${names.join('/')}`;
}
