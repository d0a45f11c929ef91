// The properties dtkit keeps on any input, for fast-check: the short runs in `npm test`
// (properties.test.ts) and the long, seedable ones of `npm run fuzz` (run.ts) share them.
//  - treeRoundTrip: a random tree -> DTB -> read -> the same tree, the same bytes;
//  - printParse: a random tree's DTB -> DTS text -> compile -> the same bytes;
//  - dtbMutation: random byte edits of real DTBs -> read, print, check and apply end in a
//    located error or a valid result, never an exception;
//  - sourceMutation: random token edits of a real board source -> compile gives
//    diagnostics (errors located), never an exception, and within a time limit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { dtcChecks } from '../../src/checks/table.js';
import { qcomChecks } from '../../src/qcom/checks.js';
import { runChecks } from '../../src/checks/run.js';
import { compileFile, compileText } from '../../src/compile/compile.js';
import { printDts } from '../../src/dts/print.js';
import { readFdt } from '../../src/fdt/reader.js';
import { writeFdt } from '../../src/fdt/writer.js';
import type { Host } from '../../src/host.js';
import { memoryHost, nodeHost } from '../../src/host.js';
import { applyOverlays } from '../../src/overlay/apply/apply.js';
import { createPreprocessCache } from '../../src/preprocessor/index.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { goldenDtbs } from '../fdt/corpus-dtbs.js';
import { linuxDtDir } from '../support/corpus.js';

// ---- random trees ----------------------------------------------------------------------

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);

/** A node to add under the node with index `parent % (index)` (0 is the root). */
interface NodeSpec {
  parent: number;
  name: string;
  unit?: number;
  props: Array<{ name: string; value: Uint8Array }>;
}

const valueArb = fc.oneof(
  fc.uint8Array({ maxLength: 24 }),
  // strings and string lists, so the printer's string guess is exercised; no element
  // starts with an octal digit: dtc 1.6.1 prints the list "a", "0" as "a\00", which reads
  // back as one string (dtkit prints exactly what dtc prints)
  fc.array(fc.stringMatching(/^[ -/8-~][ -~]{0,11}$/), { minLength: 1, maxLength: 3 }).map((xs) => Uint8Array.from(Buffer.from(`${xs.join('\0')}\0`, 'latin1'))),
  // whole cells
  fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 6 }).map((cells) => {
    const b = new Uint8Array(cells.length * 4);
    cells.forEach((c, i) => new DataView(b.buffer).setUint32(i * 4, c));
    return b;
  }),
);

const nodeSpec: fc.Arbitrary<NodeSpec> = fc.record({
  parent: fc.nat(),
  name: word,
  unit: fc.option(fc.nat({ max: 0xffff }), { nil: undefined }),
  props: fc.array(fc.record({ name: word, value: valueArb }), { maxLength: 4 }),
});

export interface TreeSpec {
  nodes: NodeSpec[];
  /** extra nesting: a chain this deep under the last node (deep trees stay in reach) */
  chain: number;
  memreserves: Array<[bigint, bigint]>;
  bootCpuid: number;
}

export const treeSpec: fc.Arbitrary<TreeSpec> = fc.record({
  nodes: fc.array(nodeSpec, { maxLength: 40 }),
  chain: fc.oneof(fc.constant(0), fc.nat({ max: 30 }), fc.nat({ max: 3000 })),
  memreserves: fc.array(fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 1n, max: (1n << 64n) - 1n })), { maxLength: 3 }),
  bootCpuid: fc.nat(),
});

/** A tree with names dtc accepts (unique among siblings, prefixed away from special names). */
export function buildTree(spec: TreeSpec): Tree {
  const tree = new Tree();
  const nodes: Node[] = [tree.root];
  spec.nodes.forEach((n, i) => {
    const parent = nodes[n.parent % nodes.length];
    const node = parent.addChild(new Node(`n-${n.name}-${i}${n.unit === undefined ? '' : `@${n.unit.toString(16)}`}`));
    n.props.forEach((p, k) => node.addProperty(new Property(`p-${p.name}-${k}`, { bytes: p.value, markers: [] })));
    nodes.push(node);
  });
  let last = nodes[nodes.length - 1];
  for (let d = 0; d < spec.chain; d++) last = last.addChild(new Node(`c${d}`));
  tree.memreserves = spec.memreserves.map(([address, size]) => ({ address, size, labels: [] }));
  tree.bootCpuid = spec.bootCpuid;
  return tree;
}

