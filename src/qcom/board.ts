// Loads what `dtkit devmem check|map` inspects: a board (.dts compiled by dtkit, or a
// .dtb) with overlays applied as fdtoverlay would. Overlays work on blobs, so the
// composite is read back from bytes; spans, markers and labels are then carried over from
// the compiled base and overlay sources wherever the composite still holds their value,
// so findings keep pointing at source lines.
import * as path from 'node:path';
import type { Host } from '../host.js';
import { readText } from '../host.js';
import { compileFile } from '../compile/compile.js';
import { readFdt } from '../fdt/reader.js';
import { writeFdt } from '../fdt/writer.js';
import { FDT_MAGIC } from '../fdt/format.js';
import { applyOverlays } from '../overlay/apply.js';
import type { OverlayInput } from '../overlay/apply.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Node, Property, Tree } from '../tree/model.js';
import type { PropertyValue } from '../tree/value.js';
import { readU32, stringsOf } from '../tree/value.js';
import type { CheckLevel } from '../checks/types.js';
import { QCOM_CHECK_IDS } from './checks.js';
import { includeDirsWithShipped, shadowedHeaderNotes } from './include.js';

export interface LoadBoardOptions {
  host: Host;
  /** the user's -I folders; dtkit's shipped headers are searched after them */
  includeDirs: string[];
  /** overlays (.dtso compiled here, or .dtbo), applied in order */
  overlays: string[];
}

export interface LoadedBoard {
  /** undefined when the input (or an overlay) could not be built */
  tree?: Tree;
  diagnostics: Diagnostic[];
  /** source texts read, for row locations and excerpts */
  sourceText: (file: string) => string | undefined;
}

interface Built {
  tree?: Tree;
  bytes?: Uint8Array;
  ok: boolean;
}

function isBlob(host: Host, file: string): boolean {
  const b = host.readFile(file);
  return !!b && b.length >= 4 && readU32(b, 0) === FDT_MAGIC;
}

export function loadBoard(file: string, opts: LoadBoardOptions): LoadedBoard {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const dependencies: string[] = [];
  const sourceText = (f: string) => sources.get(f) ?? readText(opts.host, f);
  const includeDirs = includeDirsWithShipped(opts.includeDirs);
  const symbols = opts.overlays.length > 0;
  const qcomRowsOff = new Map<string, CheckLevel>(QCOM_CHECK_IDS.map((id) => [id, 'off']));

  const build = (f: string): Built => {
    if (!opts.host.isFile(f)) {
      diagnostics.push({ rule: 'io', severity: 'error', message: `cannot read ${f}`, file: f });
      return { ok: false };
    }
    if (isBlob(opts.host, f)) {
      const bytes = opts.host.readFile(f)!;
      const r = readFdt(bytes, f);
      diagnostics.push(...r.diagnostics);
      if (r.tree) labelsFromSymbols(r.tree);
      return { tree: r.tree, bytes, ok: !!r.tree };
    }
    // the qcom rows run afterwards, on the composite, with options and row locations
    const r = compileFile(f, { host: opts.host, includeDirs, symbols, checkLevels: qcomRowsOff });
    diagnostics.push(...r.diagnostics);
    for (const [k, v] of r.sources) {
      sources.set(k, v);
      dependencies.push(k);
    }
    return { tree: r.tree, ok: r.ok && !!r.tree };
  };

  const base = build(file);
  const finish = (tree?: Tree): LoadedBoard => {
    diagnostics.push(...shadowedHeaderNotes({
      host: opts.host, userDirs: opts.includeDirs, dependencies: dependencies.length ? dependencies : undefined,
    }));
    return { tree, diagnostics, sourceText };
  };
  if (!base.ok || !base.tree) return finish();
  if (opts.overlays.length === 0) return finish(base.tree);

  const inputs: OverlayInput[] = [];
  const overlayTrees: Tree[] = [];
  for (const o of opts.overlays) {
    const ov = build(o);
    if (!ov.ok || !ov.tree) return finish();
    overlayTrees.push(ov.tree);
    inputs.push({ bytes: ov.bytes ?? writeFdt(ov.tree), file: o, source: ov.bytes ? undefined : ov.tree });
  }
  const applied = applyOverlays(base.bytes ?? writeFdt(base.tree), inputs, { baseFile: file });
  diagnostics.push(...applied.diagnostics);
  if (!applied.bytes) return finish();
  const read = readFdt(applied.bytes, `${path.basename(file)}+overlays`);
  diagnostics.push(...read.diagnostics);
  if (!read.tree) return finish();
  carryOver(read.tree.root, base.tree.root, { labels: true });
  for (const ot of overlayTrees) carryOverOverlay(read.tree, ot);
  labelsFromSymbols(read.tree);
  return finish(read.tree);
}

