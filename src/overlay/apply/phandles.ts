// The first three steps of fdt_overlay_apply, on the overlay blob: move the overlay's own
// phandles above the base's largest one, shift the references to them (listed in
// `/__local_fixups__`) by the same amount, then fill every reference to a base label
// (listed in `/__fixups__`) with the phandle of the node the base's `/__symbols__` names.
import { cString, hex, readU32, writeU32 } from '../../tree/value.js';
import { depthFirst } from '../../tree/walk.js';
import type { BlobNode } from './blob.js';
import type { ApplyStepContext } from './context.js';
import { OVERLAY_RULES as R, fail } from './context.js';
import { similarNames } from '../../report/suggest.js';
import { MAX_QUOTED, clipText } from '../../report/safe-text.js';


/** Adds `delta` to every `phandle` / `linux,phandle` of the overlay. */
export function adjustLocalPhandles(ctx: ApplyStepContext, delta: number): boolean {
  const { overlay } = ctx;
  for (const node of overlay.allNodes()) {
    for (const name of ['phandle', 'linux,phandle']) {
      const p = overlay.getProp(node, name);
      if (!p) continue;
      const path = node.path;
      if (p.value.length !== 4) {
        return fail(ctx, { rule: R.badPhandle, message: `${name} is ${p.value.length} bytes long, not one cell`, node: path, property: name, span: ctx.locate.property(path, name) });
      }
      const shifted = readU32(p.value, 0) + delta;
      if (shifted >= 0xffffffff) {
        return fail(ctx, { rule: R.badPhandle, message: `${name} ${hex(readU32(p.value, 0))} moved above the base's largest phandle ${hex(delta)} overflows 32 bits`, node: path, property: name, span: ctx.locate.property(path, name) });
      }
      writeU32(p.value, 0, shifted);
    }
  }
  return true;
}

/** Shifts the overlay-internal references listed in `/__local_fixups__` by `delta`. */
export function updateLocalReferences(ctx: ApplyStepContext, delta: number): boolean {
  const fixups = ctx.overlay.pathNode('/__local_fixups__');
  if (!fixups) return true;
  // the overlay and its __local_fixups__ mirror side by side, depth first in libfdt's
  // recursion order (it decides which error is reported), on an explicit stack
  const { overlay } = ctx;
  const root = overlay.root;
  if (!updateLocalProps(ctx, root, fixups, delta)) return false;
  return depthFirst({ node: root, fixups }, (f) => f.fixups.children.length, (f, i) => {
    const fc = f.fixups.children[i];
    const child = overlay.subnode(f.node, fc.name);
    if (!child) {
      const path = f.node.path;
      return fail(ctx, { rule: R.badFixup, message: `local fixups name node ${path === '/' ? '' : path}/${fc.name}, which the overlay does not have`, node: path, span: ctx.locate.node(path) });
    }
    return updateLocalProps(ctx, child, fc, delta) && { node: child, fixups: fc };
  });
}

/** The references one node's local fixups list, shifted by `delta`. */
function updateLocalProps(ctx: ApplyStepContext, node: BlobNode, fixups: BlobNode, delta: number): boolean {
  const { overlay } = ctx;
  const path = node.path;
  for (const fp of overlay.props(fixups)) {
    const name = overlay.nameOf(fp);
    const where = `/__local_fixups__${path === '/' ? '' : path}:${name}`;
    if (fp.value.length % 4 !== 0) {
      return fail(ctx, { rule: R.badFixup, message: `malformed local fixup ${where}: ${fp.value.length} bytes is not a list of u32 offsets`, node: path, property: name });
    }
    const target = overlay.getProp(node, name);
    if (!target) {
      return fail(ctx, { rule: R.badFixup, message: `local fixup ${where} names property "${name}", which ${path} does not have`, node: path, property: name, span: ctx.locate.node(path) });
    }
    for (let i = 0; i < fp.value.length; i += 4) {
      const at = readU32(fp.value, i);
      if (at + 4 > target.value.length) {
        return fail(ctx, { rule: R.badFixup, message: `local fixup ${where} points at byte ${at}, past the end of the ${target.value.length}-byte property`, node: path, property: name, span: ctx.locate.property(path, name) });
      }
      writeU32(target.value, at, (readU32(target.value, at) + delta) >>> 0);
    }
  }
  return true;
}

interface FixupEntry {
  text: string;
  path: string;
  property: string;
  offset: number;
}

