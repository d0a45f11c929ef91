// Profile + base tree -> the overlay to write (one `&target { ... }` block per base
// node), checking on the way everything that can be checked against the base alone:
// the board, every target, PAS compatibles, the SMMU, devmem rows, references.
import type { CheckLevel } from '../checks/types.js';
import type { Diagnostic, DiagnosticNote } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { Node } from '../tree/model.js';
import { hex, stringsOf } from '../tree/value.js';
import { runChecks } from '../checks/run.js';
import { qcomChecks } from '../qcom/checks.js';
import type { DevmemRow } from '../qcom/devmem.js';
import { DEVMEM_FLAGS, DEVMEM_PROPERTY, rowProblems } from '../qcom/devmem.js';
import { carveoutOf, compatiblesOf, isPasNode } from '../qcom/pas.js';
import type { BaseIndex } from './base.js';
import { globMatch } from './base.js';
import type { ResolvedTarget } from './targets.js';
import { displayTarget, resolveTarget, similarLabels } from './targets.js';
import type { Cell, ChildEdit, DevmemRowSpec, NodeEditBody, Num, Profile, PropSpec, RemoteprocSpec } from './types.js';

export type OutCell = { kind: 'num'; text: string } | { kind: 'ref'; ref: string } | { kind: 'expr'; text: string };
export type OutValue = { kind: 'empty' } | { kind: 'strings'; strings: string[] } | { kind: 'cells'; groups: OutCell[][] };

/** Where an output property came from: its profile span, and per devmem row the row's spans. */
export interface PropOrigin {
  span: SourceSpan;
  rows?: DevmemRowSpec[];
}

export interface OutProp {
  name: string;
  value: OutValue;
  origin: PropOrigin;
}

export interface OutNode {
  name: string;
  comments: string[];
  props: OutProp[];
  children: OutNode[];
}

export interface OverlayBlock extends OutNode {
  /** what follows `&`: a label or `{/path}` */
  ref: string;
  target: Node;
}

export interface OverlayPlan {
  profile: Profile;
  blocks: OverlayBlock[];
  usesDevmem: boolean;
  /** one line per thing verified, for the CLI's report */
  checked: string[];
}

export interface PlanResult {
  plan?: OverlayPlan;
  diagnostics: Diagnostic[];
}

interface PlanContext {
  base: BaseIndex;
  out: Diagnostic[];
  blocks: Map<Node, OverlayBlock>;
  checked: string[];
  /** -W/-E levels of the qcom_devmem_* rules the rows are checked with */
  levels?: Map<string, CheckLevel>;
}

export interface PlanOptions {
  levels?: Map<string, CheckLevel>;
}

function error(ctx: PlanContext, rule: string, message: string, span: SourceSpan | undefined, notes: DiagnosticNote[] = []): void {
  ctx.out.push({ rule, severity: 'error', message, span, notes: notes.length ? notes : undefined });
}


function hexText(n: Num): string {
  return n.text.startsWith('0x') ? n.text : hex(n.value);
}

function blockFor(ctx: PlanContext, t: ResolvedTarget): OverlayBlock {
  let b = ctx.blocks.get(t.node);
  if (!b) {
    b = { ref: t.ref, target: t.node, name: t.ref, comments: [], props: [], children: [] };
    ctx.blocks.set(t.node, b);
  }
  return b;
}

function addProp(ctx: PlanContext, node: OutNode, prop: OutProp, where: string): void {
  const dup = node.props.find((p) => p.name === prop.name);
  if (dup) {
    error(ctx, 'profile_duplicate', `${where} sets '${prop.name}' twice`, prop.origin.span,
      [{ message: 'first set here', span: dup.origin.span }]);
    return;
  }
  node.props.push(prop);
}

