// Flattened device tree writer with dtc's exact layout: header, memory reservation block
// (entries, requested spare entries, terminator), structure block (depth first, a node's
// properties before its children, deleted nodes and properties skipped), strings block in
// order of first use with dtc's sharing, then optional zero padding.
import type { Node, Tree } from '../tree/model.js';
import { writeU32 } from '../tree/value.js';
import {
  FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_PROP, HDR,
  HEADER_SIZE_V16, HEADER_SIZE_V17, RESERVE_ENTRY_SIZE, align4,
} from './format.js';
import { StringsBlock } from './strings.js';

export interface WriteFdtOptions {
  /** blob version (dtc -V): 17 (default) or 16 */
  version?: 16 | 17;
  /** extra zero bytes after the blob (dtc -p) */
  padSize?: number;
  /** pad the blob to at least this many bytes (dtc -S); ignored when padSize is set */
  minSize?: number;
  /** pad the blob to a multiple of this (dtc -a) */
  alignSize?: number;
  /** spare empty memory reservation entries (dtc -R) */
  reserveEntries?: number;
}

interface Layout {
  strings: StringsBlock;
  /** nameoff of each written property, in write order */
  nameoffs: number[];
  structSize: number;
}

/** Live nodes depth first (parents before children), each with the number of nodes
 *  whose FDT_END_NODE follows its subtree: the structure block's shape, computed with an
 *  explicit stack (nesting depth is the input's). */
function liveOrder(root: Node): { order: Node[]; closes: number[] } {
  const order: Node[] = [];
  const closes: number[] = [];
  if (root.deleted) return { order, closes };
  // two parallel stacks (no object or child list per node): a node, and how many
  // FDT_END_NODEs follow it when it has no live children
  const stack: Node[] = [root];
  const closeAfters: number[] = [1];
  while (stack.length) {
    const node = stack.pop()!;
    const closeAfter = closeAfters.pop()!;
    order.push(node);
    // the last live child closes itself, this node, and whatever this node closed
    let leaf = true;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const c = node.children[i];
      if (c.deleted) continue;
      stack.push(c);
      closeAfters.push(leaf ? closeAfter + 1 : 1);
      leaf = false;
    }
    closes.push(leaf ? closeAfter : 0);
  }
  return { order, closes };
}

/** First pass: structure block size and the strings block, in dtc's order. */
function layout(order: readonly Node[]): Layout {
  const strings = new StringsBlock();
  // a tree repeats a few hundred names tens of thousands of times: one Map lookup per
  // property costs less than interning (hashing) the name again
  const known = new Map<string, number>();
  const nameoffs: number[] = [];
  let size = 4; // FDT_END
  for (const node of order) {
    size += 4 + align4(node.name.length + 1) + 4;
    for (const p of node.properties) {
      if (p.deleted) continue;
      let nameoff = known.get(p.name);
      if (nameoff === undefined) known.set(p.name, (nameoff = strings.intern(p.name)));
      nameoffs.push(nameoff);
      size += 12 + align4(p.value.bytes.length);
    }
  }
  return { strings, nameoffs, structSize: size };
}

function writeU64(out: Uint8Array, off: number, v: bigint): void {
  const x = BigInt.asUintN(64, v);
  writeU32(out, off, Number(x >> 32n));
  writeU32(out, off + 4, Number(x & 0xffffffffn));
}

function paddingFor(total: number, opts: WriteFdtOptions): number {
  let pad = 0;
  if (opts.minSize && opts.minSize > 0) pad = Math.max(0, opts.minSize - total);
  if (opts.padSize && opts.padSize > 0) pad = opts.padSize;
  if (opts.alignSize && opts.alignSize > 0) {
    const a = opts.alignSize;
    pad = Math.ceil((total + pad) / a) * a - total;
  }
  return pad;
}

export function writeFdt(tree: Tree, opts: WriteFdtOptions = {}): Uint8Array {
  const version = opts.version ?? 17;
  const headerSize = version === 17 ? HEADER_SIZE_V17 : HEADER_SIZE_V16;
  const offRsvmap = (headerSize + 7) & ~7;
  const entries = tree.memreserves.length + Math.max(0, opts.reserveEntries ?? 0) + 1;
  const offStruct = offRsvmap + entries * RESERVE_ENTRY_SIZE;
  const { order, closes } = liveOrder(tree.root);
  const { strings, nameoffs, structSize } = layout(order);
  const offStrings = offStruct + structSize;
  const used = offStrings + strings.byteLength;
  const totalsize = used + paddingFor(used, opts);

  const out = new Uint8Array(totalsize);
  writeU32(out, HDR.magic, FDT_MAGIC);
  writeU32(out, HDR.totalsize, totalsize);
  writeU32(out, HDR.offDtStruct, offStruct);
  writeU32(out, HDR.offDtStrings, offStrings);
  writeU32(out, HDR.offMemRsvmap, offRsvmap);
  writeU32(out, HDR.version, version);
  writeU32(out, HDR.lastCompVersion, 16);
  writeU32(out, HDR.bootCpuidPhys, tree.bootCpuid >>> 0);
  writeU32(out, HDR.sizeDtStrings, strings.byteLength);
  if (version === 17) writeU32(out, HDR.sizeDtStruct, structSize);

  let o = offRsvmap;
  for (const r of tree.memreserves) {
    writeU64(out, o, r.address);
    writeU64(out, o + 8, r.size);
    o += RESERVE_ENTRY_SIZE;
  }

  o = offStruct;
  let prop = 0;
  for (let k = 0; k < order.length; k++) {
    const node = order[k];
    writeU32(out, o, FDT_BEGIN_NODE);
    o += 4;
    const name = node.name;
    for (let i = 0; i < name.length; i++) out[o + i] = name.charCodeAt(i) & 0xff;
    o += align4(name.length + 1);
    for (const p of node.properties) {
      if (p.deleted) continue;
      const bytes = p.value.bytes;
      writeU32(out, o, FDT_PROP);
      writeU32(out, o + 4, bytes.length);
      writeU32(out, o + 8, nameoffs[prop++]);
      out.set(bytes, o + 12);
      o += 12 + align4(bytes.length);
    }
    for (let c = closes[k]; c > 0; c--) {
      writeU32(out, o, FDT_END_NODE);
      o += 4;
    }
  }
  writeU32(out, o, FDT_END);

  strings.writeTo(out, offStrings);
  return out;
}