/** A tree spec as DTS text (how `npm run fuzz` shows a counterexample). */
export function treeText(spec: TreeSpec): string {
  return printDts(buildTree(spec));
}

/** Everything a DTB holds, in order, as one comparable list. */
export function shape(tree: Tree): string[] {
  const out = [`boot ${tree.bootCpuid}`, ...tree.memreserves.map((r) => `rsv ${r.address} ${r.size}`)];
  const stack: Array<[Node, number]> = [[tree.root, 0]];
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    out.push(`${depth} ${n.name}`);
    for (const p of n.props) out.push(`${depth} .${p.name}=${Buffer.from(p.value.bytes).toString('hex')}`);
    for (let i = n.nodes.length - 1; i >= 0; i--) stack.push([n.nodes[i], depth + 1]);
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** random tree -> DTB -> read: the same tree, and writing it again gives the same bytes */
export function treeRoundTripCheck(spec: TreeSpec): void {
  const tree = buildTree(spec);
  const bytes = writeFdt(tree);
  const read = readFdt(bytes, 'fuzz.dtb');
  if (!read.tree) throw new Error(`cannot read back: ${read.diagnostics.map((d) => d.message).join('; ')}`);
  const a = shape(tree), b = shape(read.tree);
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) throw new Error('the tree read back differs');
  if (!sameBytes(writeFdt(read.tree), bytes)) throw new Error('writing the tree read back gives other bytes');
}
export const treeRoundTrip = fc.property(treeSpec, treeRoundTripCheck);

/** random tree's DTB -> DTS text (as `decompile` prints it) -> compile: the same bytes */
export function printParseCheck(spec: TreeSpec): void {
  const bytes = writeFdt(buildTree({ ...spec, bootCpuid: 0 }));
  const text = printDts(readFdt(bytes, 'fuzz.dtb').tree!);
  const r = compileText(text, 'fuzz.dts', { cpp: false, host: memoryHost({}) });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.ok || !r.tree) throw new Error(`the printed text does not compile: ${errors.map((d) => d.message).join('; ')}`);
  if (!sameBytes(writeFdt(r.tree), bytes)) throw new Error('compiling the printed text gives other bytes');
}
export const printParse = fc.property(treeSpec, printParseCheck);

// ---- real inputs, randomly edited --------------------------------------------------------

export interface Edit {
  kind: 'set' | 'insert' | 'delete' | 'truncate';
  at: number;
  byte: number;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('set', 'set', 'set', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xff, 0x01, 0x02, 0x03, 0x09)),
});

export function applyEdits(input: Uint8Array, edits: Edit[]): Uint8Array {
  let b = Buffer.from(input);
  for (const e of edits) {
    const at = b.length ? e.at % (b.length + 1) : 0;
    if (e.kind === 'set' && at < b.length) b[at] = e.byte;
    else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([e.byte]), b.subarray(at)]);
    else if (e.kind === 'delete' && at < b.length) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else if (e.kind === 'truncate') b = b.subarray(0, at);
  }
  return b;
}

/** Real DTBs: dtc's golden test blobs, and a kernel board dtkit compiles itself. */
export function corpusDtbs(): Array<{ name: string; bytes: Uint8Array }> {
  const out = goldenDtbs().map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) as Uint8Array }));
  const board = kernelBoard();
  if (board) {
    const r = compileFile(board.file, { includeDirs: board.includeDirs, symbols: true });
    if (r.ok && r.tree) out.push({ name: path.basename(board.file), bytes: writeFdt(r.tree) });
  }
  return out;
}

/** An error is located: a file (and for source input a line), and a short message. */
function checkDiagnostics(ds: Diagnostic[], what: string): void {
  for (const d of ds) {
    if (d.severity !== 'error') continue;
    if (!d.file && !d.span) throw new Error(`${what}: error without a location: ${d.message}`);
    if (d.message.length > 2000) throw new Error(`${what}: a ${d.message.length}-character message`);
  }
}

