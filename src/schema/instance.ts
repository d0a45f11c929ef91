// A device tree as the instance the schemas validate, decoded as dt-schema decodes a DTB
// (dtschema/dtb.py): every node a map of its properties (in blob order) then its child
// nodes; strings as string lists, cells as a matrix split into rows by the provider's
// `#*-cells`, flags as `true`, undecodable values as raw bytes (Uint8Array). The type of
// raw bytes comes from the type table derived from the schemas (a DTB carries no types).
//
// Nodes are Maps, never plain objects: a property or node named `__proto__`,
// `constructor` or `hasOwnProperty` is an ordinary key, and keys keep their order
// (Python's dict). Integer widths other than 32 bits (dt-schema's sized_int, read by the
// `typeSize` keyword) are recorded on the node that owns the property. Every walk is
// iterative: a 10,000-deep tree builds without growing the stack.
import type { Node, Tree } from '../tree/model.js';
import type { Dim, PropTypeTable } from './prop-types.js';
import { dimOf, hasFixedDim, typesOf } from './prop-types.js';

export type DtValue = true | string | number | Uint8Array | DtValue[] | DtNode;

/** A node of the instance: property and child names to values, in blob order. */
export class DtNode extends Map<string, DtValue> {
  /** widths of properties whose integers are not 32 bits wide (typeSize) */
  bits?: Map<string, number>;
}

export function isNode(v: unknown): v is DtNode {
  return v instanceof DtNode;
}

export interface InstanceTree {
  root: DtNode;
  /** instance node -> tree node (for locations) */
  nodeOf: Map<DtNode, Node>;
}

export interface DecodeOptions {
  /** decode properties no schema types by their look (string list or cells) instead of
   *  keeping raw bytes: used when no bindings are loaded, where every property is untyped */
  guessUntyped?: boolean;
}

interface DecodeContext {
  table: PropTypeTable;
  phandles: Map<number, DtNode>;
  /** "path:prop:byte offset" of each phandle cell an overlay's fixups name */
  phandleLoc: Set<string>;
  guess: boolean;
  /** width of the integers of the property being decoded (set by decodeProperty) */
  lastBits: number;
}

function cachedTypes(ctx: DecodeContext, name: string): Set<string> {
  return typesOf(ctx.table, name);
}

function cachedDim(ctx: DecodeContext, name: string): Dim | undefined {
  return dimOf(ctx.table, name);
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** str.isprintable() of an ASCII string */
function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function isAscii(b: Uint8Array): boolean {
  for (const c of b) if (c > 0x7f) return false;
  return true;
}

/** dtb.py's bytes_to_string: a list when every string is non-empty and printable. */
function bytesToString(b: Uint8Array): string[] | undefined {
  if (!isAscii(b)) return undefined;
  const parts = latin1(b).split('\0');
  if (parts.length - 1 > 0 && parts[parts.length - 1] === '') {
    const strings = parts.slice(0, -1);
    for (const s of strings) if (s === '' || !isPrintable(s)) return undefined;
    return strings;
  }
  return undefined;
}

function splitStrings(b: Uint8Array): string[] {
  return latin1(b.subarray(0, b.length - 1)).split('\0');
}

const SIZES: Record<string, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, phandle: 4, address: 4 };
const SIGNED = new Set(['int8', 'int16', 'int32', 'int64']);

function readInts(b: Uint8Array, size: number, signed: boolean): number[] | undefined {
  if (b.length % size !== 0) return undefined;
  const out: number[] = new Array(b.length / size);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let o = 0, k = 0; o < b.length; o += size, k++) {
    switch (size) {
      case 1: out[k] = signed ? dv.getInt8(o) : dv.getUint8(o); break;
      case 2: out[k] = signed ? dv.getInt16(o) : dv.getUint16(o); break;
      case 4: out[k] = signed ? dv.getInt32(o) : dv.getUint32(o); break;
      default: out[k] = Number(signed ? dv.getBigInt64(o) : dv.getBigUint64(o));
    }
  }
  return out;
}

/** dtb.py's get_stride: the row length that makes `len` cells fit the dimensions (first
 *  fitting outer count wins). Linear in `len`, where the original loops over both. */
