// A flattened device tree edited the way libfdt edits it, because fdtoverlay works on the
// blob in place and its output bytes follow libfdt's read-write rules, not dtc's writer:
//  - the blob sits in a buffer with free space after the strings block; every insertion
//    or resize moves the rest of the blob (memmove), and bytes a move uncovers keep what
//    was there, so the padding after a resized or added value holds stale bytes;
//  - a property added to a node goes first, right after the node's name;
//  - a subnode added goes after the node's properties, before its existing children;
//  - setting an existing property resizes it where it stands;
//  - a new property name reuses the first place in the strings block where the name
//    (with its NUL) occurs, even inside a longer name, else it is appended;
//  - lookups are libfdt's: a node's properties are the leading run of properties (and
//    NOPs); a name without '@' also matches `name@unit`, and the first match wins;
//  - the output is fdt_pack's: header, reservation map, structure, strings, no gaps.
// Bytes are the truth; an index of nodes (offsets, parent, children in order) makes
// lookups cheap and is shifted on every splice. Reading is bounds-checked: a corrupt blob
// ends in an FdtFormatError (the header's, shared with fdt/reader.ts) or a BlobError
// naming the byte offset.
import { pathOf } from '../../tree/model.js';
import { cString, latin1Bytes, readU32, writeU32 } from '../../tree/value.js';
import {
  FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_NOP, FDT_PROP, HDR, HEADER_SIZE_V17,
  RESERVE_ENTRY_SIZE, align4,
} from '../../fdt/format.js';
import { FdtFormatError, checkLastCompVersion, readFdtHeader, readMemReserves } from '../../fdt/header.js';

export class BlobNode {
  children: BlobNode[] = [];
  /** fdt_get_phandle's answer, kept current by Blob.setProp (not by in-place writes) */
  phandle = 0;
  constructor(
    public name: string,
    public parent: BlobNode | null,
    /** offset of its FDT_BEGIN_NODE tag from the start of the structure block */
    public off: number,
  ) {}

  get path(): string {
    return pathOf(this);
  }
}

export interface BlobProp {
  /** offset of its FDT_PROP tag from the start of the structure block */
  off: number;
  nameoff: number;
  /** a view of the value in the blob: valid until the blob is next resized */
  value: Uint8Array;
}

/** A format error at a byte offset of the structure block (the header's are
 *  fdt/header.ts's, with the reader's words). */
export class BlobError extends FdtFormatError {}

/** libfdt's fdt_nodename_eq_: exact name, or `query` without '@' matching `query@unit`. */
export function nodeNameMatches(name: string, query: string): boolean {
  if (!name.startsWith(query)) return false;
  if (name.length === query.length) return true;
  return name.charCodeAt(query.length) === 0x40 /* @ */ && !query.includes('@');
}

/** Offset of the first NUL at or after `from` (before `limit`), or -1. A plain loop:
 *  Buffer#indexOf's argument checks cost more than the scan for short names. */
function nulAt(buf: Uint8Array, from: number, limit = buf.length): number {
  for (let i = from; i < limit; i++) if (buf[i] === 0) return i;
  return -1;
}

const PHANDLE = latin1Bytes('phandle\0');
const LINUX_PHANDLE = latin1Bytes('linux,phandle\0');

/** Whether the NUL-terminated string at `off` is exactly `name` (given with its NUL). */
function isString(buf: Uint8Array, off: number, name: Uint8Array): boolean {
  if (off + name.length > buf.length) return false;
  for (let i = 0; i < name.length; i++) if (buf[off + i] !== name[i]) return false;
  return true;
}

/** Bytes [start, end) as a latin1 string (dtkit holds text as latin1). */
function latin1(buf: Buffer, start: number, end: number): string {
  return buf.toString('latin1', start, end);
}

export class Blob {
  root!: BlobNode;
  /** every node, in no particular order: the ones a splice must shift */
  private readonly nodes: BlobNode[] = [];
  private readonly nameCache = new Map<number, string>();
  /** first node (document order) per phandle; dropped when a phandle property changes */
  private phandleIndex: Map<number, BlobNode> | undefined;

  private constructor(private buf: Buffer) {}