/** byte edits of a real DTB: every stage ends in a located error or a valid result */
export function dtbMutation(dtbs: Array<{ name: string; bytes: Uint8Array }>, before?: (pick: number, edits: Edit[]) => void) {
  return fc.property(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 8 }), (pick, edits) => {
    before?.(pick, edits);
    const { name, bytes } = dtbs[pick % dtbs.length];
    const mutated = applyEdits(bytes, edits);
    const read = readFdt(mutated, name);
    checkDiagnostics(read.diagnostics, `reading ${name}`);
    if (read.tree) {
      printDts(read.tree);
      writeFdt(read.tree);
      checkDiagnostics(runChecks(read.tree, { checks: [...dtcChecks(), ...qcomChecks()], file: name }).diagnostics, `checking ${name}`);
    } else if (!read.diagnostics.some((d) => d.severity === 'error')) {
      throw new Error('no tree and no error');
    }
    // the blob editor (fdtoverlay's rules) on the same bytes, as a base and as an overlay
    checkDiagnostics(applyOverlays(mutated, [], { baseFile: name }).diagnostics, `opening ${name}`);
    checkDiagnostics(applyOverlays(bytes, [{ bytes: mutated, file: name }], { baseFile: name }).diagnostics, `applying ${name}`);
  });
}

/** A kernel board and its include folders, when the corpus is there. */
export function kernelBoard(): { file: string; includeDirs: string[] } | undefined {
  const root = linuxDtDir();
  if (!root) return undefined;
  const file = path.join(root, 'src', 'arm64', 'qcom', 'sm8250-hdk.dts');
  if (!fs.existsSync(file)) return undefined;
  return { file, includeDirs: [path.join(root, 'include'), path.join(root, 'src', 'arm64'), path.join(root, 'src')] };
}

/** Tokens of DTS/cpp text, roughly (enough to cut and paste in meaningful places). */
function tokens(text: string): string[] {
  return text.match(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|\/[a-z-]+\/|[A-Za-z_][A-Za-z0-9_,.#+-]*:?|&\{[^}]*\}|&[A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+|\s+|[^\sA-Za-z0-9_]/g) ?? [];
}

/** What a token edit may insert: punctuation, keywords, directives, references, numbers. */
const INSERTS = [
  '{', '}', ';', '=', '<', '>', '[', ']', '(', ')', ',', '"', "'", '/', '&', ':', '#', '\\', '\n', '\0', '\x1b',
  '/delete-node/', '/delete-property/', '/omit-if-no-ref/', '/bits/ 64', '/memreserve/', '/include/', '/incbin/("x")', '/plugin/;', '/dts-v1/;',
  '0x', '0xffffffffffffffffff', '-', '~', '?', '&&', '<<', '1/0', 'x:', '&x', '&{/}', '&{/nope}', 'FOO', 'BIT(3)',
  '\n#define FOO FOO FOO\n', '\n#if\n', '\n#endif\n', '\n#include "nope.h"\n', '\n#include __FILE__\n', '\n#undef BIT\n',
];

const tokenEdit = fc.record({
  kind: fc.constantFrom('delete', 'duplicate', 'swap', 'insert'),
  at: fc.nat(),
  other: fc.nat(),
  insert: fc.constantFrom(...INSERTS),
});

/** Source input cut, duplicated, swapped or spliced with hostile tokens. */
export type TokenEdit = { kind: string; at: number; other: number; insert: string };

export function mutateSource(text: string, edits: TokenEdit[]): string {
  const toks = tokens(text);
  for (const e of edits) {
    if (toks.length === 0) break;
    const i = e.at % toks.length, j = e.other % toks.length;
    if (e.kind === 'delete') toks.splice(i, 1);
    else if (e.kind === 'duplicate') toks.splice(i, 0, toks[i]);
    else if (e.kind === 'swap') [toks[i], toks[j]] = [toks[j], toks[i]];
    else toks.splice(i, 0, e.insert);
  }
  return toks.join('');
}

/** token edits of a real board source: diagnostics (errors located), no exception, in time */
export function sourceMutation(board: { file: string; includeDirs: string[] }, maxMs: number, before?: (edits: TokenEdit[]) => void) {
  const text = fs.readFileSync(board.file, 'latin1');
  const ppCache = createPreprocessCache();
  return fc.property(fc.array(tokenEdit, { minLength: 1, maxLength: 6 }), (edits) => {
    before?.(edits);
    const mutated = mutateSource(text, edits);
    const host: Host = {
      readFile: (f) => (f === board.file ? Buffer.from(mutated, 'latin1') : nodeHost.readFile(f)),
      isFile: (f) => f === board.file || nodeHost.isFile(f),
    };
    const t0 = performance.now();
    const r = compileFile(board.file, { host, includeDirs: board.includeDirs, symbols: true, ppCache });
    const ms = performance.now() - t0;
    if (ms > maxMs) throw new Error(`compile took ${Math.round(ms)} ms (limit ${maxMs})`);
    checkDiagnostics(r.diagnostics, 'compiling');
    if (r.ok && r.tree) writeFdt(r.tree);
  });
}
