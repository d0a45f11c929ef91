// Bounds-checked reader of flattened device trees (.dtb/.dtbo) into the shared Tree.
// Every read is checked against the block it belongs to, so any input (truncated,
// corrupt, hostile) ends in one diagnostic that names the byte offset, never in an
// exception or an out-of-range read. The same walk can instead keep only the nodes' names
// (readFdtOutline), for a command that works on the bytes and needs only to know the blob
// is sound and what it looks like.
import type { Diagnostic } from '../report/diagnostic.js';
import { Node, Property, Tree } from '../tree/model.js';
import type { PropertyValue } from '../tree/value.js';
import { EMPTY_VALUE, hex, readU32 } from '../tree/value.js';
import { FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_NOP, FDT_PROP, align4, hex8 } from './format.js';
import type { FdtHeader } from './header.js';
import { FdtFormatError, readFdtHeader, readMemReserves } from './header.js';

export interface ReadFdtResult {
  /** undefined when the blob could not be read (an error diagnostic says why) */
  tree?: Tree;
  diagnostics: Diagnostic[];
}

export const FDT_RULE = 'fdt';

/** A node of a blob by name only, with its subnodes in order. */
export interface NodeOutline {
  name: string;
  nodes: NodeOutline[];
}

/** What the structure walk reports, in order: the value of a property is bytes
 *  [off, off + len) of the blob. */
interface StructureVisitor {
  beginNode(name: string): void;
  property(name: string, off: number, len: number): void;
  endNode(): void;
}

interface ReadContext {
  bytes: Uint8Array;
  /** the same bytes as a Buffer, for decoding names without a view per name */
  text: Buffer;
  file: string;
  diagnostics: Diagnostic[];
  header: FdtHeader;
  /** property names by strings-block offset, decoded once */
  names: Map<number, string>;
}

function fail(message: string): never {
  throw new FdtFormatError(message);
}

/** Reads a DTB. Never throws on bad input: the result carries the diagnostics. */
export function readFdt(bytes: Uint8Array, file: string): ReadFdtResult {
  const r = readBlob(bytes, file, (ctx) => {
    const values = new Uint8Array(bytes.subarray(0, ctx.header.totalsize));
    const stack: Node[] = [];
    let root: Node | undefined;
    const memreserves = readMemReserves(bytes, ctx.header);
    walkStructure(ctx, {
      beginNode(name) {
        const node = new Node(name);
        const parent = stack[stack.length - 1];
        if (parent) parent.addChild(node);
        else root = node;
        stack.push(node);
      },
      property(name, off, len) {
        // one copy of the blob for all values, not one Buffer per property: those cost most of the read in GC
        const value: PropertyValue = len === 0 ? EMPTY_VALUE : { bytes: values.subarray(off, off + len), markers: [] };
        stack[stack.length - 1].addProperty(new Property(name, value));
      },
      endNode() {
        setPhandle(stack.pop()!);
      },
    });
    const tree = new Tree(root!);
    tree.memreserves = memreserves;
    tree.bootCpuid = ctx.header.bootCpuid;
    return tree;
  });
  return { tree: r.result, diagnostics: r.diagnostics };
}

/** Checks a DTB as readFdt does (the same findings) and keeps only its nodes' names. */
export function readFdtOutline(bytes: Uint8Array, file: string): { root?: NodeOutline; diagnostics: Diagnostic[] } {
  const r = readBlob(bytes, file, (ctx) => {
    const stack: NodeOutline[] = [];
    let root: NodeOutline | undefined;
    readMemReserves(bytes, ctx.header);
    walkStructure(ctx, {
      beginNode(name) {
        const node: NodeOutline = { name, nodes: [] };
        if (stack.length) stack[stack.length - 1].nodes.push(node);
        else root = node;
        stack.push(node);
      },
      property() {},
      endNode() {
        stack.pop();
      },
    });
    return root!;
  });
  return { root: r.result, diagnostics: r.diagnostics };
}

/** The header checked, then `read`; a format error becomes the one error diagnostic. */
function readBlob<T>(bytes: Uint8Array, file: string, read: (ctx: ReadContext) => T): { result?: T; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  try {
    const header = readFdtHeader(bytes);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return { result: read({ bytes, text, file, diagnostics, header, names: new Map() }), diagnostics };
  } catch (e) {
    if (!(e instanceof FdtFormatError)) throw e;
    diagnostics.push({ rule: FDT_RULE, severity: 'error', message: e.message, file });
    return { diagnostics };
  }
}

function tokenName(token: number): string {
  switch (token) {
    case FDT_BEGIN_NODE: return 'FDT_BEGIN_NODE';
    case FDT_END_NODE: return 'FDT_END_NODE';
    case FDT_PROP: return 'FDT_PROP';
    case FDT_NOP: return 'FDT_NOP';
    case FDT_END: return 'FDT_END';
    default: return hex8(token);
  }
}

