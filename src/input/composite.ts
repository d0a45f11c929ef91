// A base with overlays applied, as fdtoverlay would, and read back as one tree that still
// points at source lines: overlays work on blobs, so the composite is read from bytes and
// spans, markers and labels are then carried over from the compiled base and overlay
// sources wherever the composite still holds their value.
import * as path from 'node:path';
import { readText } from '../host.js';
import { readFdt } from '../fdt/reader.js';
import { writeFdt } from '../fdt/writer.js';
import { applyOverlays } from '../overlay/apply/apply.js';
import type { OverlayInput } from '../overlay/apply/apply.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Node, Property, Tree } from '../tree/model.js';
import type { PropertyValue } from '../tree/value.js';
import { stringsOf } from '../tree/value.js';
import { SWAPPED_RULE, overlayEvidence } from './kind.js';
import type { InputOptions, LoadedInput } from './load.js';
import { loadInput } from './load.js';

export { SWAPPED_RULE };

export interface CompositeOptions extends InputOptions {
  /** refuse an overlay that changes the phandle of an existing base node */
  strictPhandles?: boolean;
  /** false: only the composite's bytes are wanted (`apply`), not its tree with source
   *  locations (reading the composite back and carrying the sources' spans over is most
   *  of an apply's work) */
  tree?: boolean;
}

export interface LoadedComposite {
  /** the base with every overlay applied (the base itself without overlays); undefined
   *  when an input could not be loaded or an overlay did not apply, or with `tree: false` */
  tree?: Tree;
  /** the composite blob, as fdtoverlay writes it (the base's blob without overlays) */
  bytes?: Uint8Array;
  base: LoadedInput;
  overlays: LoadedInput[];
  /** the inputs' findings, the swap warnings and the apply's findings */
  diagnostics: Diagnostic[];
  /** text of every source read, for excerpts and row locations */
  sourceText: (file: string) => string | undefined;
}

/** What an input holds, as overlayEvidence reads it. */
function shapeOf(i: LoadedInput): Parameters<typeof overlayEvidence>[0] | undefined {
  return i.tree ?? (i.outline && { root: i.outline });
}

/** Warnings for a base that is an overlay, and for an overlay that is not one. */
export function swappedInputWarnings(base: LoadedInput | undefined, overlays: LoadedInput[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const baseShape = base && shapeOf(base);
  const baseWhy = baseShape && overlayEvidence(baseShape);
  if (base && baseWhy) {
    out.push({
      rule: SWAPPED_RULE, severity: 'warning', file: base.file,
      message: `the base looks like an overlay (${baseWhy}): are the base and the overlay swapped?`,
    });
  }
  for (const o of overlays) {
    const shape = shapeOf(o);
    if (shape && !overlayEvidence(shape)) {
      out.push({
        rule: SWAPPED_RULE, severity: 'warning', file: o.file,
        message: 'given as an overlay, but it is a base tree (no /plugin/, no fragments, no fixups): are the base and the overlay swapped?',
      });
    }
  }
  return out;
}

/** Loads `base` and `overlays` (sources compiled with -@) and applies the overlays in order. */
export function loadComposite(baseArg: string, overlayArgs: string[], opts: CompositeOptions): LoadedComposite {
  const symbols = overlayArgs.length > 0 || opts.compile?.symbols;
  const inputOpts: InputOptions = { ...opts, compile: { ...opts.compile, symbols } };
  const base = loadInput(baseArg, inputOpts);
  const overlays = overlayArgs.map((o) => loadInput(o, inputOpts));
  const wantTree = opts.tree ?? true;
  // a blob keeps its labels only in __symbols__; findings and reports name nodes by them
  if (wantTree && base.tree && base.format === 'dtb') labelsFromSymbols(base.tree);
  const sources = new Map<string, string>();
  for (const i of [base, ...overlays]) for (const [f, t] of i.sources) sources.set(f, t);
  const sourceText = (f: string) => sources.get(f) ?? readText(opts.host, f);
  const diagnostics = uniqueDiagnostics([...base.diagnostics, ...overlays.flatMap((o) => o.diagnostics)]);
  diagnostics.push(...swappedInputWarnings(base, overlays));
  const result: LoadedComposite = { base, overlays, diagnostics, sourceText };
  // an input that is ok has a tree, or (a blob with `tree: false`) its bytes
  if (!base.ok || overlays.some((o) => !o.ok)) return result;
  if (overlays.length === 0) return { ...result, tree: wantTree ? base.tree : undefined, bytes: base.blob };

  const inputs: OverlayInput[] = overlays.map((o) => ({ bytes: o.blob ?? writeFdt(o.tree!), file: o.file, source: o.blob ? undefined : o.tree }));
  const applied = applyOverlays(base.blob ?? writeFdt(base.tree!), inputs, { baseFile: base.file, strictPhandles: opts.strictPhandles });
  diagnostics.push(...applied.diagnostics);
  if (!applied.bytes) return result;
  if (!wantTree) return { ...result, bytes: applied.bytes };
  const read = readFdt(applied.bytes, `${path.basename(base.file)}+overlays`);
  diagnostics.push(...read.diagnostics);
  if (!read.tree) return result;
  carryOver(read.tree.root, base.tree!.root, { labels: true });
  for (const o of overlays) carryOverOverlay(read.tree, o.tree!);
  labelsFromSymbols(read.tree);
  return { ...result, tree: read.tree, bytes: applied.bytes };
}

/** The same finding from two inputs (a shadowed header note) once. */
function uniqueDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    if (d.span) return true;
    const key = `${d.rule}\0${d.file}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
  into.value = { bytes: into.value.bytes, markers: from.value.markers, ...(from.value.elements ? { elements: from.value.elements } : {}) };
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
export function labelsFromSymbols(tree: Tree): void {
  const symbols = tree.findByPath('/__symbols__');
  for (const p of symbols?.props ?? []) {
    const target = tree.findByPath(stringsOf(p.value)?.[0] ?? '');
    if (target && target !== tree.root && !target.labels.some((l) => l.name === p.name)) {
      target.labels.push({ name: p.name, deleted: false });
    }
  }
}