/** Splits a `__fixups__` value into "path:property:offset" entries as libfdt parses them. */
function parseFixupEntries(value: Uint8Array): { entries: FixupEntry[]; error?: string } {
  const entries: FixupEntry[] = [];
  let at = 0;
  do {
    const end = value.indexOf(0, at);
    if (end < 0) return { entries, error: at === 0 && value.length === 0 ? 'the value is empty' : 'an entry is not NUL-terminated' };
    const text = Buffer.from(value.subarray(at, end)).toString('latin1');
    at = end + 1;
    const c1 = text.indexOf(':');
    if (c1 < 0 || c1 === text.length - 1) return { entries, error: `entry "${clipText(text, MAX_QUOTED)}" is not "path:property:offset"` };
    const c2 = text.indexOf(':', c1 + 1);
    if (c2 < 0 || c2 === c1 + 1) return { entries, error: `entry "${clipText(text, MAX_QUOTED)}" is not "path:property:offset"` };
    const num = text.slice(c2 + 1);
    // strtoul: optional blanks and '+', then decimal digits to the end
    if (!/^[ \t\n\v\f\r]*\+?[0-9]+$/.test(num)) return { entries, error: `entry "${clipText(text, MAX_QUOTED)}" has offset "${clipText(num, MAX_QUOTED)}", not a decimal number` };
    entries.push({ text, path: text.slice(0, c1), property: text.slice(c1 + 1, c2), offset: Number(num.trim()) });
  } while (at < value.length);
  return { entries };
}

/** Fills references to base labels (`/__fixups__`) with the base's phandles. */
export function fixupPhandles(ctx: ApplyStepContext): boolean {
  const { base, overlay } = ctx;
  const fixups = overlay.pathNode('/__fixups__');
  const props = fixups ? overlay.props(fixups) : [];
  if (props.length === 0) return true;
  const symbols = base.pathNode('/__symbols__');
  if (!symbols) {
    const labels = props.map((p) => overlay.nameOf(p));
    return fail(ctx, {
      rule: R.noSymbols,
      message: 'base has no __symbols__; compile it with -@',
      inBase: true,
      notes: [{ message: `${ctx.file} refers to base label${labels.length > 1 ? 's' : ''} ${labels.join(', ')}` }],
    });
  }
  let ok = true;
  for (const fp of props) {
    const label = overlay.nameOf(fp);
    const { entries, error } = parseFixupEntries(fp.value);
    if (error) {
      ok = fail(ctx, { rule: R.badFixup, message: `malformed __fixups__ property "${label}": ${error}`, node: '/__fixups__', property: label });
      continue;
    }
    const phandle = symbolPhandle(ctx, label, symbols, entries);
    if (phandle === undefined) {
      ok = false;
      continue;
    }
    for (const e of entries) if (!writeFixup(ctx, label, e, phandle)) ok = false;
  }
  return ok;
}

/** The phandle of the base node `/__symbols__/<label>` names; reports why there is none. */
function symbolPhandle(ctx: ApplyStepContext, label: string, symbols: BlobNode, uses: FixupEntry[]): number | undefined {
  const { base } = ctx;
  const sym = base.getProp(symbols, label);
  const reportAtUses = (message: (e: FixupEntry) => string, rule: string, notes?: { message: string }[]): undefined => {
    for (const e of uses) {
      fail(ctx, { rule, message: message(e), node: e.path, property: e.property, span: ctx.locate.cell(e.path, e.property, e.offset), notes });
    }
    return undefined;
  };
  if (!sym) {
    const near = similarNames(base.props(symbols).map((p) => base.nameOf(p)), label);
    const notes = near.length ? [{ message: `did you mean ${near.map((n) => `"${n}"`).join(', ')}?` }] : undefined;
    return reportAtUses((e) => `label "${label}" (cell at byte ${e.offset}) is not defined in the base: no /__symbols__/${label}`, R.unknownLabel, notes);
  }
  const path = cString(sym.value);
  const node = path === undefined ? undefined : base.pathNode(path);
  if (!node) {
    const shown = path === undefined ? 'a value that is not a string' : `"${path}"`;
    return reportAtUses(() => `label "${label}": the base's /__symbols__/${label} holds ${shown}, which is not a node of the base`, R.badSymbol);
  }
  const phandle = base.phandleOf(node);
  if (phandle === 0) {
    return reportAtUses(() => `label "${label}": base node ${node.path} has no phandle to refer to`, R.badSymbol);
  }
  return phandle;
}

function writeFixup(ctx: ApplyStepContext, label: string, e: FixupEntry, phandle: number): boolean {
  const { overlay } = ctx;
  const where = `__fixups__ entry "${e.text}" for label "${label}"`;
  const node = overlay.pathNode(e.path);
  if (!node) return fail(ctx, { rule: R.badFixup, message: `${where} names node ${e.path}, which the overlay does not have`, node: '/__fixups__', property: label });
  const prop = overlay.getProp(node, e.property);
  if (!prop) return fail(ctx, { rule: R.badFixup, message: `${where} names property "${e.property}", which ${node.path} does not have`, node: e.path, property: e.property, span: ctx.locate.node(e.path) });
  if (e.offset + 4 > prop.value.length) {
    return fail(ctx, { rule: R.badFixup, message: `${where} points at byte ${e.offset}, past the end of the ${prop.value.length}-byte property`, node: e.path, property: e.property, span: ctx.locate.property(e.path, e.property) });
  }
  writeU32(prop.value, e.offset, phandle);
  return true;
}
