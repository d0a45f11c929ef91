// Reference resolution, the tree layer's: how `&label`, `&{/path}` and `&{label/sub/path}`
// find their node (dtc's get_node_by_ref), how a phandle finds its node (dtc's
// get_node_by_phandle), and dtc's passes that resolve the references a parsed tree still
// holds as markers, under dtc's check names (the Diagnostic rule ids): explicit_phandles,
// phandle_references, path_references, omit_unused_nodes (dtc's fixup_* checks). The check
// table schedules the passes (checks/rows/references.ts); the parser and the overlay
// transforms find nodes with the same lookup, so "unresolved" means one thing everywhere.
// Each pass walks the live tree parents-first; phandles are allocated in the order
// references are met, each new `phandle` property appended to its node, exactly as dtc's
// get_node_phandle does.
import type { Diagnostics } from '../report/diagnostic.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import type { Node, Tree } from './model.js';
import type { Property } from './model.js';
import { findBelow } from './model.js';
import { deleteNode } from './ops.js';
import type { ValueElements } from './located.js';
import { isValidPhandle, PhandleAllocator } from './phandles.js';
import type { Marker } from './value.js';
import { hex, latin1Bytes, markerAt, readU32, ValueBuilder, writeU32 } from './value.js';

export interface ResolveOptions {
  /** -@: labelled nodes survive /omit-if-no-ref/ (they will be in __symbols__) */
  symbols?: boolean;
}

/**
 * dtc's get_node_by_ref: "/" or a path, a label, or `label/sub/path`. `label` looks a label
 * up (the caller owns the index: the parser keeps one current while it edits the tree).
 */
export function findNodeByRef(tree: Tree, ref: string, label: (name: string) => Node | undefined): Node | undefined {
  if (ref.startsWith('/')) return tree.findByPath(ref);
  const slash = ref.indexOf('/');
  if (slash < 0) return label(ref);
  const base = label(ref.slice(0, slash));
  return base && findBelow(base, ref.slice(slash + 1));
}

/** Resolves `&ref` against a tree that no longer changes its labels (one label index). */
export class RefResolver {
  /** the label lookup findNodeByRef takes, made once (not a closure per reference) */
  private readonly label: (name: string) => Node | undefined;
  constructor(private readonly tree: Tree) {
    const labels = tree.labelIndex();
    this.label = (name) => labels.get(name);
  }

  find(ref: string): Node | undefined {
    return findNodeByRef(this.tree, ref, this.label);
  }
}

/** Finds the node a phandle value points at. */
export type PhandleLookup = (phandle: number) => Node | undefined;

/** dtc's get_node_by_phandle over `nodes` (default: the live tree in walk order): the first
 *  node carrying that phandle; never a node for 0 or 0xffffffff. */
export function phandleLookup(tree: Tree, nodes: Iterable<Node> = tree.walk()): PhandleLookup {
  const m = new Map<number, Node>();
  for (const n of nodes) if (n.phandle !== 0 && !m.has(n.phandle)) m.set(n.phandle, n);
  return (ph) => (isValidPhandle(ph) ? m.get(ph) : undefined);
}

/** A finding about `node` (dtc's FAIL), reported at `at` when given. */
function fail(diags: Diagnostics, rule: string, node: Node, message: string, at?: Property): void {
  diags.error(rule, message, at?.span ?? node.span, { node: node.path });
}

/** A finding about property `prop` of `node` (dtc's FAIL_PROP: shown as `node:prop:`). */
function failProperty(diags: Diagnostics, rule: string, node: Node, prop: Property, message: string): void {
  diags.error(rule, message, prop.span ?? node.span, { node: node.path, property: prop.name });
}

function phandleProp(tree: Tree, diags: Diagnostics, node: Node, name: string, refs: RefResolver): number {
  const prop = node.getProperty(name);
  if (!prop) return 0;
  if (prop.value.bytes.length !== 4) {
    failProperty(diags, 'explicit_phandles', node, prop, `bad length (${prop.value.bytes.length}) ${name} property`);
    return 0;
  }
  const ref = prop.value.markers.find((m) => m.kind === 'phandle-ref');
  if (ref && ref.kind === 'phandle-ref') {
    // `phandle = <&self>` asks for a phandle to be allocated; anything else is nonsense
    if (refs.find(ref.ref) !== node) fail(diags, 'explicit_phandles', node, `${name} is a reference to another node`, prop);
    return 0;
  }
  const value = readU32(prop.value.bytes, 0);
  if (!isValidPhandle(value)) {
    failProperty(diags, 'explicit_phandles', node, prop, `bad value (${hex(value)}) in ${name} property`);
    return 0;
  }
  return value;
}

