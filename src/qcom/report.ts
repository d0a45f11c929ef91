// What `dtkit devmem` shows for a PAS remote processor: its IOMMU stream, carveout and
// devmem rows, as plain data (JSON) and as an aligned text table.
import type { Node, Tree } from '../tree/model.js';
import { stringsOf } from '../tree/value.js';
import type { DevmemRow } from './devmem.js';
import { DEVMEM_PROPERTY, flagNames, isIdentity } from './devmem.js';
import { devmemRowsOf } from './devmem-value.js';
import { formatBytes, hexPadded } from './format.js';
import type { PhandleLookup } from '../tree/refs.js';
import { RefResolver } from '../tree/refs.js';
import { carveoutOf, isEnabledInTree, isPasNode, parseIommus } from './pas.js';

export interface StreamInfo {
  iommu: string;
  iommuLabel?: string;
  /** the specifier cells after the phandle (stream ID, SMR mask for arm-smmu) */
  args: number[];
}

export interface RemoteprocReport {
  path: string;
  labels: string[];
  compatible: string[];
  enabled: boolean;
  iommus: StreamInfo[];
  carveout?: { node: string; pa: number; size: number };
  /** undefined when the node has no qcom,devmem; [] when it is present but malformed */
  devmem?: DevmemRow[];
}

export function remoteprocReport(node: Node, phandles: PhandleLookup): RemoteprocReport {
  const iommusProp = node.getProperty('iommus');
  const iommus = iommusProp
    ? parseIommus(iommusProp, phandles).specifiers.map((s) => ({ iommu: s.iommu.path, iommuLabel: s.iommu.liveLabels[0], args: s.args }))
    : [];
  const c = carveoutOf(node, phandles);
  const devmemProp = node.getProperty(DEVMEM_PROPERTY);
  return {
    path: node.path,
    labels: node.liveLabels,
    compatible: stringsOf(node.getProperty('compatible')?.value ?? { bytes: new Uint8Array(), markers: [] }) ?? [],
    enabled: isEnabledInTree(node),
    iommus,
    carveout: c && { node: c.node.path, pa: c.pa, size: c.size },
    devmem: devmemProp ? devmemRowsOf(devmemProp) ?? [] : undefined,
  };
}

/** PAS remote processors selected by `--node` (a label, with or without '&', or a path), or all. */
export function selectRemoteprocs(tree: Tree, selector?: string): Node[] | undefined {
  if (selector === undefined) return tree.walk().filter(isPasNode);
  const node = new RefResolver(tree).find(selector.replace(/^&/, ''));
  return node ? [node] : undefined;
}

export function rowJson(row: DevmemRow, index: number): Record<string, unknown> {
  return {
    index, da: row.da, pa: row.pa, size: row.size, flags: row.flags,
    flagNames: flagNames(row.flags).split('|'), identity: isIdentity(row),
  };
}

function rangeCell(start: number, size: number): string {
  return size > 0 ? `${hexPadded(start)}-${hexPadded(start + size - 1)}` : `${hexPadded(start)} (empty)`;
}

/** The devmem rows as an aligned table (header + one line per row). */
export function rowTable(rows: readonly DevmemRow[], indent = ''): string[] {
  const header = ['#', 'IOVA (device address)', 'physical address', 'size', 'flags', 'mapping'];
  const body = rows.map((r, i) => [
    String(i), rangeCell(r.da, r.size), rangeCell(r.pa, r.size), formatBytes(r.size), flagNames(r.flags),
    isIdentity(r) ? 'identity' : `IOVA ${r.da >= r.pa ? '+' : '-'}${hexPadded(Math.abs(r.da - r.pa), 1)}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]) => indent + cells.map((s, c) => (c === 0 ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)];
}

export function remoteprocText(r: RemoteprocReport): string[] {
  const label = r.labels.length ? ` (&${r.labels[0]})` : '';
  const out = [`${r.path}${label}: ${r.compatible.join(', ')}${r.enabled ? '' : ' [disabled]'}`];
  if (r.iommus.length === 0) out.push('  iommus: none');
  for (const s of r.iommus) {
    const name = s.iommuLabel ? `&${s.iommuLabel}` : s.iommu;
    const [sid, mask] = s.args;
    const detail = sid === undefined ? '' : mask === undefined ? ` stream ${hexPadded(sid, 1)}` : ` stream ${hexPadded(sid, 1)} mask ${hexPadded(mask, 1)}`;
    out.push(`  iommus: ${name}${detail}`);
  }
  if (r.carveout) {
    out.push(`  carveout: ${r.carveout.node}: ${rangeCell(r.carveout.pa, r.carveout.size)} (${formatBytes(r.carveout.size)}), mapped READ|WRITE at IOVA = PA`);
  } else {
    out.push('  carveout: none (no usable memory-region[0])');
  }
  if (r.devmem === undefined) out.push(`  ${DEVMEM_PROPERTY}: none`);
  else if (r.devmem.length === 0) out.push(`  ${DEVMEM_PROPERTY}: malformed (see below)`);
  else out.push(`  ${DEVMEM_PROPERTY}: ${r.devmem.length} row${r.devmem.length === 1 ? '' : 's'}`, ...rowTable(r.devmem, '    '));
  return out;
}
