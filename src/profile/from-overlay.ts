// `dtkit overlay --from X.dtso`: the profile that reproduces an existing overlay. Works on
// the compiled form (fragments, `__fixups__`), so .dtso and .dtbo inputs read the same:
// every `&label` comes back from the fixups, every target from `target`/`target-path`.
import type { Diagnostic } from '../report/diagnostic.js';
import type { Node, Property, Tree } from '../tree/model.js';
import { cellsOf, hex, stringsOf } from '../tree/value.js';
import { DEVMEM_FLAGS, DEVMEM_FLAG_MASK, DEVMEM_PROPERTY } from '../qcom/devmem.js';
import { compatiblesOf, isPasNode } from '../qcom/pas.js';
import type { BaseIndex } from './base.js';

export interface FromOverlayInput {
  overlay: Tree;
  overlayFile: string;
  /** the base board: gives the board compatible and says which targets are PAS remoteprocs */
  base?: BaseIndex;
  /** profile name to write */
  name: string;
}

export interface FromOverlayResult {
  yaml?: string;
  diagnostics: Diagnostic[];
}

/** `/fragment@0/__overlay__:iommus` -> byte offset -> label, and fragment -> target label. */
interface Fixups {
  refs: Map<string, Map<number, string>>;
  targets: Map<string, string>;
}

function readFixups(tree: Tree): Fixups {
  const refs = new Map<string, Map<number, string>>();
  const targets = new Map<string, string>();
  for (const p of tree.root.getChild('__fixups__')?.props ?? []) {
    for (const site of stringsOf(p.value) ?? []) {
      const m = /^(.*):([^:]+):(\d+)$/.exec(site);
      if (!m) continue;
      const [, nodePath, prop, offset] = m;
      if (prop === 'target' && offset === '0') targets.set(nodePath, p.name);
      const key = `${nodePath}:${prop}`;
      if (!refs.has(key)) refs.set(key, new Map());
      refs.get(key)!.set(Number(offset), p.name);
    }
  }
  return { refs, targets };
}

interface Ctx {
  input: FromOverlayInput;
  fixups: Fixups;
  out: Diagnostic[];
}

type Yaml = string[];

const cellNum = (n: number): string => (n < 10 ? String(n) : hex(n));

function unsupported(ctx: Ctx, where: string, why: string): void {
  ctx.out.push({ rule: 'profile_from', severity: 'error', message: `${where}: ${why}; a profile cannot express it`, file: ctx.input.overlayFile });
}

function looksLikeStrings(p: Property): boolean {
  const typed = p.value.markers.find((m) => m.kind === 'type');
  if (typed) return typed.type === 'string';
  const b = p.value.bytes;
  if (b.length === 0 || b[b.length - 1] !== 0 || b[0] === 0) return false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0) {
      if (i > 0 && b[i - 1] === 0) return false;
    } else if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** A property value as profile YAML (flow style), or undefined when it cannot be one. */
function valueYaml(ctx: Ctx, nodePath: string, p: Property): string | undefined {
  if (p.value.bytes.length === 0) return 'true';
  if (looksLikeStrings(p)) {
    const s = stringsOf(p.value)!;
    return s.length === 1 ? JSON.stringify(s[0]) : `[${s.map((x) => JSON.stringify(x)).join(', ')}]`;
  }
  const cells = cellsOf(p.value);
  if (!cells) {
    unsupported(ctx, `${nodePath}:${p.name}`, `a ${p.value.bytes.length}-byte value that is neither strings nor 32-bit cells`);
    return undefined;
  }
  const refs = ctx.fixups.refs.get(`${nodePath}:${p.name}`) ?? new Map<number, string>();
  return `[${cells.map((c, i) => (refs.has(i * 4) ? `"&${refs.get(i * 4)}"` : cellNum(c))).join(', ')}]`;
}

/** A YAML scalar for a name: plain when YAML reads it back unchanged, else quoted. */
function yamlName(s: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9,._+@-]*$/.test(s) ? s : JSON.stringify(s);
}

function pad(depth: number): string {
  return '  '.repeat(depth);
}

