// `/__fixups__` and `/__local_fixups__` of a /plugin/ tree, as dtc 1.6.1 lays them out
// (Documentation/dt-object-internal.txt is the format):
//  - every `<&label>` that does not resolve inside the overlay becomes the string
//    "path:property:offset" appended to `/__fixups__/label` (one property per label, in
//    the order references are met: nodes depth first, properties in order, markers by
//    offset);
//  - every reference that does resolve inside the overlay becomes its offset (a u32)
//    appended to the property of the same name in a mirror of the referring node's path
//    under `/__local_fixups__`.
// Both nodes are created only when there is something to put in them, and are reused
// when the source already has them.
import type { Diagnostics } from '../../report/diagnostic.js';
import type { Node, Property, Tree } from '../../tree/model.js';
import { Node as NodeClass, Property as PropertyClass } from '../../tree/model.js';
import type { Marker } from '../../tree/value.js';
import { ValueBuilder } from '../../tree/value.js';
// the compile's own resolver, so that "unresolved" here means exactly what it meant there
import { RefResolver } from '../../tree/refs.js';
import { rootChild } from './symbols.js';

export const FIXUPS_RULE = 'overlay_fixups';

type PhandleRef = Extract<Marker, { kind: 'phandle-ref' }>;

interface Reference {
  node: Node;
  prop: Property;
  marker: PhandleRef;
  target: Node | undefined;
}

/** Every phandle reference of the live tree, in dtc's walk order. */
function references(tree: Tree): Reference[] {
  const resolver = new RefResolver(tree);
  const out: Reference[] = [];
  for (const node of tree.walk()) {
    for (const prop of node.properties) {
      if (prop.deleted) continue;
      for (const m of prop.value.markers) {
        if (m.kind === 'phandle-ref') out.push({ node, prop, marker: m, target: resolver.find(m.ref) });
      }
    }
  }
  return out;
}

/** Values appended to properties of generated nodes, assigned once at the end. */
class Appender {
  private readonly pending = new Map<Property, ValueBuilder>();
  /** per generated node, its live properties by name: one lookup per reference */
  private readonly props = new ByName<Property>((n) => n.props, (n, name) => n.addProperty(new PropertyClass(name)));

  builderFor(node: Node, name: string): ValueBuilder {
    const prop = this.props.get(node, name);
    let vb = this.pending.get(prop);
    if (!vb) {
      vb = new ValueBuilder().append(prop.value);
      this.pending.set(prop, vb);
    }
    return vb;
  }

  finish(): void {
    for (const [prop, vb] of this.pending) prop.value = vb.build();
  }
}

export function generateFixups(tree: Tree, diags: Diagnostics): void {
  const unresolved = references(tree).filter((r) => !r.target);
  if (unresolved.length === 0) return;
  const fixups = rootChild(tree, '__fixups__');
  const values = new Appender();
  for (const { node, prop, marker } of unresolved) {
    const path = node.path;
    if (path.includes(':') || prop.name.includes(':')) {
      diags.error(FIXUPS_RULE, `cannot record a fixup for ${path}:${prop.name}: node paths and property names must not contain ':'`, marker.span ?? prop.span, { node: path, property: prop.name });
      continue;
    }
    if (marker.ref.includes('/')) {
      // dtc 1.6.1 writes it anyway (a property named after the path); no loader can use it
      diags.warning(FIXUPS_RULE, `reference to path &{${marker.ref}} cannot be fixed up by an overlay loader; only labels can`, marker.span ?? prop.span, { node: path, property: prop.name });
    }
    values.builderFor(fixups, marker.ref).type('string').string(`${path}:${prop.name}:${marker.offset}`);
  }
  values.finish();
}

export function generateLocalFixups(tree: Tree, _diags: Diagnostics): void {
  const resolved = references(tree).filter((r) => r.target);
  if (resolved.length === 0) return;
  const local = rootChild(tree, '__local_fixups__');
  const values = new Appender();
  const mirrors = new Map<Node, Node>();
  const children = new ByName<Node>((n) => n.nodes, (n, name) => n.addChild(new NodeClass(name)));
  for (const { node, prop, marker } of resolved) {
    values.builderFor(mirrorOf(node, local, mirrors, children), prop.name).type('u32').u32(marker.offset);
  }
  values.finish();
}

/** The node under `local` whose path mirrors `node`'s, created (in walk order) as needed.
 *  Walks up to the nearest ancestor already mirrored (a loop: depth is the input's). */
function mirrorOf(node: Node, local: Node, cache: Map<Node, Node>, children: ByName<Node>): Node {
  const chain: Node[] = [];
  let n: Node | null = node;
  let mirror: Node | undefined;
  for (; n; n = n.parent) {
    mirror = cache.get(n);
    if (mirror) break;
    if (!n.parent) {
      mirror = local;
      cache.set(n, local);
      break;
    }
    chain.push(n);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    mirror = children.get(mirror!, chain[i].name);
    cache.set(chain[i], mirror);
  }
  return mirror!;
}

/** Per node, its live items of one kind (first of each name), indexed on first use; a
 *  name not there is made (dtc's build_root_node for children, a new property). */
class ByName<T extends { name: string }> {
  private readonly index = new Map<Node, Map<string, T>>();
  constructor(
    private readonly items: (node: Node) => readonly T[],
    private readonly make: (node: Node, name: string) => T,
  ) {}

  get(node: Node, name: string): T {
    let byName = this.index.get(node);
    if (!byName) {
      byName = new Map();
      for (const x of this.items(node)) if (!byName.has(x.name)) byName.set(x.name, x);
      this.index.set(node, byName);
    }
    let x = byName.get(name);
    if (!x) {
      x = this.make(node, name);
      byName.set(name, x);
    }
    return x;
  }
}
