// A device tree as the JSON instance the schemas validate: every node an object whose
// keys are its properties and child nodes; values decoded as dt-schema decodes a DTB
// (strings as string lists, cells as a matrix split into rows by the provider's
// `#*-cells`, flags as `true`). The type of raw bytes comes from the type table derived
// from the schemas (a DTB carries no types).
import type { Node, Tree } from '../tree/model.js';
import { latin1String } from '../tree/value.js';
import type { Dim, PropTypeTable } from './prop-types.js';
import { dimOf, hasFixedDim, typesOf } from './prop-types.js';

/** A DT node as a validation instance. Keys map to property values or child instances. */
export type InstanceValue = true | string | number | InstanceValue[] | NodeInstance;
export interface NodeInstance {
  [key: string]: InstanceValue;
}

/** Undecodable bytes are carried as a tagged string, so `type` checks fail on them. */
export const BYTES_TAG = '\u0001bytes:';

export interface InstanceTree {
  root: NodeInstance;
  /** integer width in bits of each integer-valued property (default 32), for `typeSize` */
  intBits: WeakMap<NodeInstance, Map<string, number>>;
  /** instance object -> tree node (for locations) */
  nodeOf: Map<NodeInstance, Node>;
}

interface DecodeContext {
  table: PropTypeTable;
  typeMemo: Map<string, Set<string>>;
  dimMemo: Map<string, Dim | undefined>;
  phandles: Map<number, NodeInstance>;
  /** width of the integers of the property being decoded (set by decodeProperty) */
  lastBits: number;
}

function cachedTypes(ctx: DecodeContext, name: string): Set<string> {
  let t = ctx.typeMemo.get(name);
  if (!t) {
    t = typesOf(ctx.table, name);
    ctx.typeMemo.set(name, t);
  }
  return t;
}

function cachedDim(ctx: DecodeContext, name: string): Dim | undefined {
  if (!ctx.dimMemo.has(name)) ctx.dimMemo.set(name, dimOf(ctx.table, name));
  return ctx.dimMemo.get(name);
}

function bytesValue(b: Uint8Array): string {
  return BYTES_TAG + latin1String(b);
}

function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** A string list when every string is non-empty printable ASCII. */
function asStrings(b: Uint8Array): string[] | undefined {
  if (b.length === 0 || b[b.length - 1] !== 0) return undefined;
  const parts = latin1String(b.subarray(0, b.length - 1)).split('\0');
  for (const p of parts) if (p === '' || !isPrintable(p)) return undefined;
  return parts;
}

function splitStrings(b: Uint8Array): string[] {
  return latin1String(b.subarray(0, b.length - 1)).split('\0');
}

const SIZES: Record<string, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, phandle: 4, address: 4 };

function readInts(b: Uint8Array, size: number, signed: boolean): number[] | undefined {
  if (b.length % size !== 0) return undefined;
  const out: number[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let o = 0; o < b.length; o += size) {
    switch (size) {
      case 1: out.push(signed ? dv.getInt8(o) : dv.getUint8(o)); break;
      case 2: out.push(signed ? dv.getInt16(o) : dv.getUint16(o)); break;
      case 4: out.push(signed ? dv.getInt32(o) : dv.getUint32(o)); break;
      default: out.push(Number(signed ? dv.getBigInt64(o) : dv.getBigUint64(o)));
    }
  }
  return out;
}