/** explicit_phandles: `phandle` / `linux,phandle` values are taken as the node's phandle. */
export function explicitPhandles(tree: Tree, diags: Diagnostics): void {
  const refs = new RefResolver(tree);
  const byPhandle = new Map<number, Node>();
  for (const node of tree.walk()) {
    const phandle = phandleProp(tree, diags, node, 'phandle', refs);
    const legacy = phandleProp(tree, diags, node, 'linux,phandle', refs);
    if (!phandle && !legacy) continue;
    if (phandle && legacy && phandle !== legacy) fail(diags, 'explicit_phandles', node, "mismatching 'phandle' and 'linux,phandle' properties");
    const value = phandle || legacy;
    const other = byPhandle.get(value);
    if (other && other !== node) {
      fail(diags, 'explicit_phandles', node, `duplicated phandle ${hex(value)} (seen before at ${other.path})`);
      continue;
    }
    byPhandle.set(value, node);
    node.phandle = value;
  }
}

/** phandle_references: `&ref` in cells becomes the target's phandle. In a plugin an
 *  unresolved reference stays 0xffffffff for the fixups. */
export function phandleReferences(tree: Tree, diags: Diagnostics): void {
  const refs = new RefResolver(tree);
  const alloc = new PhandleAllocator(tree);
  for (const node of tree.walk()) {
    for (const prop of node.properties) {
      if (prop.deleted) continue;
      let bytes: Uint8Array | undefined;
      for (const m of prop.value.markers) {
        if (m.kind !== 'phandle-ref') continue;
        bytes ??= prop.value.bytes.slice();
        const target = refs.find(m.ref);
        if (!target) {
          // a plugin's unresolved label becomes a fixup; fixups cannot name a path (dtc 1.8)
          if (tree.plugin && !m.ref.includes('/')) writeU32(bytes, m.offset, 0xffffffff);
          else if (tree.plugin) diags.error('phandle_references', `Can't generate fixup for reference to path &{${clipText(m.ref, MAX_QUOTED)}}`, m.span ?? prop.span, { node: node.path });
          else diags.error('phandle_references', `Reference to non-existent node or label "${clipText(m.ref, MAX_QUOTED)}"`, m.span ?? prop.span, { node: node.path });
          continue;
        }
        writeU32(bytes, m.offset, alloc.phandleOf(target));
        target.referenced = true;
      }
      if (bytes) prop.value = { ...prop.value, bytes };
    }
  }
}

/** path_references: `&ref` outside cells becomes the target's full path (NUL-terminated). */
export function pathReferences(tree: Tree, diags: Diagnostics): void {
  const refs = new RefResolver(tree);
  for (const node of tree.walk()) {
    for (const prop of node.properties) {
      if (prop.deleted || !prop.value.markers.some((m) => m.kind === 'path-ref')) continue;
      const old = prop.value;
      const vb = new ValueBuilder();
      let copied = 0;
      const markers: Marker[] = [];
      /** [old offset, bytes inserted there] of each path filled in, in order */
      const inserted: Array<[number, number]> = [];
      for (const m of old.markers) {
        if (m.offset > copied) {
          vb.bytes(old.bytes.subarray(copied, m.offset));
          copied = m.offset;
        }
        markers.push(markerAt(m, vb.length));
        if (m.kind !== 'path-ref') continue;
        const target = refs.find(m.ref);
        if (!target) {
          diags.error('path_references', `Reference to non-existent node or label "${clipText(m.ref, MAX_QUOTED)}"`, m.span ?? prop.span, { node: node.path });
          continue;
        }
        vb.bytes(latin1Bytes(target.path)).u8(0);
        inserted.push([m.offset, target.path.length + 1]);
        target.referenced = true;
      }
      vb.bytes(old.bytes.subarray(copied));
      prop.value = { bytes: vb.build().bytes, markers };
      if (old.elements) prop.value.elements = shiftElements(old.elements, inserted);
    }
  }
}

/**
 * Element offsets after paths were filled in (`inserted`: [offset, bytes] in order). Before
 * that a path reference took no bytes, so the elements at one offset are the references
 * written there, in order, then at most one other element: the k-th of them starts after
 * the first k paths inserted at that offset (and after every one inserted before it).
 */
function shiftElements(elements: ValueElements, inserted: Array<[number, number]>): ValueElements {
  let k = 0, lastOffset = -1, before = 0, next = 0;
  return elements.shifted((o) => {
    while (next < inserted.length && inserted[next][0] < o) before += inserted[next++][1];
    k = o === lastOffset ? k + 1 : 0;
    lastOffset = o;
    let here = 0;
    for (let j = next, n = 0; j < inserted.length && inserted[j][0] === o && n < k; j++, n++) here += inserted[j][1];
    return o + before + here;
  });
}

/** omit_unused_nodes: /omit-if-no-ref/ nodes that nothing referenced are deleted. */
export function omitUnusedNodes(tree: Tree, _diags: Diagnostics, opts: ResolveOptions = {}): void {
  if (tree.root.deleted) return;
  for (const node of tree.walk()) {
    // below a node deleted here: gone with it
    if (node.deleted) continue;
    if (node.omitIfNoRef && !node.referenced && !(opts.symbols && node.labels.length > 0)) deleteNode(node);
  }
}