function checkBoard(ctx: PlanContext, profile: Profile): boolean {
  const root = ctx.base.tree.root;
  const rootCompat = compatiblesOf(root);
  const ok = profile.baseCompatible.some((p) => rootCompat.some((c) => globMatch(p.value, c)));
  if (!ok) {
    const wanted = profile.baseCompatible.map((p) => `"${p.value}"`).join(', ');
    const have = rootCompat.length ? rootCompat.map((c) => `"${c}"`).join(', ') : 'none';
    error(ctx, 'profile_board', `profile '${profile.name}' is for boards compatible with ${wanted}; the base ${ctx.base.file} is ${have}`,
      profile.baseCompatible[0]?.span ?? profile.baseSpan, [{ message: 'refusing to apply a profile to the wrong board' }]);
    return false;
  }
  ctx.checked.push(`board: root compatible ${rootCompat.map((c) => `"${c}"`).join(', ')} matches ${profile.baseCompatible.map((p) => p.value).join(', ')}`);
  return true;
}

/** QHEE-clean: the base is the tree the hypervisor boots, so no PAS node carries IOMMU properties. */
function checkQheeClean(ctx: PlanContext): void {
  const policyRow = qcomChecks({ policy: 'qhee' }).filter((c) => c.id === 'qcom_pas_host');
  const r = runChecks(ctx.base.tree, { checks: policyRow, file: ctx.base.file });
  for (const d of r.diagnostics) {
    ctx.out.push({ ...d, rule: 'profile_base_not_qhee_clean', message: `base is not QHEE-clean: ${d.message}` });
  }
  if (!r.diagnostics.length) ctx.checked.push('base is QHEE-clean: no PAS remoteproc carries iommus or qcom,devmem');
}

