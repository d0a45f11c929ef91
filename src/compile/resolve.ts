// Reference resolution after parsing, step for step as dtc's fixup checks do it, under
// dtc's check names (the Diagnostic rule ids): name_properties, explicit_phandles,
// phandle_references, path_references, omit_unused_nodes. Each step walks the live
// tree parents-first; phandles are allocated in the order references are met, each new
// `phandle` property appended to its node, exactly as dtc's get_node_phandle does.
import { Diagnostics } from '../report/diagnostic.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import type { Node, Tree } from '../tree/model.js';
import type { Property } from '../tree/model.js';
import { deleteNode } from '../tree/ops.js';
import { isValidPhandle, PhandleAllocator } from '../tree/phandles.js';
import type { ValueElements } from '../tree/located.js';
import type { Marker } from '../tree/value.js';
import { latin1Bytes, markerAt, readU32, ValueBuilder, writeU32 } from '../tree/value.js';

export interface ResolveOptions {
  /** -@: labelled nodes survive /omit-if-no-ref/ (they will be in __symbols__) */
  symbols?: boolean;
}

export type ResolvePass = (tree: Tree, diags: Diagnostics) => void;


/** Resolves `&ref` as dtc's get_node_by_ref: "/" or a path, a label, or `label/sub/path`. */
export class RefResolver {
  private labels: Map<string, Node>;
  constructor(private tree: Tree) {
    this.labels = tree.labelIndex();
  }

  find(ref: string): Node | undefined {
    if (ref.startsWith('/')) return this.tree.findByPath(ref);
    const slash = ref.indexOf('/');
    if (slash < 0) return this.labels.get(ref);
    const base = this.labels.get(ref.slice(0, slash));
    if (!base) return undefined;
    let node: Node | undefined = base;
    for (const part of ref.slice(slash + 1).split('/')) {
      if (part === '') continue;
      node = node.getChild(part);
      if (!node) return undefined;
    }
    return node;
  }
}

/** A finding about `node` (dtc's FAIL), reported at `at` when given. */
function fail(diags: Diagnostics, rule: string, node: Node, message: string, at?: Property): void {
  diags.error(rule, message, at?.span ?? node.span, { node: node.path });
}

/** A finding about property `prop` of `node` (dtc's FAIL_PROP: shown as `node:prop:`). */
function failProperty(diags: Diagnostics, rule: string, node: Node, prop: Property, message: string): void {
  diags.error(rule, message, prop.span ?? node.span, { node: node.path, property: prop.name });
}

/** name_properties: a `name` property equal to the node's base name is redundant and dropped. */
export function nameProperties(tree: Tree, diags: Diagnostics): void {
  for (const node of tree.walk()) {
    const i = node.properties.findIndex((p) => p.name === 'name');
    if (i < 0) continue;
    const prop = node.properties[i];
    const b = prop.value.bytes;
    const base = node.baseName;
    let same = b.length === base.length + 1;
    for (let k = 0; same && k < base.length; k++) same = b[k] === (base.charCodeAt(k) & 0xff);
    if (same) {
      node.properties.splice(i, 1);
    } else {
      const shown = String.fromCharCode(...b.subarray(0, Math.max(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0))));
      fail(diags, 'name_properties', node, `"name" property is incorrect ("${shown}" instead of base node name)`, prop);
    }
  }
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
    failProperty(diags, 'explicit_phandles', node, prop, `bad value (0x${value.toString(16)}) in ${name} property`);
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
      fail(diags, 'explicit_phandles', node, `duplicated phandle 0x${value.toString(16)} (seen before at ${other.path})`);
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
  const stack: Node[] = [tree.root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.omitIfNoRef && !node.referenced && !(opts.symbols && node.labels.length > 0)) {
      deleteNode(node);
      continue;
    }
    for (let i = node.children.length - 1; i >= 0; i--) if (!node.children[i].deleted) stack.push(node.children[i]);
  }
}

/** The passes by dtc check name, bound to the options (for the check table's fixup rows). */
export function resolvePasses(opts: ResolveOptions = {}): Record<'name_properties' | 'explicit_phandles' | 'phandle_references' | 'path_references' | 'omit_unused_nodes', ResolvePass> {
  return {
    name_properties: nameProperties,
    explicit_phandles: explicitPhandles,
    phandle_references: phandleReferences,
    path_references: pathReferences,
    omit_unused_nodes: (tree, diags) => omitUnusedNodes(tree, diags, opts),
  };
}

/** All steps in dtc's order; a step whose prerequisite failed is skipped, as in dtc. */
export function resolveTree(tree: Tree, diags: Diagnostics, opts: ResolveOptions = {}): void {
  const passes = resolvePasses(opts);
  const run = (pass: ResolvePass): boolean => {
    const local = new Diagnostics();
    pass(tree, local);
    diags.merge(local);
    return !local.hasErrors;
  };
  run(passes.name_properties);
  const explicitOk = run(passes.explicit_phandles);
  const phandlesOk = explicitOk && run(passes.phandle_references);
  const pathsOk = run(passes.path_references);
  if (phandlesOk && pathsOk) run(passes.omit_unused_nodes);
}