/** The `status:`/`set:`/`children:` keys of an edit, at `depth`. */
function editBodyYaml(ctx: Ctx, node: Node, nodePath: string, depth: number, skip: Set<string>): Yaml {
  const lines: Yaml = [];
  const props = node.props.filter((p) => !skip.has(p.name));
  const status = props.find((p) => p.name === 'status');
  const statusValue = status && stringsOf(status.value);
  const simpleStatus = statusValue?.length === 1 && ['okay', 'disabled', 'reserved', 'fail'].includes(statusValue[0]);
  const set = props.filter((p) => p !== status || !simpleStatus);
  if (set.length) {
    lines.push(`${pad(depth)}set:`);
    for (const p of set) {
      const v = valueYaml(ctx, nodePath, p);
      if (v !== undefined) lines.push(`${pad(depth + 1)}${yamlName(p.name)}: ${v}`);
    }
  }
  if (simpleStatus) lines.push(`${pad(depth)}status: ${statusValue![0]}`);
  const children = node.nodes;
  if (children.length) {
    lines.push(`${pad(depth)}children:`);
    for (const c of children) {
      lines.push(`${pad(depth + 1)}- name: ${yamlName(c.name)}`);
      lines.push(...editBodyYaml(ctx, c, `${nodePath}/${c.name}`, depth + 2, new Set()));
    }
  }
  return lines;
}

/** Levels of `children:` a profile can hold within js-yaml's nesting limit of 100 (each
 *  level is a list and a mapping, under the document, `edits` and its entry). */
const MAX_CHILD_DEPTH = 45;

/** Levels of live nodes below `node` (a loop: the overlay's depth is the input's). */
function nestingDepth(node: Node): number {
  let max = 0;
  const stack: Array<[Node, number]> = [[node, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of n.nodes) stack.push([c, d + 1]);
  }
  return max;
}

interface Fragment {
  /** `label: x` or `path: /x` */
  targetKey: string;
  label?: string;
  baseNode?: Node;
  overlayPath: string;
  node: Node;
}

function fragments(ctx: Ctx): Fragment[] {
  const out: Fragment[] = [];
  for (const f of ctx.input.overlay.root.nodes) {
    const ov = f.getChild('__overlay__');
    if (!ov) continue;
    const fragPath = f.path;
    const label = ctx.fixups.targets.get(fragPath);
    const targetPath = f.getProperty('target-path');
    const base = ctx.input.base;
    if (label) {
      out.push({ targetKey: `label: ${yamlName(label)}`, label, baseNode: base?.labels.get(label), overlayPath: ov.path, node: ov });
    } else if (targetPath && stringsOf(targetPath.value)?.length === 1) {
      const p = stringsOf(targetPath.value)![0];
      out.push({ targetKey: `path: ${yamlName(p)}`, baseNode: base?.tree.findByPath(p), overlayPath: ov.path, node: ov });
    } else {
      unsupported(ctx, fragPath, 'its target is neither a label nor a path (a phandle into the overlay itself)');
    }
  }
  return out;
}

interface RemoteprocYaml {
  lines: Yaml;
  /** properties the remoteproc entry consumed */
  used: Set<string>;
}

