// The last two steps of fdt_overlay_apply, on the base: merge each fragment's
// `__overlay__` node into its target (`target` phandle, else `target-path`), then publish
// the overlay's labels in the base's `/__symbols__` with their paths in the result.
import { cString, readU32 } from '../../tree/value.js';
import { depthFirst } from '../../tree/walk.js';
import type { BlobNode } from './blob.js';
import type { ApplyStepContext } from './context.js';
import { OVERLAY_RULES as R, fail, warn } from './context.js';

interface Target {
  node: BlobNode;
  /** the fragment's target-path, when it was found by path */
  path?: string;
}

/** fdt_overlay_target_offset: the base node a fragment applies to, or a reported error. */
function fragmentTarget(ctx: ApplyStepContext, fragment: BlobNode): Target | undefined {
  const { base, overlay } = ctx;
  const fpath = fragment.path;
  const target = overlay.getProp(fragment, 'target');
  const span = (name: string) => ctx.locate.property(fpath, name);
  if (target) {
    const phandle = target.value.length === 4 ? readU32(target.value, 0) : -1;
    if (phandle === -1 || phandle === 0xffffffff) {
      const why = phandle === -1 ? `is ${target.value.length} bytes long, not one phandle cell` : 'is still unresolved (0xffffffff) and no __fixups__ entry fills it';
      fail(ctx, { rule: R.badFragment, message: `fragment target ${why}`, node: fpath, property: 'target', span: span('target') });
      return undefined;
    }
    if (phandle !== 0) {
      const node = base.nodeByPhandle(phandle);
      if (!node) {
        fail(ctx, { rule: R.targetMissing, message: `fragment targets phandle 0x${phandle.toString(16)}, which no base node has`, node: fpath, property: 'target', span: span('target') });
        return undefined;
      }
      return { node };
    }
  }
  const tpath = overlay.getProp(fragment, 'target-path');
  if (!tpath) {
    fail(ctx, { rule: R.badFragment, message: 'fragment has an __overlay__ node but neither a target nor a target-path', node: fpath, span: ctx.locate.node(fpath) });
    return undefined;
  }
  const path = cString(tpath.value);
  const node = path === undefined ? undefined : base.pathNode(path);
  if (!node) {
    const shown = path === undefined ? 'a value that is not a string' : `"${path}"`;
    fail(ctx, { rule: R.targetMissing, message: `fragment target-path ${shown} is not a node of the base`, node: fpath, property: 'target-path', span: span('target-path') });
    return undefined;
  }
  return { node, path };
}

export function mergeFragments(ctx: ApplyStepContext): boolean {
  for (const fragment of ctx.overlay.root.children) {
    const content = ctx.overlay.subnode(fragment, '__overlay__');
    if (!content) continue;
    const target = fragmentTarget(ctx, fragment);
    if (!target || !mergeNode(ctx, target.node, content)) return false;
  }
  return true;
}

/** Merges `from` (an overlay node) into `target`: its properties, then each child in
 *  order, depth first, as libfdt's recursion does (the order decides the bytes). An
 *  explicit stack: nesting depth is the input's. */
function mergeNode(ctx: ApplyStepContext, target: BlobNode, from: BlobNode): boolean {
  if (!mergeProps(ctx, target, from)) return false;
  return depthFirst({ target, from }, (f) => f.from.children.length, (f, i) => {
    const child = f.from.children[i];
    const { node } = ctx.base.addSubnode(f.target, child.name);
    return mergeProps(ctx, node, child) && { target: node, from: child };
  });
}

function mergeProps(ctx: ApplyStepContext, target: BlobNode, from: BlobNode): boolean {
  const { base, overlay } = ctx;
  for (const p of overlay.props(from)) {
    const name = overlay.nameOf(p);
    if ((name === 'phandle' || name === 'linux,phandle') && !samePhandle(ctx, target, name, p.value)) {
      const old = readU32(base.getProp(target, name)!.value, 0);
      const finding = {
        rule: R.phandleConflict,
        message: `overlay node ${from.path} changes the phandle of base node ${target.path} from 0x${old.toString(16)} to 0x${readU32(p.value, 0).toString(16)}: the base's references to it now dangle (fdtoverlay 1.6.1 does the same; libfdt 1.7.1+ keeps the base's phandle)`,
        node: from.path,
        property: name,
        span: ctx.locate.node(from.path),
      };
      if (ctx.strictPhandles) return fail(ctx, finding);
      warn(ctx, finding);
    }
    base.setProp(target, name, p.value);
  }
  return true;
}

/** True unless the base node already has a different one-cell phandle under `name`. */
function samePhandle(ctx: ApplyStepContext, target: BlobNode, name: string, value: Uint8Array): boolean {
  const old = ctx.base.getProp(target, name);
  if (!old || old.value.length !== 4 || readU32(old.value, 0) === 0) return true;
  return value.length === 4 && readU32(old.value, 0) === readU32(value, 0);
}

const OVERLAY_PREFIX = '/__overlay__/';

/** fdt_overlay_symbol_update: the overlay's labels, re-rooted at their targets. */
export function updateSymbols(ctx: ApplyStepContext): boolean {
  const { base, overlay } = ctx;
  const ovSymbols = overlay.subnode(overlay.root, '__symbols__');
  if (!ovSymbols) return true;
  const symbols = base.subnode(base.root, '__symbols__') ?? base.addSubnode(base.root, '__symbols__').node;
  for (const p of overlay.props(ovSymbols)) {
    const name = overlay.nameOf(p);
    const bad = (why: string) => fail(ctx, { rule: R.badSymbol, message: `overlay symbol "${name}" ${why}`, node: '/__symbols__', property: name });
    const nul = p.value.indexOf(0);
    if (p.value.length < 1 || nul !== p.value.length - 1) return bad('is not a single string');
    const path = cString(p.value)!;
    if (!path.startsWith('/')) return bad(`holds "${path}", not an absolute path`);
    const slash = path.indexOf('/', 1);
    if (slash < 0) continue; // names a node outside every fragment: not merged, not published
    const rest = path.slice(slash);
    let relative: string;
    if (rest.startsWith(OVERLAY_PREFIX)) relative = rest.slice(OVERLAY_PREFIX.length);
    else if (rest === '/__overlay__') relative = '';
    else continue;
    const fragment = overlay.subnode(overlay.root, path.slice(1, slash));
    if (!fragment || !overlay.subnode(fragment, '__overlay__')) return bad(`holds "${path}", but the overlay has no such fragment with an __overlay__ node`);
    const target = fragmentTarget(ctx, fragment);
    if (!target) return false;
    const prefix = target.path ?? target.node.path;
    // libfdt writes the target path, '/', then the relative path: "/" stays "/", and a
    // label on __overlay__ itself gets a trailing slash ("/soc/")
    const value = `${prefix.length > 1 ? prefix : ''}/${relative}\0`;
    base.setProp(symbols, name, Buffer.from(value, 'latin1'));
  }
  return true;
}