export function getStride(len: number, dim: Dim): number {
  const outerMax = dim[0][1] === 0 ? len : dim[0][1];
  const innerMax = dim[1][1] === 0 ? len : dim[1][1];
  for (let outer = Math.max(dim[0][0], 1); outer <= outerMax; outer++) {
    if (len % outer) continue;
    const inner = len / outer;
    if (inner >= dim[1][0] && inner <= innerMax) return inner;
  }
  if (dim[1][0] > 0 && dim[1][0] === dim[1][1]) return dim[1][0];
  if (dim[0][0] > 0 && dim[0][0] === dim[0][1]) return Math.trunc(len / dim[0][0]);
  return len;
}

function rows(vals: number[], stride: number): number[][] {
  if (stride <= 0) return [vals];
  const out: number[][] = [];
  for (let i = 0; i < vals.length; i += stride) out.push(vals.slice(i, i + stride));
  return out;
}

const drop = (types: Set<string>, l: string[]): void => l.forEach((x) => types.delete(x));

/** Narrows the candidate types of a property by its length (dtb.py's rules). */
function narrowBySize(types: Set<string>, len: number): void {
  if (len % 8) drop(types, ['int64', 'uint64', 'int64-array', 'uint64-array']);
  if (len % 4) drop(types, ['int32', 'uint32', 'int32-array', 'uint32-array', 'phandle', 'phandle-array']);
  if (len % 2) drop(types, ['int16', 'uint16', 'int16-array', 'uint16-array']);
  if (len > 4) drop(types, ['int32', 'uint32', 'phandle']);
  else drop(types, ['int64', 'uint64', 'int64-array', 'uint64-array']);
  if (len > 2) drop(types, ['int16', 'uint16']);
  else drop(types, ['int32', 'uint32', 'int32-array', 'uint32-array', 'phandle', 'phandle-array']);
  if (len > 1) drop(types, ['int8', 'uint8']);
  else drop(types, ['int16', 'uint16', 'int16-array', 'uint16-array']);
  if (len > 0) types.delete('flag');
  for (const w of ['64', '32', '16', '8']) if (types.has(`int${w}`) && types.has(`uint${w}`)) types.delete(`uint${w}`);
}

/** The value of an untyped property when no bindings give types: what it looks like. */
function guessValue(ctx: DecodeContext, b: Uint8Array): DtValue {
  const s = bytesToString(b);
  if (s) return s;
  const vals = readInts(b, 4, false);
  if (!vals) return b;
  return vals.length === 1 ? vals[0] : vals;
}

/** dtb.py's prop_value: one property's bytes to an instance value. */
export function decodeProperty(ctx: DecodeContext, nodeName: string, name: string, b: Uint8Array): DtValue {
  if (b.length === 0) return true;
  if (name !== 'phandle' && (nodeName === '__fixups__' || nodeName === 'aliases')) return splitStrings(b);
  const types = new Set(cachedTypes(ctx, name));
  types.delete('node');
  if (types.size === 0) return ctx.guess ? guessValue(ctx, b) : b;
  if (types.size > 1) narrowBySize(types, b.length);
  let dim = name === 'iommu-map' ? undefined : cachedDim(ctx, name);
  const matrix = [...types].filter((t) => t.includes('matrix') || t === 'phandle-array');
  let fmt: string | undefined;
  if (types.size > 1) {
    if (name === 'dma-masters' || name === 'mode-gpios') fmt = 'phandle-array';
    else if (name === 'gpios') fmt = nodeName.includes('hog') ? 'uint32-matrix' : 'phandle-array';
    else if (name === 'cooling-levels') fmt = b[0] === 0 && b[1] === 0 ? 'uint32-array' : 'uint8-array';
    else if (types.has('string') || types.has('string-array')) {
      const s = bytesToString(b);
      if (s) return s;
      const other = [...types].filter((t) => t !== 'string' && t !== 'string-array');
      // Python pops an arbitrary member of a set here; the first in table order is taken
      if (other.length === 0) return b;
      fmt = other[0];
    } else if (matrix.length) {
      const scalars = [...types].filter((t) => !matrix.includes(t));
      if (scalars.length === 1) {
        fmt = scalars[0];
        let minDim = 1;
        if (dim) minDim = Math.max(dim[1][0], 1) * dim[0][0];
        if (b.length / (SIZES[fmt.split('-')[0]] ?? 4) >= minDim) fmt = matrix[0];
        else dim = [[1, 1], [1, 1]];
      }
    }
  }
  if (!fmt) fmt = [...types][0];
  if (!fmt) return b;
  if (fmt.startsWith('string')) {
    if (b[b.length - 1] !== 0) return b;
    return splitStrings(b);
  }
  if (types.has('flag') && fmt === 'flag') return b;
  const base = fmt.split('-')[0];
  let size = SIZES[base];
  let vals = size === undefined ? undefined : readInts(b, size, SIGNED.has(base));
  if (!vals) {
    // a size that does not fit the type: dt-schema falls back to the length's own width
    size = b.length === 4 ? 4 : b.length === 2 ? 2 : b.length === 1 ? 1 : 0;
    if (!size) return b;
    vals = readInts(b, size, false)!;
  }
  ctx.lastBits = size * 8;
  if (fmt.includes('matrix') || fmt === 'phandle' || fmt === 'phandle-array' || fmt === 'address') {
    return dim ? rows(vals, getStride(vals.length, dim)) : [vals];
  }
  if (!fmt.includes('array') && vals.length === 1) return vals[0];
  return vals;
}