/** iommus (+ qcom,devmem) of a PAS remoteproc, when the fragment has that shape. */
function remoteprocYaml(ctx: Ctx, fr: Fragment): RemoteprocYaml | undefined {
  const iommus = fr.node.getProperty('iommus');
  if (!iommus) return undefined;
  const base = ctx.input.base;
  if (base ? !fr.baseNode || !isPasNode(fr.baseNode) : !fr.label?.startsWith('remoteproc')) return undefined;
  const cells = cellsOf(iommus.value);
  const smmu = ctx.fixups.refs.get(`${fr.overlayPath}:iommus`)?.get(0);
  const smmuNode = smmu && base?.labels.get(smmu);
  const n = smmuNode ? smmuNode.getU32('#iommu-cells') : cells ? cells.length - 1 : undefined;
  if (!cells || !smmu || (n !== 1 && n !== 2) || cells.length !== 1 + n) return undefined;
  const lines: Yaml = [`  - ${fr.targetKey}`];
  const pas = fr.baseNode && compatiblesOf(fr.baseNode).find((c) => /^qcom,.*-pas$/.test(c));
  if (pas) lines.push(`    compatible: ${yamlName(pas)}`);
  lines.push(`    smmu: ${yamlName(smmu)}`, `    sid: ${hex(cells[1])}`);
  if (n === 2) lines.push(`    mask: ${hex(cells[2])}`);
  const used = new Set(['iommus']);
  const devmem = fr.node.getProperty(DEVMEM_PROPERTY);
  const rows = devmem && cellsOf(devmem.value);
  if (devmem && rows && rows.length > 0 && rows.length % 4 === 0 && rows.every((c, i) => i % 4 !== 3 || (c !== 0 && (c & ~DEVMEM_FLAG_MASK) === 0))) {
    lines.push('    devmem:');
    for (let i = 0; i < rows.length; i += 4) {
      const flags = DEVMEM_FLAGS.filter((f) => rows[i + 3] & f.bit).map((f) => f.name);
      const pa = rows[i + 1] === rows[i] ? '' : ` pa: ${hex(rows[i + 1])},`;
      lines.push(`      - { da: ${hex(rows[i])},${pa} size: ${hex(rows[i + 2])}, flags: [${flags.join(', ')}] }`);
    }
    used.add(DEVMEM_PROPERTY);
  }
  return { lines, used };
}

/** Profile YAML reproducing `overlay`. */
export function profileFromOverlay(input: FromOverlayInput): FromOverlayResult {
  const ctx: Ctx = { input, fixups: readFixups(input.overlay), out: [] };
  if (input.overlay.root.getChild('__local_fixups__')?.props.length || input.overlay.root.getChild('__local_fixups__')?.nodes.length) {
    unsupported(ctx, input.overlayFile, 'it references nodes it defines itself (__local_fixups__)');
  }
  const frs = fragments(ctx);
  const remoteprocs: Yaml = [];
  const edits: Yaml = [];
  for (const fr of frs) {
    if (input.base && !fr.baseNode) {
      ctx.out.push({ rule: 'profile_target', severity: 'error', message: `${fr.targetKey.replace(': ', ' ')} is not in the base ${input.base.file}`, file: input.overlayFile });
      continue;
    }
    const depth = nestingDepth(fr.node);
    if (depth > MAX_CHILD_DEPTH) {
      unsupported(ctx, fr.overlayPath, `it nests nodes ${depth} levels deep, and a profile holds at most ${MAX_CHILD_DEPTH} levels of children (YAML's nesting limit)`);
      continue;
    }
    const rp = remoteprocYaml(ctx, fr);
    if (rp) remoteprocs.push(...rp.lines);
    const body = editBodyYaml(ctx, fr.node, fr.overlayPath, 2, rp?.used ?? new Set());
    if (body.length) edits.push(`  - ${fr.targetKey}`, ...body);
  }
  if (ctx.out.length) return { diagnostics: ctx.out };

  const rootCompat = input.base ? compatiblesOf(input.base.tree.root) : [];
  const soc = rootCompat[rootCompat.length - 1];
  const lines: Yaml = [
    `# Profile reproducing ${input.overlayFile} (written by dtkit overlay --from).`,
    `name: ${yamlName(input.name)}`,
    'base:',
    '  compatible:',
    `    - ${soc !== undefined ? yamlName(soc) : '"FIXME,soc"  # no base board given: name the SoC compatible this overlay is for'}`,
  ];
  if (remoteprocs.length) lines.push('remoteprocs:', ...remoteprocs);
  if (edits.length) lines.push('edits:', ...edits);
  const diagnostics: Diagnostic[] = soc ? [] : [{
    rule: 'profile_from', severity: 'warning', file: input.overlayFile,
    message: 'no base board given: base.compatible is a placeholder and remoteprocs are guessed from their labels; pass the base to fill both in',
  }];
  return { yaml: `${lines.join('\n')}\n`, diagnostics };
}