  private hdr(field: number): number {
    return readU32(this.buf, field);
  }

  private setHdr(field: number, v: number): void {
    writeU32(this.buf, field, v);
  }

  private get structStart(): number {
    return this.hdr(HDR.offDtStruct);
  }

  private get dataEnd(): number {
    return this.hdr(HDR.offDtStrings) + this.hdr(HDR.sizeDtStrings);
  }

  /**
   * Checks a blob and opens it for editing as fdt_open_into does (version 17, blocks in
   * order, free space after them). The input is copied, never modified.
   */
  static open(bytes: Uint8Array): Blob {
    // FDT_RO_PROBE plus the bounds libfdt relies on
    const h = readFdtHeader(bytes);
    checkLastCompVersion(h);
    const rsvSize = (readMemReserves(bytes, h).length + 1) * RESERVE_ENTRY_SIZE;
    const structSize = h.version >= 17 ? h.sizeStruct : scanStructSize(bytes, h.offStruct, h.totalsize);
    const misordered =
      h.offRsvmap < HEADER_SIZE_V17 || h.offStruct < h.offRsvmap + rsvSize || h.offStrings < h.offStruct + structSize || h.totalsize < h.offStrings + h.sizeStrings;
    let buf: Buffer;
    if (!misordered) {
      buf = Buffer.alloc(Math.max(h.totalsize * 2, 4096));
      buf.set(bytes.subarray(0, h.totalsize));
    } else {
      const newsize = HEADER_SIZE_V17 + rsvSize + structSize + h.sizeStrings;
      buf = Buffer.alloc(Math.max(newsize * 2, 4096));
      buf.set(bytes.subarray(0, HEADER_SIZE_V17));
      packBlocks(bytes, buf, { rsvSize, structSize, stringsSize: h.sizeStrings });
      writeU32(buf, HDR.magic, FDT_MAGIC);
      writeU32(buf, HDR.lastCompVersion, 16);
      writeU32(buf, HDR.bootCpuidPhys, h.bootCpuid);
    }
    const blob = new Blob(buf);
    blob.setHdr(HDR.version, 17);
    blob.setHdr(HDR.sizeDtStruct, structSize);
    blob.setHdr(HDR.totalsize, buf.length);
    blob.index();
    return blob;
  }

  /** Builds the node index, checking every token and property name on the way. */
  private index(): void {
    const buf = this.buf;
    const start = this.structStart;
    const end = start + this.hdr(HDR.sizeDtStruct);
    const stringsSize = this.hdr(HDR.sizeDtStrings);
    const strings = this.strings();
    const stringsOff = this.hdr(HDR.offDtStrings);
    // A name offset is valid when a NUL follows it inside the block, i.e. when it is at or
    // before the block's last NUL: one scan for the blob, not one per property.
    const lastNul = strings.lastIndexOf(0);
    // per name offset: 0 not yet seen, 1 names phandle or linux,phandle, 2 names something else
    const phandleName = new Uint8Array(stringsSize);
    let o = start;
    const u32 = (): number => {
      if (o + 4 > end) throw new BlobError('structure block ends inside a token', o);
      const v = readU32(buf, o);
      o += 4;
      return v;
    };
    const stack: BlobNode[] = [];
    for (;;) {
      const at = o;
      const tag = u32();
      if (tag === FDT_BEGIN_NODE) {
        const nameEnd = nulAt(buf, o, end);
        if (nameEnd < 0) throw new BlobError('unterminated node name', o);
        const parent = stack.length ? stack[stack.length - 1] : null;
        if (!parent && this.root) throw new BlobError('a second root node', at);
        if (!parent && at !== start) throw new BlobError('the structure block does not start with the root node', at);
        const node = new BlobNode(latin1(buf, o, nameEnd), parent, at - start);
        this.nodes.push(node);
        if (parent) parent.children.push(node);
        else this.root = node;
        stack.push(node);
        o = align4(nameEnd + 1);
      } else if (tag === FDT_PROP) {
        if (!stack.length) throw new BlobError('a property outside every node', at);
        const len = u32();
        const nameoff = u32();
        if (o + len > end) throw new BlobError(`property value runs past the structure block (${len} bytes)`, at);
        if (nameoff >= stringsSize || nameoff > lastNul) {
          throw new BlobError(`property name offset ${nameoff} is outside the strings block`, at + 8);
        }
        const node = stack[stack.length - 1];
        // libfdt sees only the properties before a node's first child
        if (len === 4 && node.children.length === 0 && node.phandle === 0) {
          if (phandleName[nameoff] === 0) {
            const at = stringsOff + nameoff;
            phandleName[nameoff] = isString(buf, at, PHANDLE) || isString(buf, at, LINUX_PHANDLE) ? 1 : 2;
          }
          if (phandleName[nameoff] === 1) node.phandle = this.phandleOf(node);
        }
        o = align4(o + len);
      } else if (tag === FDT_END_NODE) {
        if (!stack.pop()) throw new BlobError('FDT_END_NODE outside every node', at);
      } else if (tag === FDT_END) {
        if (stack.length || !this.root) throw new BlobError('FDT_END inside a node', at);
        return;
      } else if (tag !== FDT_NOP) {
        throw new BlobError(`unknown token 0x${tag.toString(16)}`, at);
      }
    }
  }

