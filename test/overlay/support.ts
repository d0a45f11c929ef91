// Fixture helpers: compile DTS text in memory (no cpp) the way the kernel builds bases and
// overlays (-@), read properties of a result blob, and run fdtoverlay when installed.
import { compileText } from '../../src/compile/compile.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { Blob } from '../../src/overlay/apply/blob.js';
import { ensureOverlayNodes } from '../../src/overlay/emit/transforms.js';
import { Diagnostics } from '../../src/report/diagnostic.js';
import type { Tree } from '../../src/tree/model.js';

export interface Compiled {
  tree: Tree;
  bytes: Uint8Array;
}

/** Compiles DTS text as `file` with -@; throws (a broken fixture) when it does not compile. */
export function compileDts(text: string, file: string, opts: { symbols?: boolean } = {}): Compiled {
  const symbols = opts.symbols ?? true;
  const r = compileText(text, file, { cpp: false, symbols });
  if (!r.ok || !r.tree) throw new Error(`fixture ${file} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const diags = new Diagnostics();
  ensureOverlayNodes(r.tree, diags, { symbols });
  return { tree: r.tree, bytes: writeFdt(r.tree) };
}

/** A property of a blob as a string (up to the first NUL), or undefined. */
export function stringProp(bytes: Uint8Array, path: string, name: string): string | undefined {
  const b = Blob.open(bytes);
  const node = b.pathNode(path);
  const p = node && b.getProp(node, name);
  return p ? Buffer.from(p.value).toString('latin1').replace(/\0$/, '') : undefined;
}

/** Property names of a node in blob order. */
export function propNames(bytes: Uint8Array, path: string): string[] | undefined {
  const b = Blob.open(bytes);
  const node = b.pathNode(path);
  return node && b.props(node).map((p) => b.nameOf(p));
}

export function childNames(bytes: Uint8Array, path: string): string[] | undefined {
  return Blob.open(bytes).pathNode(path)?.children.map((c) => c.name);
}

export function u32Prop(bytes: Uint8Array, path: string, name: string): number[] | undefined {
  const b = Blob.open(bytes);
  const node = b.pathNode(path);
  const p = node && b.getProp(node, name);
  if (!p) return undefined;
  const out: number[] = [];
  for (let i = 0; i + 4 <= p.value.length; i += 4) out.push(Buffer.from(p.value).readUInt32BE(i));
  return out;
}

/** '' when equal, else where the blobs first differ (for assertion messages). */
export function sameBytesOrDiff(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at byte ${i} (sizes ${a.length} and ${b.length})`;
  return a.length === b.length ? '' : `sizes differ: ${a.length} and ${b.length}`;
}
