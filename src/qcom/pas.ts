// Tree facts about Qualcomm PAS remote processors: which nodes they are, their `iommus`
// specifiers (resolved against the IOMMU's #iommu-cells) and their firmware carveout.
import type { Node, Property, Tree } from '../tree/model.js';
import type { PhandleLookup } from '../tree/refs.js';
import { cellsOf, hex, stringsOf } from '../tree/value.js';

/** Every Peripheral Authentication Service binding names its compatibles `qcom,<soc>-<dsp>-pas`. */
const PAS_COMPATIBLE = /^qcom,.*-pas$/;

/** arm-smmu family: specifier cells are a 16-bit stream ID and (with 2 cells) an SMR mask. */
const ARM_SMMU_COMPATIBLES = new Set([
  'arm,mmu-500', 'qcom,smmu-500', 'arm,smmu-v1', 'arm,smmu-v2', 'arm,mmu-400', 'arm,mmu-401', 'qcom,smmu-v2',
]);

export function compatiblesOf(node: Node): string[] {
  const p = node.getProperty('compatible');
  return (p && stringsOf(p.value)) ?? [];
}

export function isPasNode(node: Node): boolean {
  return compatiblesOf(node).some((c) => PAS_COMPATIBLE.test(c));
}

export function isArmSmmu(node: Node): boolean {
  return compatiblesOf(node).some((c) => ARM_SMMU_COMPATIBLES.has(c));
}

/** dtc/Linux status semantics: absent, "okay" or "ok" means enabled. */
export function isStatusEnabled(node: Node): boolean {
  const p = node.getProperty('status');
  if (!p) return true;
  const s = stringsOf(p.value)?.[0];
  return s === 'okay' || s === 'ok';
}

/** Enabled itself and every ancestor enabled (a child of a disabled node never probes). */
export function isEnabledInTree(node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parent) if (!isStatusEnabled(n)) return false;
  return true;
}

/** Label or path a reference was written as, when the value remembers it. */
function refAt(prop: Property, byteOffset: number): string | undefined {
  for (const m of prop.value.markers) if (m.kind === 'phandle-ref' && m.offset === byteOffset) return m.ref;
  return undefined;
}

/** How to name a node in messages: its first label (`&apps_smmu`) and path. */
export function nodeName(node: Node): string {
  const label = node.liveLabels[0];
  return label ? `${node.path} (&${label})` : node.path;
}

export interface IommuSpecifier {
  iommu: Node;
  /** the cells after the phandle (#iommu-cells of them) */
  args: number[];
  /** index of the phandle cell within the property */
  cellIndex: number;
}

export interface IommusParse {
  specifiers: IommuSpecifier[];
  /** why parsing stopped early (dangling phandle, not an IOMMU, short specifier...) */
  problem?: string;
  /** an overlay's unresolved `&ref` (fixup): nothing can be said about it yet */
  unresolved?: boolean;
}

/** Splits an `iommus` value into specifiers using each target's #iommu-cells. */
export function parseIommus(prop: Property, phandles: PhandleLookup): IommusParse {
  const cells = cellsOf(prop.value);
  if (!cells || cells.length === 0) {
    return { specifiers: [], problem: `iommus must be a phandle followed by the IOMMU's #iommu-cells cells (it is ${prop.value.bytes.length} bytes long)` };
  }
  const specifiers: IommuSpecifier[] = [];
  let i = 0;
  while (i < cells.length) {
    const ph = cells[i];
    const ref = refAt(prop, i * 4);
    if (ph === 0xffffffff && ref !== undefined) return { specifiers, unresolved: true };
    const iommu = phandles(ph);
    const refText = ref !== undefined ? ` (&${ref})` : '';
    if (!iommu) {
      return { specifiers, problem: `iommus cell ${i}: phandle ${hex(ph)}${refText} does not point at any node` };
    }
    const n = iommu.getU32('#iommu-cells');
    if (n === undefined) {
      return { specifiers, problem: `iommus cell ${i}: ${nodeName(iommu)} has no #iommu-cells, so it is not an IOMMU` };
    }
    if (i + 1 + n > cells.length) {
      const have = cells.length - i - 1;
      return {
        specifiers,
        problem: `iommus has ${have} cell${have === 1 ? '' : 's'} after the phandle of ${nodeName(iommu)}, which has #iommu-cells = <${n}>`,
      };
    }
    specifiers.push({ iommu, args: cells.slice(i + 1, i + 1 + n), cellIndex: i });
    i += 1 + n;
  }
  return { specifiers };
}

/** A node's `reg` entries as [address, size] numbers, using the parent's cell sizes. */
export function regEntries(node: Node): Array<[number, number]> | undefined {
  const p = node.getProperty('reg');
  const cells = p && cellsOf(p.value);
  if (!cells) return undefined;
  const ac = node.parent?.getU32('#address-cells') ?? 2;
  const sc = node.parent?.getU32('#size-cells') ?? 1;
  const per = ac + sc;
  if (per === 0 || cells.length % per !== 0 || ac > 2 || sc > 2) return undefined;
  const join = (cs: number[]) => cs.reduce((acc, c) => acc * 2 ** 32 + c, 0);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < cells.length; i += per) out.push([join(cells.slice(i, i + ac)), join(cells.slice(i + ac, i + per))]);
  return out;
}

export interface Carveout {
  node: Node;
  pa: number;
  size: number;
}

/** The firmware carveout: the reserved-memory node `memory-region[0]` points at. */
export function carveoutOf(node: Node, phandles: PhandleLookup): Carveout | undefined {
  const p = node.getProperty('memory-region');
  const cells = p && cellsOf(p.value);
  if (!cells || cells.length === 0) return undefined;
  const target = phandles(cells[0]);
  const reg = target && regEntries(target);
  if (!target || !reg || reg.length === 0) return undefined;
  return { node: target, pa: reg[0][0], size: reg[0][1] };
}

/** The PAS remote processors of a tree, in walk order. */
export function pasNodes(tree: Tree): Node[] {
  const out: Node[] = [];
  for (const n of tree.walk()) if (isPasNode(n)) out.push(n);
  return out;
}