  private strings(): Buffer {
    const off = this.hdr(HDR.offDtStrings);
    return this.buf.subarray(off, off + this.hdr(HDR.sizeDtStrings));
  }

  /** Name of a property (its string in the strings block). */
  nameOf(p: BlobProp): string {
    return this.nameAt(p.nameoff);
  }

  /** libfdt's view of a node's properties: the leading run of properties and NOPs. */
  props(node: BlobNode): BlobProp[] {
    const out: BlobProp[] = [];
    for (let tag = this.firstProp(node); tag >= 0; tag = this.nextProp(tag)) out.push(this.propAt(tag));
    return out;
  }

  private propAt(tag: number): BlobProp {
    const len = readU32(this.buf, tag + 4);
    return { off: tag - this.structStart, nameoff: readU32(this.buf, tag + 8), value: this.buf.subarray(tag + 12, tag + 12 + len) };
  }

  /** Absolute offset of the node's first property tag (skipping NOPs), or -1. */
  private firstProp(node: BlobNode): number {
    return this.propFrom(align4(nulAt(this.buf, this.structStart + node.off + 4) + 1));
  }

  private nextProp(tag: number): number {
    return this.propFrom(align4(tag + 12 + readU32(this.buf, tag + 4)));
  }

  private propFrom(at: number): number {
    let o = at;
    for (;;) {
      const tag = readU32(this.buf, o);
      if (tag === FDT_PROP) return o;
      if (tag !== FDT_NOP) return -1;
      o += 4;
    }
  }

  private nameAt(nameoff: number): string {
    let s = this.nameCache.get(nameoff);
    if (s === undefined) {
      const off = this.hdr(HDR.offDtStrings);
      s = latin1(this.buf, off + nameoff, nulAt(this.buf, off + nameoff));
      this.nameCache.set(nameoff, s);
    }
    return s;
  }

  getProp(node: BlobNode, name: string): BlobProp | undefined {
    for (let tag = this.firstProp(node); tag >= 0; tag = this.nextProp(tag)) {
      if (this.nameAt(readU32(this.buf, tag + 8)) === name) return this.propAt(tag);
    }
    return undefined;
  }