/** Walks the structure block with an explicit stack (no recursion: depth is input-controlled). */
function walkStructure(ctx: ReadContext, visit: StructureVisitor): void {
  const { bytes, header } = ctx;
  const end = header.structEnd;
  let off = header.offStruct;

  const need = (at: number, n: number, what: string): void => {
    if (end - at < n) {
      fail(`truncated structure block: ${what} at offset ${hex(at)} needs ${n} bytes, only ${Math.max(0, end - at)} remain`);
    }
  };
  const nextToken = (): number => {
    for (;;) {
      if (off & 3) fail(`misaligned token at offset ${hex(off)} in the structure block`);
      if (off >= end) fail(`truncated structure block: it ends at offset ${hex(end)} before FDT_END`);
      need(off, 4, 'token');
      const t = readU32(bytes, off);
      if (t !== FDT_NOP) return t;
      off += 4;
    }
  };

  let token = nextToken();
  if (token !== FDT_BEGIN_NODE) {
    fail(`structure block must start with FDT_BEGIN_NODE, found ${tokenName(token)} at offset ${hex(off)}`);
  }
  // the open nodes: names (for a finding's path) and whether each has subnodes yet
  const names: string[] = [];
  const hasSubnodes: boolean[] = [];
  let closedRoot = false;
  for (;;) {
    token = nextToken();
    if (closedRoot) {
      if (token !== FDT_END) fail(`expected FDT_END after the root node, found ${tokenName(token)} at offset ${hex(off)}`);
      return;
    }
    const at = off;
    switch (token) {
      case FDT_BEGIN_NODE: {
        off += 4;
        const nameEnd = nulFrom(bytes, off);
        if (nameEnd < 0 || nameEnd >= end) fail(`unterminated node name at offset ${hex(off)} in the structure block`);
        const name = ctx.text.toString('latin1', off, nameEnd);
        off = align4(nameEnd + 1);
        if (off > end) fail(`truncated structure block: node name padding at offset ${hex(nameEnd + 1)} runs past the block end ${hex(end)}`);
        if (hasSubnodes.length) hasSubnodes[hasSubnodes.length - 1] = true;
        names.push(name);
        hasSubnodes.push(false);
        visit.beginNode(name);
        break;
      }
      case FDT_END_NODE: {
        if (names.length === 0) fail(`unexpected FDT_END_NODE at offset ${hex(at)} outside any node`);
        off += 4;
        names.pop();
        hasSubnodes.pop();
        closedRoot = names.length === 0;
        visit.endNode();
        break;
      }
      case FDT_PROP: {
        if (names.length === 0) fail(`FDT_PROP at offset ${hex(at)} outside any node`);
        need(at, 12, 'FDT_PROP');
        const len = readU32(bytes, at + 4);
        const nameoff = readU32(bytes, at + 8);
        const name = propertyName(ctx, nameoff, at);
        off = at + 12;
        if (end - off < len) {
          fail(`truncated structure block: value of property '${name}' at offset ${hex(off)} needs ${len} bytes, only ${end - off} remain`);
        }
        if (hasSubnodes[hasSubnodes.length - 1]) {
          ctx.diagnostics.push({
            rule: FDT_RULE, severity: 'warning', file: ctx.file, node: names.length === 1 ? '/' : `/${names.slice(1).join('/')}`,
            message: `property '${name}' at offset ${hex(at)} follows subnodes`,
          });
        }
        visit.property(name, off, len);
        off = align4(off + len);
        if (off > end) fail(`truncated structure block: padding of property '${name}' runs past the block end ${hex(end)}`);
        break;
      }
      case FDT_END:
        fail(`premature FDT_END at offset ${hex(at)}: ${names.length} node(s) not closed`);
        break;
      default:
        fail(`unknown token ${hex8(token)} at offset ${hex(at)} in the structure block`);
    }
  }
}

/** The first NUL at or after `from`, or -1: the typed array's own search (a Buffer's
 *  indexOf checks and converts its arguments first, which costs more than a name's scan). */
function nulFrom(bytes: Uint8Array, from: number): number {
  return Uint8Array.prototype.indexOf.call(bytes, 0, from);
}

function propertyName(ctx: ReadContext, nameoff: number, propOff: number): string {
  const cached = ctx.names.get(nameoff);
  if (cached !== undefined) return cached;
  const { bytes, header } = ctx;
  if (nameoff >= header.sizeStrings) {
    fail(`property name offset ${hex(nameoff)} of FDT_PROP at offset ${hex(propOff)} is outside the strings block (size ${header.sizeStrings})`);
  }
  const start = header.offStrings + nameoff;
  const stop = header.offStrings + header.sizeStrings;
  const nul = nulFrom(bytes, start);
  if (nul < 0 || nul >= stop) {
    fail(`property name at strings offset ${hex(nameoff)} (FDT_PROP at offset ${hex(propOff)}) is not NUL-terminated within the strings block`);
  }
  const name = ctx.text.toString('latin1', start, nul);
  ctx.names.set(nameoff, name);
  return name;
}

/** node.phandle from `phandle`, else `linux,phandle` (values 0 and ~0 are not phandles). */
function setPhandle(node: Node): void {
  for (const p of node.properties) {
    if (p.name !== 'phandle') continue;
    if (takePhandle(node, p)) return;
  }
  for (const p of node.properties) {
    if (p.name === 'linux,phandle' && takePhandle(node, p)) return;
  }
}

function takePhandle(node: Node, p: Property): boolean {
  if (p.value.bytes.length !== 4) return false;
  const v = readU32(p.value.bytes, 0);
  if (v === 0 || v === 0xffffffff) return false;
  node.phandle = v;
  return true;
}