function strideFor(len: number, dim: Dim): number {
  for (let outer = dim[0][0]; outer <= dim[0][1]; outer++) {
    for (let inner = dim[1][0]; inner <= dim[1][1]; inner++) {
      if (outer * inner === len) return inner;
    }
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

const I64 = ['int64', 'uint64', 'int64-array', 'uint64-array'];
const I32 = ['int32', 'uint32', 'int32-array', 'uint32-array', 'phandle', 'phandle-array'];
const I16 = ['int16', 'uint16', 'int16-array', 'uint16-array'];

/** Narrows the candidate types of a property by its length (dt-schema's rules). */
function narrowBySize(types: Set<string>, len: number): void {
  const drop = (l: string[]): void => l.forEach((x) => types.delete(x));
  if (len % 8) drop(I64);
  if (len % 4) drop(I32);
  if (len % 2) drop(I16);
  if (len > 4) drop(['int32', 'uint32', 'phandle']);
  else drop(I64);
  if (len > 2) drop(['int16', 'uint16']);
  else drop(I32);
  if (len > 1) drop(['int8', 'uint8']);
  else drop(I16);
  if (len > 0) types.delete('flag');
  if (types.has('phandle') && types.has('phandle-array')) types.delete('phandle');
  for (const w of ['64', '32', '16', '8']) if (types.has(`int${w}`) && types.has(`uint${w}`)) types.delete(`uint${w}`);
}

/** dt-schema's prop_value: one property's bytes to an instance value. */
export function decodeProperty(ctx: DecodeContext, nodeName: string, name: string, b: Uint8Array): InstanceValue {
  if (b.length === 0) return true;
  if (name !== 'phandle' && (nodeName === '__fixups__' || nodeName === 'aliases')) return splitStrings(b);
  const types = new Set(cachedTypes(ctx, name));
  types.delete('node');
  if (types.size > 1) narrowBySize(types, b.length);
  const dim = cachedDim(ctx, name);
  let fmt: string | undefined;
  if (types.size > 1) {
    const matrix = [...types].filter((t) => t.includes('matrix'));
    if (types.has('string') || types.has('string-array')) {
      const s = asStrings(b);
      if (s) return s;
      const other = [...types].filter((t) => t !== 'string' && t !== 'string-array');
      if (other.length === 0) return bytesValue(b);
      fmt = other[other.length - 1];
    } else if (matrix.length) {
      const scalars = [...types].filter((t) => !t.includes('matrix'));
      if (scalars.length === 1) {
        fmt = scalars[0];
        const minDim = dim ? dim[0][0] * dim[1][0] : 0;
        if (b.length / SIZES[fmt.split('-')[0]] >= minDim) fmt = matrix[0];
      }
    } else if (name === 'dma-masters' || name === 'mode-gpios') {
      fmt = 'phandle-array';
    }
  } else if (types.size === 1) {
    fmt = [...types][0];
  }
  // A property no schema gives a type stays raw bytes, as in dt-validate: the core
  // schema's catch-all then reports it ("b'...' is not of type ...").
  if (!fmt && types.size === 0) return bytesValue(b);
  if (!fmt) {
    const s = latin1String(b);
    if (s.endsWith('\0')) {
      const body = s.slice(0, -1);
      if (isPrintable(body)) return [body];
    }
    if (b.length % 4 !== 0) return bytesValue(b);
    fmt = 'uint32-array';
  }
  if (fmt.startsWith('string')) {
    if (b[b.length - 1] !== 0) return bytesValue(b);
    return splitStrings(b);
  }
  if (types.has('flag') && fmt === 'flag') return bytesValue(b);
  const base = fmt.split('-')[0];
  const size = SIZES[base];
  if (size === undefined) return bytesValue(b);
  let vals = readInts(b, size, base.startsWith('int'));
  ctx.lastBits = size * 8;
  if (!vals) {
    const fallback = b.length === 4 ? 4 : b.length === 2 ? 2 : b.length === 1 ? 1 : 0;
    if (!fallback) return bytesValue(b);
    vals = readInts(b, fallback, false)!;
    ctx.lastBits = fallback * 8;
  }
  if (fmt.includes('matrix') || fmt === 'phandle' || fmt === 'phandle-array' || fmt === 'address') {
    return dim ? rows(vals, strideFor(vals.length, dim)) : [vals];
  }
  if (!fmt.includes('array') && vals.length === 1) return vals[0];
  return vals;
}

function cellsOfInstance(node: NodeInstance, cellName: string | number): number {
  if (typeof cellName === 'number') return cellName;
  const v = node[cellName];
  return typeof v === 'number' ? v : 0;
}

function firstRow(v: InstanceValue): number[] | undefined {
  if (!Array.isArray(v) || !Array.isArray(v[0])) return undefined;
  return v[0] as number[];
}

function isGpioName(k: string): boolean {
  return (k.endsWith('-gpios') || k.endsWith('-gpio') || k === 'gpio' || k === 'gpios') && !k.endsWith(',nr-gpios');
}

function fixGpios(ctx: DecodeContext, dt: NodeInstance): void {
  if ('gpio-hog' in dt || 'gpio-line' in dt) return;
  for (const [k, v] of Object.entries(dt)) {
    if (isChild(v)) {
      fixGpios(ctx, v);
    } else if (isGpioName(k) && Array.isArray(v)) {
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
          cells = prov ? cellsOfInstance(prov, '#gpio-cells') : 0;
        }
        out.push(val.slice(i, i + cells + 1));
        i += cells + 1;
      }
      dt[k] = out;
    }
  }
}