function cellsOf(node: DtNode, cellName: string | number): number {
  if (typeof cellName === 'number') return cellName;
  const v = node.get(cellName);
  return typeof v === 'number' ? v : 0;
}

function firstRow(v: DtValue | undefined): number[] | undefined {
  if (!Array.isArray(v) || !Array.isArray(v[0])) return undefined;
  return v[0] as number[];
}

function isGpioName(k: string): boolean {
  return (k.endsWith('-gpios') || k.endsWith('-gpio') || k === 'gpio' || k === 'gpios') && !k.endsWith(',nr-gpios');
}

/** Child nodes of a node, in order. */
function childrenOf(dt: DtNode): DtNode[] {
  const out: DtNode[] = [];
  for (const v of dt.values()) if (v instanceof DtNode) out.push(v);
  return out;
}

/** Visits every node depth-first in document order (iteratively) with a value carried down. */
function eachNode<T>(root: DtNode, init: T, visit: (dt: DtNode, carried: T) => { skip?: boolean; child?: T }): void {
  const stack: [DtNode, T][] = [[root, init]];
  while (stack.length) {
    const [dt, carried] = stack.pop()!;
    const r = visit(dt, carried);
    if (r.skip) continue;
    const kids = childrenOf(dt);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], r.child as T]);
  }
}

function fixGpios(ctx: DecodeContext, root: DtNode): void {
  eachNode(root, undefined, (dt) => {
    if (dt.has('gpio-hog')) return { skip: true };
    for (const [k, v] of dt) {
      if (!isGpioName(k) || !Array.isArray(v)) continue;
      const val = firstRow(v);
      if (!val) continue;
      const out: number[][] = [];
      let i = 0;
      while (i < val.length) {
        const ph = val[i];
        let cells: number;
        if (ph === 0) cells = 0;
        else if (ph === 0xffffffff) {
          const next = val.indexOf(0xffffffff, i + 1);
          cells = (next < 0 || next >= val.length - 1 ? val.length : next) - (i + 1);
        } else {
          const prov = ctx.phandles.get(ph);
          cells = prov ? cellsOf(prov, '#gpio-cells') : 0;
        }
        out.push(val.slice(i, i + cells + 1));
        i += cells + 1;
      }
      dt.set(k, out);
    }
    return {};
  });
}

function splitInterruptMap(ctx: DecodeContext, dt: DtNode, val: number[]): number[][] {
  const mapIcells = cellsOf(dt, '#interrupt-cells');
  const ac = cellsOf(dt, '#address-cells');
  const out: number[][] = [];
  let i = 0;
  const firstPh = val[ac + mapIcells];
  if (firstPh === 0xffffffff) {
    const next = val.indexOf(0xffffffff, ac + mapIcells + 1);
    const cells = next < 0 ? val.length : next - (ac + mapIcells);
    while (i < val.length && cells > 0) {
      out.push(val.slice(i, i + cells));
      i += cells;
    }
    return out;
  }
  // dt-schema takes the parent of the first entry for every entry
  const prov = ctx.phandles.get(firstPh);
  if (!prov) return [val];
  const pIcells = cellsOf(prov, '#interrupt-cells');
  const pAc = prov.has('#address-cells') ? cellsOf(prov, '#address-cells') : 0;
  const cells = ac + mapIcells + 1 + pAc + pIcells;
  while (i < val.length) {
    out.push(val.slice(i, i + cells));
    i += cells;
  }
  return out;
}