function planRemoteproc(ctx: PlanContext, rp: RemoteprocSpec): void {
  const t = resolveTarget(ctx.base, rp.target, ctx.out);
  if (!t) return;
  const compat = compatiblesOf(t.node);
  const where = `${displayTarget(rp.target)} (${t.node.path})`;
  if (rp.compatible && !compat.includes(rp.compatible.value)) {
    error(ctx, 'profile_compatible', `${where} is ${compat.map((c) => `"${c}"`).join(', ') || 'without compatible'}, not "${rp.compatible.value}"`, rp.compatible.span);
    return;
  }
  if (!isPasNode(t.node)) {
    error(ctx, 'profile_not_pas', `${where} is not a PAS remoteproc (compatible ${compat.map((c) => `"${c}"`).join(', ') || 'none'}); iommus and qcom,devmem belong on qcom,*-pas nodes`, rp.target.span);
    return;
  }
  const block = blockFor(ctx, t);
  if (block.props.some((p) => p.name === 'iommus')) {
    error(ctx, 'profile_duplicate', `${where} is listed twice under remoteprocs`, rp.span);
    return;
  }
  const smmu = ctx.base.labels.get(rp.smmu.value);
  if (!smmu) {
    const near = similarLabels(ctx.base, rp.smmu.value);
    error(ctx, 'profile_smmu', `no node labelled '${rp.smmu.value}' in the base ${ctx.base.file}`, rp.smmu.span,
      near.length ? [{ message: `did you mean ${near.map((l) => `'${l}'`).join(', ')}?` }] : []);
    return;
  }
  const cells = smmu.getU32('#iommu-cells');
  if (cells === undefined || cells < 1 || cells > 2) {
    error(ctx, 'profile_smmu', `&${rp.smmu.value} (${smmu.path}) ${cells === undefined ? 'has no #iommu-cells, so it is not an IOMMU' : `has #iommu-cells = <${cells}>; profiles support SMMUs with 1 or 2 cells`}`, rp.smmu.span);
    return;
  }
  if (cells === 1 && rp.mask) {
    error(ctx, 'profile_smmu', `&${rp.smmu.value} has #iommu-cells = <1>: its specifier is the stream ID alone, so 'mask' cannot be given`, rp.mask.span);
    return;
  }
  const spec: OutCell[] = [{ kind: 'ref', ref: rp.smmu.value }, { kind: 'num', text: hexText(rp.sid) }];
  if (cells === 2) spec.push({ kind: 'num', text: rp.mask ? hexText(rp.mask) : '0x0' });
  if (rp.comment) block.comments.push(rp.comment);
  addProp(ctx, block, { name: 'iommus', value: { kind: 'cells', groups: [spec] }, origin: { span: rp.sid.span } }, where);
  const stream = `${hexText(rp.sid)}${cells === 2 ? `/${rp.mask ? hexText(rp.mask) : '0x0'}` : ''}`;
  ctx.checked.push(`${where}: PAS remoteproc "${rp.compatible?.value ?? compat.find((c) => /-pas$/.test(c))}", stream ${stream} on &${rp.smmu.value}`);
  if (rp.devmem.length) planDevmem(ctx, rp, t.node, block, where);
}

/** Devmem rows are checked here, at the profile's row, with the qcom_devmem_* rules themselves. */
function planDevmem(ctx: PlanContext, rp: RemoteprocSpec, node: Node, block: OverlayBlock, where: string): void {
  const rows: DevmemRow[] = rp.devmem.map((r) => ({ da: r.da.value, pa: r.pa.value, size: r.size.value, flags: r.flagBits }));
  const c = carveoutOf(node, ctx.base.phandles);
  const carveout = c && { pa: c.pa, size: c.size, description: `memory-region[0] (${c.node.path})` };
  let refused = false, warned = 0;
  for (const p of rowProblems(rows, { carveout })) {
    const level = ctx.levels?.get(p.rule) ?? 'error';
    if (level === 'off') continue;
    refused ||= level === 'error';
    if (level === 'warning') warned++;
    const row = p.row === undefined ? undefined : rp.devmem[p.row];
    const cellSpan = row && (p.cell === 0 ? row.da.span : p.cell === 1 ? row.pa.span : p.cell === 2 ? row.size.span : p.cell === 3 ? row.flags[0]?.span : row.span);
    const other = p.otherRow === undefined ? undefined : rp.devmem[p.otherRow];
    ctx.out.push({
      rule: p.rule, severity: level, message: `${where}: devmem ${p.message}`, span: cellSpan ?? row?.span ?? rp.span,
      notes: other ? [{ message: `row ${p.otherRow} is here`, span: other.span }] : undefined,
    });
  }
  if (refused) return;
  const groups = rp.devmem.map((r): OutCell[] => [
    { kind: 'num', text: hexText(r.da) },
    { kind: 'num', text: hexText(r.pa) },
    { kind: 'num', text: hex(r.size.value) },
    { kind: 'expr', text: flagsExpr(r.flagBits) },
  ]);
  addProp(ctx, block, { name: DEVMEM_PROPERTY, value: { kind: 'cells', groups }, origin: { span: rp.devmem[0].span, rows: rp.devmem } }, where);
  const verdict = warned ? `are checked by (${warned} warning${warned === 1 ? '' : 's'})` : 'pass';
  ctx.checked.push(`${where}: ${rows.length} qcom,devmem row${rows.length === 1 ? '' : 's'} ${verdict} qcom_devmem_flags, qcom_devmem_alignment, qcom_devmem_overlap${carveout ? ` (carveout ${carveout.description})` : ''}`);
}

function flagsExpr(bits: number): string {
  const names = DEVMEM_FLAGS.filter((f) => bits & f.bit).map((f) => f.macro);
  return names.length === 1 ? names[0] : `(${names.join(' | ')})`;
}

function cellOut(ctx: PlanContext, c: Cell, where: string): OutCell {
  if (c.kind === 'num') return { kind: 'num', text: c.num.text };
  const isPath = c.ref.startsWith('{');
  const found = isPath ? ctx.base.tree.findByPath(c.ref.slice(1, -1)) : ctx.base.labels.get(c.ref);
  if (!found) {
    const near = isPath ? [] : similarLabels(ctx.base, c.ref);
    error(ctx, 'profile_ref', `${where}: &${c.ref} is not ${isPath ? 'a node' : 'a label'} of the base ${ctx.base.file}`, c.span,
      near.length ? [{ message: `did you mean ${near.map((l) => `'${l}'`).join(', ')}?` }] : []);
  }
  return { kind: 'ref', ref: c.ref };
}

function propOut(ctx: PlanContext, p: PropSpec, where: string): OutProp {
  const v = p.value;
  const value: OutValue = v.kind === 'cells' ? { kind: 'cells', groups: v.groups.map((g) => g.map((c) => cellOut(ctx, c, where))) } : v;
  return { name: p.name, value, origin: { span: p.span } };
}

function statusOf(node: Node): string {
  const p = node.getProperty('status');
  return (p && stringsOf(p.value)?.[0]) ?? 'okay';
}

function applyEditBody(ctx: PlanContext, node: OutNode, body: NodeEditBody, where: string, baseNode: Node | undefined): void {
  if (body.comment) node.comments.push(body.comment);
  for (const d of body.delete) {
    error(ctx, 'profile_delete_unsupported', `${where}: cannot delete '${d.value}' with an overlay: fdtoverlay only adds and replaces properties (dtc drops /delete-property/ from plugins)`, d.span,
      [{ message: 'set status = "disabled" on the node, or give the property a new value' }]);
  }
  for (const p of body.set) addProp(ctx, node, propOut(ctx, p, where), where);
  if (body.status) {
    addProp(ctx, node, { name: 'status', value: { kind: 'strings', strings: [body.status.value] }, origin: { span: body.status.span } }, where);
    const was = baseNode && statusOf(baseNode);
    ctx.checked.push(`${where}: status ${was ? `"${was}" -> ` : ''}"${body.status.value}"`);
  }
  if (body.set.length) ctx.checked.push(`${where}: sets ${body.set.map((p) => p.name).join(', ')}`);
  for (const ch of body.children) planChild(ctx, node, ch, where, baseNode);
}

function planChild(ctx: PlanContext, parent: OutNode, ch: ChildEdit, parentWhere: string, parentBase: Node | undefined): void {
  let out = parent.children.find((c) => c.name === ch.name.value);
  if (!out) {
    out = { name: ch.name.value, comments: [], props: [], children: [] };
    parent.children.push(out);
  }
  const baseChild = parentBase?.getChild(ch.name.value);
  const where = `${parentWhere}/${ch.name.value}`;
  if (!baseChild) ctx.checked.push(`${where}: new child node`);
  applyEditBody(ctx, out, ch, where, baseChild);
}

function compareRefs(a: OverlayBlock, b: OverlayBlock): number {
  // kernel style: label overrides sorted by label; path references after them
  const pa = a.ref.startsWith('{') ? 1 : 0, pb = b.ref.startsWith('{') ? 1 : 0;
  if (pa !== pb) return pa - pb;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/** Checks the profile against the base and lays out the overlay; no output when anything fails. */
export function planOverlay(profile: Profile, base: BaseIndex, opts: PlanOptions = {}): PlanResult {
  const ctx: PlanContext = { base, out: [], blocks: new Map(), checked: [], levels: opts.levels };
  if (!base.hasSymbols) {
    error(ctx, 'profile_symbols', `the base ${base.file} has no __symbols__ node: compile it with symbols (dtc -@) so the overlay's labels resolve`, undefined);
    return { diagnostics: ctx.out.map((d) => ({ ...d, file: base.file })) };
  }
  if (!checkBoard(ctx, profile)) return { diagnostics: ctx.out };
  checkQheeClean(ctx);
  for (const rp of profile.remoteprocs) planRemoteproc(ctx, rp);
  for (const e of profile.edits) {
    const t = resolveTarget(base, e.target, ctx.out);
    if (!t) continue;
    applyEditBody(ctx, blockFor(ctx, t), e, `${displayTarget(e.target)} (${t.node.path})`, t.node);
  }
  if (ctx.out.some((d) => d.severity === 'error')) return { diagnostics: ctx.out };
  const blocks = [...ctx.blocks.values()].sort(compareRefs);
  for (const b of blocks) statusLast(b);
  const usesDevmem = blocks.some((b) => b.props.some((p) => p.name === DEVMEM_PROPERTY));
  return { plan: { profile, blocks, usesDevmem, checked: ctx.checked }, diagnostics: ctx.out };
}

/** Kernel coding style puts `status` last in a node. */
function statusLast(node: OutNode): void {
  node.props = [...node.props.filter((p) => p.name !== 'status'), ...node.props.filter((p) => p.name === 'status')];
  for (const c of node.children) statusLast(c);
}