export function isChild(v: InstanceValue): v is NodeInstance {
  return typeof v === 'object' && !Array.isArray(v);
}

function fixInterrupts(ctx: DecodeContext, dt: NodeInstance, icellsIn: number): void {
  let icells = icellsIn;
  const ip = dt['interrupt-parent'];
  if (ip !== undefined && Array.isArray(ip)) {
    const ph = firstRow(ip)?.[0];
    if (ph === 0xffffffff) delete dt['interrupt-parent'];
    else if (ph !== undefined) {
      const prov = ctx.phandles.get(ph);
      icells = prov ? cellsOfInstance(prov, '#interrupt-cells') : 0;
    }
  }
  for (const [k, v] of Object.entries(dt)) {
    if (isChild(v)) {
      if ('#interrupt-cells' in dt) icells = cellsOfInstance(dt, '#interrupt-cells');
      fixInterrupts(ctx, v, icells);
    } else if (k === 'interrupts' && typeof v !== 'string') {
      const val = firstRow(v);
      if (!val) continue;
      dt[k] = icells > 0 ? rows(val, icells) : [];
    } else if (k === 'interrupt-map' && typeof v !== 'string') {
      const val = firstRow(v);
      if (!val) continue;
      dt[k] = splitInterruptMap(ctx, dt, val);
    }
  }
}

function splitInterruptMap(ctx: DecodeContext, dt: NodeInstance, val: number[]): number[][] {
  const mapIcells = cellsOfInstance(dt, '#interrupt-cells');
  const ac = cellsOfInstance(dt, '#address-cells');
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
  while (i < val.length) {
    // dt-schema takes the parent of the first entry for every entry
    const prov = ctx.phandles.get(firstPh);
    if (!prov) return [val];
    const pIcells = cellsOfInstance(prov, '#interrupt-cells');
    const pAc = '#address-cells' in prov ? cellsOfInstance(prov, '#address-cells') : 0;
    const cells = ac + mapIcells + 1 + pAc + pIcells;
    out.push(val.slice(i, i + cells));
    i += cells;
  }
  return out;
}

function fixAddresses(ctx: DecodeContext, dt: NodeInstance, acIn: number, scIn: number): void {
  let ac = acIn, sc = scIn;
  for (const [k, v] of Object.entries(dt)) {
    if (isChild(v)) {
      if ('#address-cells' in dt) ac = cellsOfInstance(dt, '#address-cells');
      if ('#size-cells' in dt) sc = cellsOfInstance(dt, '#size-cells');
      fixAddresses(ctx, v, ac, sc);
    } else if (cachedTypes(ctx, k).has('address')) {
      const val = firstRow(v);
      if (!val) continue;
      dt[k] = ac + sc > 0 ? rows(val, ac + sc) : [val];
    } else if ((k === 'ranges' || k === 'dma-ranges') && v !== true) {
      const val = firstRow(v);
      if (!val) continue;
      const child = cellsOfInstance(dt, '#address-cells') + cellsOfInstance(dt, '#size-cells');
      dt[k] = ac + child > 0 ? rows(val, ac + child) : [val];
    }
  }
}