  /** Nodes in document order. */
  allNodes(): BlobNode[] {
    const out: BlobNode[] = [];
    const stack = [this.root];
    while (stack.length) {
      const n = stack.pop()!;
      out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return out;
  }

  /** fdt_subnode_offset: the first child whose name matches (see nodeNameMatches). */
  subnode(parent: BlobNode, name: string): BlobNode | undefined {
    for (const c of parent.children) if (nodeNameMatches(c.name, name)) return c;
    return undefined;
  }

  /** fdt_path_offset: '/'-separated components from the root, or from an alias. */
  pathNode(path: string): BlobNode | undefined {
    let node: BlobNode | undefined = this.root;
    let rest = path;
    if (!path.startsWith('/')) {
      const slash = path.indexOf('/');
      const alias = this.alias(slash < 0 ? path : path.slice(0, slash));
      if (alias === undefined) return undefined;
      node = this.pathNode(alias);
      rest = slash < 0 ? '' : path.slice(slash);
    }
    for (const part of rest.split('/')) {
      if (part === '' || !node) continue;
      node = this.subnode(node, part);
    }
    return node;
  }

  private alias(name: string): string | undefined {
    const aliases = this.subnode(this.root, 'aliases');
    const p = aliases && this.getProp(aliases, name);
    const s = p && cString(p.value);
    // libfdt only follows aliases that are absolute paths
    return s !== undefined && s.startsWith('/') ? s : undefined;
  }

  /** fdt_get_phandle: `phandle`, else `linux,phandle`, when exactly one cell; else 0. */
  phandleOf(node: BlobNode): number {
    for (const name of ['phandle', 'linux,phandle']) {
      const p = this.getProp(node, name);
      if (p && p.value.length === 4) return readU32(p.value, 0);
    }
    return 0;
  }

  /** fdt_find_max_phandle (from the phandles cached by index and setProp). */
  maxPhandle(): number {
    let max = 0;
    for (const n of this.nodes) if (n.phandle > max) max = n.phandle;
    return max;
  }

  nodeByPhandle(phandle: number): BlobNode | undefined {
    if (phandle === 0 || phandle === 0xffffffff) return undefined;
    if (!this.phandleIndex) {
      this.phandleIndex = new Map();
      for (const n of this.allNodes()) if (n.phandle !== 0 && !this.phandleIndex.has(n.phandle)) this.phandleIndex.set(n.phandle, n);
    }
    return this.phandleIndex.get(phandle);
  }

  /**
   * fdt_splice_: opens (or closes) a gap at absolute offset `at` by moving the rest of
   * the blob; the bytes of an opened gap keep their old contents, as in libfdt.
   */
  private splice(at: number, oldLen: number, newLen: number): void {
    const end = this.dataEnd;
    const needed = end - oldLen + newLen;
    if (needed > this.buf.length) {
      const grown = Buffer.alloc(Math.max(this.buf.length * 2, needed + 4096));
      grown.set(this.buf);
      this.buf = grown;
      this.setHdr(HDR.totalsize, grown.length);
    }
    this.buf.copyWithin(at + newLen, at + oldLen, end);
  }

  /** Splice inside the structure block; nodes at or after `at` move with the data. */
  private spliceStruct(at: number, oldLen: number, newLen: number): void {
    const delta = newLen - oldLen;
    this.splice(at, oldLen, newLen);
    this.setHdr(HDR.sizeDtStruct, this.hdr(HDR.sizeDtStruct) + delta);
    this.setHdr(HDR.offDtStrings, this.hdr(HDR.offDtStrings) + delta);
    const rel = at - this.structStart;
    for (const n of this.nodes) if (n.off >= rel) n.off += delta;
  }

  /** fdt_setprop: resize in place, or add as the node's first property. */
  setProp(node: BlobNode, name: string, value: Uint8Array): void {
    this.writeProp(node, name, value);
    if (name === 'phandle' || name === 'linux,phandle') {
      node.phandle = this.phandleOf(node);
      this.phandleIndex = undefined;
    }
  }

  private writeProp(node: BlobNode, name: string, value: Uint8Array): void {
    const start = this.structStart;
    const existing = this.getProp(node, name);
    let data: number;
    if (existing) {
      data = start + existing.off + 12;
      this.spliceStruct(data, align4(existing.value.length), align4(value.length));
      writeU32(this.buf, data - 8, value.length);
    } else {
      const nameoff = this.findAddString(name);
      const at = align4(nulAt(this.buf, start + node.off + 4) + 1);
      this.spliceStruct(at, 0, 12 + align4(value.length));
      writeU32(this.buf, at, FDT_PROP);
      writeU32(this.buf, at + 4, value.length);
      writeU32(this.buf, at + 8, nameoff);
      data = at + 12;
    }
    this.buf.set(value, data);
  }

  /** fdt_add_subnode, or the existing child when one matches (libfdt's EXISTS case). */
  addSubnode(parent: BlobNode, name: string): { node: BlobNode; created: boolean } {
    const existing = this.subnode(parent, name);
    if (existing) return { node: existing, created: false };
    const start = this.structStart;
    // after the parent's properties and NOPs
    let o = align4(nulAt(this.buf, start + parent.off + 4) + 1);
    for (;;) {
      const tag = readU32(this.buf, o);
      if (tag === FDT_PROP) o = align4(o + 12 + readU32(this.buf, o + 4));
      else if (tag === FDT_NOP) o += 4;
      else break;
    }
    const nameBytes = latin1Bytes(name);
    const nameLen = align4(nameBytes.length + 1);
    const nodeLen = 4 + nameLen + 4;
    this.spliceStruct(o, 0, nodeLen);
    writeU32(this.buf, o, FDT_BEGIN_NODE);
    this.buf.fill(0, o + 4, o + 4 + nameLen);
    this.buf.set(nameBytes, o + 4);
    writeU32(this.buf, o + 4 + nameLen, FDT_END_NODE);
    const node = new BlobNode(name, parent, o - start);
    this.nodes.push(node);
    parent.children.unshift(node);
    return { node, created: true };
  }

  /** fdt_find_add_string_: the first occurrence of name+NUL, else appended. */
  private findAddString(name: string): number {
    const needle = latin1Bytes(name + '\0');
    const strings = this.strings();
    const found = strings.indexOf(needle);
    if (found >= 0) return found;
    const at = this.dataEnd;
    const nameoff = strings.length;
    this.splice(at, 0, needle.length);
    this.buf.set(needle, at);
    this.setHdr(HDR.sizeDtStrings, nameoff + needle.length);
    return nameoff;
  }

  /** The blob as fdt_pack leaves it. */
  pack(): Uint8Array {
    const rsvSize = (readMemReserves(this.buf, { offRsvmap: this.hdr(HDR.offMemRsvmap), totalsize: this.buf.length }).length + 1) * RESERVE_ENTRY_SIZE;
    const structSize = this.hdr(HDR.sizeDtStruct);
    const stringsSize = this.hdr(HDR.sizeDtStrings);
    const total = HEADER_SIZE_V17 + rsvSize + structSize + stringsSize;
    const out = new Uint8Array(total);
    out.set(this.buf.subarray(0, HEADER_SIZE_V17));
    packBlocks(this.buf, out, { rsvSize, structSize, stringsSize });
    writeU32(out, HDR.totalsize, total);
    return out;
  }
}

/** Structure size of a version 16 blob (no size field): up to and including FDT_END. */
function scanStructSize(bytes: Uint8Array, off: number, limit: number): number {
  let o = off;
  for (;;) {
    if (o + 4 > limit) throw new BlobError('structure block has no FDT_END', off);
    const tag = readU32(bytes, o);
    o += 4;
    if (tag === FDT_END) return o - off;
    if (tag === FDT_BEGIN_NODE) o = align4(nulAt(bytes, o) + 1);
    else if (tag === FDT_PROP) o = align4(o + 8 + readU32(bytes, o));
    if (o <= 0) throw new BlobError('unterminated node name', off);
  }
}

/** fdt_packblocks_: reservation map, structure and strings laid end to end after the header. */
function packBlocks(from: Uint8Array, to: Uint8Array, sizes: { rsvSize: number; structSize: number; stringsSize: number }): void {
  const offRsv = HEADER_SIZE_V17;
  const offStruct = offRsv + sizes.rsvSize;
  const offStrings = offStruct + sizes.structSize;
  const src = (f: number): number => readU32(from, f);
  to.set(from.subarray(src(HDR.offMemRsvmap), src(HDR.offMemRsvmap) + sizes.rsvSize), offRsv);
  to.set(from.subarray(src(HDR.offDtStruct), src(HDR.offDtStruct) + sizes.structSize), offStruct);
  to.set(from.subarray(src(HDR.offDtStrings), src(HDR.offDtStrings) + sizes.stringsSize), offStrings);
  writeU32(to, HDR.offMemRsvmap, offRsv);
  writeU32(to, HDR.offDtStruct, offStruct);
  writeU32(to, HDR.sizeDtStruct, sizes.structSize);
  writeU32(to, HDR.offDtStrings, offStrings);
  writeU32(to, HDR.sizeDtStrings, sizes.stringsSize);
}