/** Equal values, ignoring phandle cells (overlay phandles are renumbered and fixed up). */
function sameValue(composite: PropertyValue, source: PropertyValue): boolean {
  const a = composite.bytes, b = source.bytes;
  if (a.length !== b.length) return false;
  const skip = new Set<number>();
  for (const m of source.markers) if (m.kind === 'phandle-ref') for (let i = 0; i < 4; i++) skip.add(m.offset + i);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !skip.has(i)) return false;
  return true;
}

function carryProperty(into: Property, from: Property): void {
  if (!sameValue(into.value, from.value)) return;
  into.span = from.span;
  into.value = { bytes: into.value.bytes, markers: from.value.markers };
}

/** Walks composite and source side by side by node name (an explicit stack: nesting
 *  depth is the input's). */
function carryOver(top: Node, topFrom: Node, opts: { labels: boolean }): void {
  const stack: Array<[Node, Node]> = [[top, topFrom]];
  while (stack.length) {
    const [into, from] = stack.pop()!;
    if (from.span) into.span ??= from.span;
    if (opts.labels && into.labels.length === 0) into.labels = from.labels.map((l) => ({ ...l }));
    const props = new Map(from.props.map((p) => [p.name, p]));
    for (const p of into.props) {
      const src = props.get(p.name);
      if (src) carryProperty(p, src);
    }
    const kids = new Map(from.nodes.map((c) => [c.name, c]));
    for (const c of into.nodes) {
      const src = kids.get(c.name);
      if (src) stack.push([c, src]);
    }
  }
}

/** An overlay fragment's target in the composite: `target-path`, or `target = <&label>` via __symbols__. */
function fragmentTarget(composite: Tree, fragment: Node): Node | undefined {
  const tp = fragment.getProperty('target-path');
  if (tp) {
    const p = stringsOf(tp.value)?.[0];
    return p === undefined ? undefined : composite.findByPath(p);
  }
  const t = fragment.getProperty('target');
  const ref = t?.value.markers.find((m) => m.kind === 'phandle-ref');
  if (!ref || ref.kind !== 'phandle-ref') return undefined;
  if (ref.ref.startsWith('/')) return composite.findByPath(ref.ref);
  const symbolPath = composite.findByPath('/__symbols__')?.getProperty(ref.ref);
  const p = symbolPath && stringsOf(symbolPath.value)?.[0];
  return p === undefined ? undefined : composite.findByPath(p);
}

function carryOverOverlay(composite: Tree, overlay: Tree): void {
  for (const fragment of overlay.root.nodes) {
    const body = fragment.getChild('__overlay__');
    const target = body && fragmentTarget(composite, fragment);
    if (body && target) carryOver(target, body, { labels: false });
  }
}

/** A blob keeps labels only in /__symbols__: give those nodes their labels back. */
function labelsFromSymbols(tree: Tree): void {
  const symbols = tree.findByPath('/__symbols__');
  for (const p of symbols?.props ?? []) {
    const target = tree.findByPath(stringsOf(p.value)?.[0] ?? '');
    if (target && target !== tree.root && !target.labels.some((l) => l.name === p.name)) {
      target.labels.push({ name: p.name, deleted: false });
    }
  }
}