function fixInterrupts(ctx: DecodeContext, root: DtNode): void {
  eachNode(root, 1, (dt, inherited) => {
    let icells = inherited;
    const ip = dt.get('interrupt-parent');
    if (Array.isArray(ip)) {
      const ph = firstRow(ip)?.[0];
      if (ph === 0xffffffff) dt.delete('interrupt-parent');
      else if (ph !== undefined) {
        const prov = ctx.phandles.get(ph);
        icells = prov ? cellsOf(prov, '#interrupt-cells') : 0;
      }
    }
    for (const [k, v] of dt) {
      if (v instanceof DtNode || v instanceof Uint8Array) continue;
      if (k === 'interrupts') {
        const val = firstRow(v);
        if (val) dt.set(k, icells > 0 ? rows(val, icells) : []);
      } else if (k === 'interrupt-map') {
        const val = firstRow(v);
        if (val) dt.set(k, splitInterruptMap(ctx, dt, val));
      }
    }
    // the children take this node's #interrupt-cells when it has one
    return { child: dt.has('#interrupt-cells') ? cellsOf(dt, '#interrupt-cells') : icells };
  });
}

function fixAddresses(ctx: DecodeContext, root: DtNode): void {
  eachNode(root, [2, 1] as [number, number], (dt, [ac, sc]) => {
    for (const [k, v] of dt) {
      if (v instanceof DtNode) continue;
      if (cachedTypes(ctx, k).has('address')) {
        const val = firstRow(v);
        if (val) dt.set(k, ac + sc > 0 ? rows(val, ac + sc) : [val]);
      } else if ((k === 'ranges' || k === 'dma-ranges') && v !== true) {
        const val = firstRow(v);
        if (!val) continue;
        const child = cellsOf(dt, '#address-cells') + cellsOf(dt, '#size-cells');
        dt.set(k, ac + child > 0 ? rows(val, ac + child) : [val]);
      }
    }
    return { child: [dt.has('#address-cells') ? cellsOf(dt, '#address-cells') : ac, dt.has('#size-cells') ? cellsOf(dt, '#size-cells') : sc] as [number, number] };
  });
}

function fixIommuMap(ctx: DecodeContext, root: DtNode): void {
  eachNode(root, undefined, (dt) => {
    const v = dt.get('iommu-map');
    const val = firstRow(v);
    if (!val) return {};
    let mapCells = cellsOf(dt, '#iommu-cells');
    if (mapCells === 0) mapCells = 1;
    const out: number[][] = [];
    let i = 0;
    const ph = val[mapCells];
    if (ph === 0xffffffff) {
      const next = val.indexOf(0xffffffff, mapCells + 1);
      const cells = next < 0 ? val.length : next - mapCells;
      while (i < val.length && cells > 0) {
        out.push(val.slice(i, i + cells));
        i += cells;
      }
    } else {
      const prov = ctx.phandles.get(ph);
      if (!prov) return {};
      const cells = mapCells + 1 + cellsOf(prov, '#iommu-cells') + 1;
      while (i < val.length) {
        out.push(val.slice(i, i + cells));
        i += cells;
      }
    }
    dt.set('iommu-map', out);
    return {};
  });
}

/** Properties whose cell count is fixed or not named after the `#foo-cells` convention. */
const PHANDLE_ARG_CELLS = new Map<string, string | number | null>([
  ['assigned-clocks', '#clock-cells'],
  ['assigned-clock-parents', '#clock-cells'],
  ['cooling-device', '#cooling-cells'],
  ['interrupts-extended', '#interrupt-cells'],
  ['interconnects', '#interconnect-cells'],
  ['mboxes', '#mbox-cells'],
  ['sound-dai', '#sound-dai-cells'],
  ['msi-parent', '#msi-cells'],
  ['msi-ranges', '#interrupt-cells'],
  ['dma-masters', '#dma-cells'],
  ['gpio-ranges', 3],
  ['memory-region', null],
]);

function phandleArgSize(ctx: DecodeContext, propPath: string, idx: number, cells: number[], at: number, cellName: string | number | null): number {
  if (at >= cells.length) return 0;
  const ph = cells[at];
  if (ph === 0 || !cellName) return 1;
  if (ph === 0xffffffff) {
    // an overlay's unresolved phandle: its fixups say where the next phandle is
    const isPhandle = (cell: number): boolean => ctx.phandleLoc.has(`${propPath}:${cell * 4}`);
    if (!isPhandle(idx)) return 0;
    let count = 1;
    while (at + count < cells.length && !isPhandle(idx + count)) count++;
    return count;
  }
  const prov = ctx.phandles.get(ph);
  if (!prov) return 0;
  return cellsOf(prov, cellName) + 1;
}