/** Properties whose cell count is fixed or not named after the `#foo-cells` convention. */
const PHANDLE_ARG_CELLS: Record<string, string | number | null> = {
  'assigned-clocks': '#clock-cells',
  'assigned-clock-parents': '#clock-cells',
  'cooling-device': '#cooling-cells',
  'interrupts-extended': '#interrupt-cells',
  interconnects: '#interconnect-cells',
  mboxes: '#mbox-cells',
  'sound-dai': '#sound-dai-cells',
  'msi-parent': '#msi-cells',
  'msi-ranges': '#interrupt-cells',
  'dma-masters': '#dma-cells',
  'gpio-ranges': 3,
  'memory-region': null,
};

function phandleArgSize(ctx: DecodeContext, cells: number[], cellName: string | number | null): number {
  if (cells.length === 0) return 0;
  const ph = cells[0];
  if (ph === 0 || !cellName) return 1;
  if (ph === 0xffffffff) return 0;
  const prov = ctx.phandles.get(ph);
  if (!prov) return 0;
  return cellsOfInstance(prov, cellName) + 1;
}

function fixPhandles(ctx: DecodeContext, dt: NodeInstance): void {
  for (const [k, v] of Object.entries(dt)) {
    if (isChild(v)) {
      fixPhandles(ctx, v);
      continue;
    }
    if (!cachedTypes(ctx, k).has('phandle-array')) continue;
    if (k !== 'dma-masters' && hasFixedDim(ctx.table, k)) continue;
    if (!Array.isArray(v) || v.length > 1 || !Array.isArray(v[0])) continue;
    let cellName: string | number | null;
    if (k in PHANDLE_ARG_CELLS) cellName = PHANDLE_ARG_CELLS[k];
    else if (k.endsWith('s') && !k.includes('gpio')) {
      cellName = `#${k.slice(0, -1)}-cells`;
      if (phandleArgSize(ctx, v[0] as number[], cellName) === 0) continue;
    } else continue;
    const val = v[0] as number[];
    const ph0 = val[0];
    if (k === 'dma-masters' && ph0 >= 1 && ph0 <= 4) {
      const prov = ctx.phandles.get(ph0);
      if (!prov || typeof cellName !== 'string' || !(cellName in prov)) {
        dt[k] = ph0;
        continue;
      }
    }
    const out: number[][] = [];
    let i = 0;
    while (i < val.length) {
      let cells = phandleArgSize(ctx, val.slice(i), cellName);
      if (cells === 0) break;
      if (k === 'msi-ranges') cells += 1;
      if (k === 'interconnects') cells += phandleArgSize(ctx, val.slice(i + cells), cellName);
      out.push(val.slice(i, i + cells));
      i += cells;
    }
    dt[k] = out;
  }
}

function scanNode(ctx: DecodeContext, node: Node, out: InstanceTree): NodeInstance {
  const dict: NodeInstance = {};
  const name = node.parent ? node.name : '/';
  let bits: Map<string, number> | undefined;
  for (const p of node.properties) {
    if (p.deleted) continue;
    ctx.lastBits = 32;
    dict[p.name] = decodeProperty(ctx, name, p.name, p.value.bytes);
    if (ctx.lastBits !== 32) (bits ??= new Map()).set(p.name, ctx.lastBits);
  }
  if (bits) out.intBits.set(dict, bits);
  const ph = dict.phandle;
  if (typeof ph === 'number') ctx.phandles.set(ph, dict);
  for (const c of node.children) {
    if (c.deleted || c.name.startsWith('__')) continue;
    dict[c.name] = scanNode(ctx, c, out);
  }
  out.nodeOf.set(dict, node);
  return dict;
}

/** The whole tree as dt-schema's instance (dtb.py's fdt_unflatten and its fixups). */
export function buildInstanceTree(tree: Tree, table: PropTypeTable): InstanceTree {
  const ctx: DecodeContext = { table, typeMemo: new Map(), dimMemo: new Map(), phandles: new Map(), lastBits: 32 };
  const out: InstanceTree = { root: {}, nodeOf: new Map(), intBits: new WeakMap() };
  const root = scanNode(ctx, tree.root, out);
  fixGpios(ctx, root);
  fixInterrupts(ctx, root, 1);
  fixAddresses(ctx, root, 2, 1);
  fixPhandles(ctx, root);
  out.root = root;
  return out;
}