function fixPhandles(ctx: DecodeContext, root: DtNode): void {
  const stack: [DtNode, string][] = [[root, '']];
  while (stack.length) {
    const [dt, path] = stack.pop()!;
    const kids: [DtNode, string][] = [];
    for (const [k, v] of dt) {
      if (v instanceof DtNode) {
        kids.push([v, `${path}/${k}`]);
        continue;
      }
      if (!cachedTypes(ctx, k).has('phandle-array')) continue;
      if (k !== 'dma-masters' && hasFixedDim(ctx.table, k)) continue;
      if (!Array.isArray(v) || v.length > 1 || !Array.isArray(v[0])) continue;
      const val = v[0] as number[];
      const propPath = `${path}:${k}`;
      let cellName: string | number | null;
      if (PHANDLE_ARG_CELLS.has(k)) cellName = PHANDLE_ARG_CELLS.get(k)!;
      else if (k.endsWith('s') && !k.includes('gpio')) {
        cellName = `#${k.slice(0, -1)}-cells`;
        if (phandleArgSize(ctx, propPath, 0, val, 0, cellName) === 0) continue;
      } else continue;
      const ph0 = val[0];
      if (k === 'dma-masters' && ph0 >= 1 && ph0 <= 4) {
        const prov = ctx.phandles.get(ph0);
        if (!prov || typeof cellName !== 'string' || !prov.has(cellName)) {
          dt.set(k, ph0);
          continue;
        }
      }
      const out: number[][] = [];
      let i = 0;
      while (i < val.length) {
        let cells = phandleArgSize(ctx, propPath, i, val, i, cellName);
        if (cells === 0) break;
        if (k === 'msi-ranges') cells += 1;
        if (k === 'interconnects') cells += phandleArgSize(ctx, propPath, i + cells, val, i + cells, cellName);
        out.push(val.slice(i, i + cells));
        i += cells;
      }
      dt.set(k, out);
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** The phandle cells an overlay's __fixups__ / __local_fixups__ name ("path:prop:offset"). */
function collectPhandleLocations(tree: Tree, out: Set<string>): void {
  const fixups = tree.root.getChild('__fixups__');
  if (fixups && !fixups.deleted) {
    for (const p of fixups.properties) if (!p.deleted) for (const s of splitStrings(p.value.bytes)) if (s) out.add(s);
  }
  const local = tree.root.getChild('__local_fixups__');
  if (!local || local.deleted) return;
  const stack: [Node, string][] = [[local, '']];
  while (stack.length) {
    const [n, path] = stack.pop()!;
    for (const p of n.properties) {
      if (p.deleted) continue;
      const offs = readInts(p.value.bytes, 4, false) ?? [];
      for (const o of offs) out.add(`${path}:${p.name}:${o}`);
    }
    for (const c of n.children) if (!c.deleted) stack.push([c, `${path}/${c.name}`]);
  }
}

/** The whole tree as dt-schema's instance (dtb.py's fdt_unflatten and its fixups). */
export function buildInstanceTree(tree: Tree, table: PropTypeTable, opts: DecodeOptions = {}): InstanceTree {
  const ctx: DecodeContext = { table, phandles: new Map(), phandleLoc: new Set(), guess: !!opts.guessUntyped, lastBits: 32 };
  collectPhandleLocations(tree, ctx.phandleLoc);
  const nodeOf = new Map<DtNode, Node>();
  const root = new DtNode();
  const stack: [Node, DtNode, string][] = [[tree.root, root, '/']];
  while (stack.length) {
    const [node, dict, name] = stack.pop()!;
    nodeOf.set(dict, node);
    for (const p of node.properties) {
      if (p.deleted) continue;
      ctx.lastBits = 32;
      dict.set(p.name, decodeProperty(ctx, name, p.name, p.value.bytes));
      if (ctx.lastBits !== 32) (dict.bits ??= new Map()).set(p.name, ctx.lastBits);
    }
    const ph = dict.get('phandle');
    if (typeof ph === 'number') ctx.phandles.set(ph, dict);
    const kids: [Node, DtNode, string][] = [];
    for (const c of node.children) {
      if (c.deleted || c.name.startsWith('__')) continue;
      const child = new DtNode();
      // a child replaces a property of the same name, as a Python dict assignment would
      dict.set(c.name, child);
      kids.push([c, child, c.name]);
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  fixGpios(ctx, root);
  fixInterrupts(ctx, root);
  fixAddresses(ctx, root);
  fixIommuMap(ctx, root);
  fixPhandles(ctx, root);
  return { root, nodeOf };
}

export type { DecodeContext };
