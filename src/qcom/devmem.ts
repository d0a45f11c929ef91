// `qcom,devmem` rows: the device-memory mappings a Qualcomm PAS remote processor needs in
// its IOMMU stream when Linux (a KVM host at EL2) programs that stream itself. Each row is
// four u32 cells: device address (IOVA), physical address, size, IOMMU attribute flags.
// Everything here is pure: the check rows (checks.ts) and `dtkit devmem` share it.
import { formatBytes, hex32, rangeText } from './format.js';

export interface DevmemRow {
  /** device address: the IOVA the remote processor uses */
  da: number;
  /** physical address */
  pa: number;
  size: number;
  flags: number;
}

export const DEVMEM_PROPERTY = 'qcom,devmem';
export const DEVMEM_CELLS_PER_ROW = 4;
export const DEFAULT_IOMMU_PAGE_SIZE = 4096;
const FOUR_GIB = 2 ** 32;

/** The attribute bits the binding allows (the kernel's IOMMU_* prot bits 0..4). */
export const DEVMEM_FLAGS = [
  { bit: 0x1, name: 'read', macro: 'QCOM_DEVMEM_READ' },
  { bit: 0x2, name: 'write', macro: 'QCOM_DEVMEM_WRITE' },
  { bit: 0x4, name: 'cache', macro: 'QCOM_DEVMEM_CACHE' },
  { bit: 0x8, name: 'noexec', macro: 'QCOM_DEVMEM_NOEXEC' },
  { bit: 0x10, name: 'mmio', macro: 'QCOM_DEVMEM_MMIO' },
] as const;
export const DEVMEM_FLAG_MASK = 0x1f;
/** Known kernel prot bits that the binding rejects, named in messages. */
const REJECTED_KNOWN_BITS: Record<number, string> = { 0x20: 'IOMMU_PRIV' };

export type DevmemRule = 'qcom_devmem_format' | 'qcom_devmem_flags' | 'qcom_devmem_alignment' | 'qcom_devmem_overlap';

/** Which cell of a row a problem is about (0 da, 1 pa, 2 size, 3 flags). */
export type RowCell = 0 | 1 | 2 | 3;

export interface DevmemProblem {
  rule: DevmemRule;
  message: string;
  /** row index (0-based) the problem is located at, when it is about one row */
  row?: number;
  cell?: RowCell;
  /** the other row of an overlap */
  otherRow?: number;
}

/** The carveout as the IOMMU sees it: mapped at IOVA = its physical address. */
export interface CarveoutRange {
  pa: number;
  size: number;
  /** how to name it in messages, e.g. `memory-region[0] (/reserved-memory/pil-adsp@95900000)` */
  description: string;
}

/** Rows from cells (length must already be a multiple of 4). */
export function rowsFromCells(cells: readonly number[]): DevmemRow[] {
  const rows: DevmemRow[] = [];
  for (let i = 0; i + 3 < cells.length; i += DEVMEM_CELLS_PER_ROW) {
    rows.push({ da: cells[i], pa: cells[i + 1], size: cells[i + 2], flags: cells[i + 3] });
  }
  return rows;
}

export function rowToCells(row: DevmemRow): number[] {
  return [row.da, row.pa, row.size, row.flags];
}

/** A cell-count problem, or undefined when the count is a non-zero multiple of 4. */
export function cellCountProblem(cellCount: number): DevmemProblem | undefined {
  if (cellCount > 0 && cellCount % DEVMEM_CELLS_PER_ROW === 0) return undefined;
  const what = cellCount === 0 ? 'is empty' : `has ${cellCount} cell${cellCount === 1 ? '' : 's'}`;
  return {
    rule: 'qcom_devmem_format',
    message: `${DEVMEM_PROPERTY} ${what}; expected a non-zero multiple of 4 (device address, physical address, size, flags per row)`,
  };
}

/** `READ|WRITE`, or `0` for no bits; unknown bits as hex. */
export function flagNames(flags: number): string {
  const names: string[] = [];
  for (const f of DEVMEM_FLAGS) if (flags & f.bit) names.push(f.name.toUpperCase());
  const rest = (flags & ~DEVMEM_FLAG_MASK) >>> 0;
  if (rest) names.push(hex32(rest));
  return names.length ? names.join('|') : '0';
}

function describeRejectedBits(bits: number): string {
  const parts: string[] = [];
  for (let b = 0x20; b !== 0 && b <= bits; b = (b * 2) >>> 0) {
    if (!(bits & b)) continue;
    const known = REJECTED_KNOWN_BITS[b];
    parts.push(known ? `${hex32(b)} (${known})` : hex32(b));
  }
  return parts.join(', ');
}

export function flagProblems(row: DevmemRow, index: number): DevmemProblem[] {
  if (row.flags === 0) {
    return [{
      rule: 'qcom_devmem_flags', row: index, cell: 3,
      message: `row ${index}: flags are 0; a mapping needs at least one of READ, WRITE, CACHE, NOEXEC, MMIO`,
    }];
  }
  const bad = (row.flags & ~DEVMEM_FLAG_MASK) >>> 0;
  if (!bad) return [];
  return [{
    rule: 'qcom_devmem_flags', row: index, cell: 3,
    message: `row ${index}: flags ${hex32(row.flags)} set bits outside READ|WRITE|CACHE|NOEXEC|MMIO (0x1f): ${describeRejectedBits(bad)}`,
  }];
}

export function alignmentProblems(row: DevmemRow, index: number, pageSize: number): DevmemProblem[] {
  const out: DevmemProblem[] = [];
  const page = formatBytes(pageSize);
  const fields: Array<[RowCell, string, number]> = [[0, 'device address', row.da], [1, 'physical address', row.pa], [2, 'size', row.size]];
  for (const [cell, what, v] of fields) {
    if (cell === 2 && v === 0) {
      out.push({ rule: 'qcom_devmem_alignment', row: index, cell, message: `row ${index}: size is 0` });
    } else if (v % pageSize !== 0) {
      out.push({
        rule: 'qcom_devmem_alignment', row: index, cell,
        message: `row ${index}: ${what} ${hex32(v)} is not a multiple of the ${page} IOMMU page (off by ${hex32(v % pageSize)})`,
      });
    }
  }
  for (const [cell, what, base] of [[0, 'device', row.da], [1, 'physical', row.pa]] as Array<[RowCell, string, number]>) {
    const end = base + row.size;
    if (end > FOUR_GIB) {
      out.push({
        rule: 'qcom_devmem_alignment', row: index, cell,
        message: `row ${index}: ${what} range ${hex32(base)} + size ${hex32(row.size)} ends at 0x${end.toString(16)}, past the 32-bit address space`,
      });
    }
  }
  return out;
}

/** Pairs of [start, end) ranges that intersect, each reported once, in O(n log n + pairs). */
function overlappingPairs(ranges: Array<{ start: number; end: number; index: number }>): Array<[number, number]> {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.index - b.index);
  const open: typeof sorted = [];
  const pairs: Array<[number, number]> = [];
  for (const r of sorted) {
    for (let i = open.length - 1; i >= 0; i--) if (open[i].end <= r.start) open.splice(i, 1);
    for (const o of open) pairs.push(o.index < r.index ? [o.index, r.index] : [r.index, o.index]);
    open.push(r);
  }
  return pairs.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

/**
 * Device-address overlaps between rows (they collide in the one IOMMU domain), physical
 * ranges mapped twice with different flags, and rows overlapping the carveout's IOVA range.
 */
export function overlapProblems(rows: readonly DevmemRow[], carveout?: CarveoutRange): DevmemProblem[] {
  const out: DevmemProblem[] = [];
  const daRanges = rows.map((r, index) => ({ start: r.da, end: r.da + r.size, index }));
  for (const [a, b] of overlappingPairs(daRanges)) {
    out.push({
      rule: 'qcom_devmem_overlap', row: b, cell: 0, otherRow: a,
      message: `row ${b}: device addresses ${rangeText(rows[b].da, rows[b].size)} overlap row ${a} (${rangeText(rows[a].da, rows[a].size)})`,
    });
  }
  const paRanges = rows.map((r, index) => ({ start: r.pa, end: r.pa + r.size, index }));
  for (const [a, b] of overlappingPairs(paRanges)) {
    if (rows[a].flags === rows[b].flags) continue;
    out.push({
      rule: 'qcom_devmem_overlap', row: b, cell: 1, otherRow: a,
      message: `row ${b}: physical range ${rangeText(rows[b].pa, rows[b].size)} is also mapped by row ${a} with different flags (${flagNames(rows[b].flags)} vs ${flagNames(rows[a].flags)})`,
    });
  }
  if (carveout && carveout.size > 0) {
    const cStart = carveout.pa, cEnd = carveout.pa + carveout.size;
    rows.forEach((r, i) => {
      if (r.size > 0 && r.da < cEnd && cStart < r.da + r.size) {
        out.push({
          rule: 'qcom_devmem_overlap', row: i, cell: 0,
          message: `row ${i}: device addresses ${rangeText(r.da, r.size)} overlap the carveout ${carveout.description}, mapped at IOVA ${rangeText(cStart, carveout.size)}`,
        });
      }
    });
  }
  return out;
}

export interface RowCheckOptions {
  pageSize?: number;
  carveout?: CarveoutRange;
}

/** Every row-level problem (flags, alignment, overlap), in rule then row order. */
export function rowProblems(rows: readonly DevmemRow[], opts: RowCheckOptions = {}): DevmemProblem[] {
  const pageSize = opts.pageSize ?? DEFAULT_IOMMU_PAGE_SIZE;
  const out: DevmemProblem[] = [];
  rows.forEach((r, i) => out.push(...flagProblems(r, i)));
  rows.forEach((r, i) => out.push(...alignmentProblems(r, i, pageSize)));
  out.push(...overlapProblems(rows, opts.carveout));
  return out;
}

/** True when a row maps its IOVA straight onto the same physical address. */
export function isIdentity(row: DevmemRow): boolean {
  return row.da === row.pa;
}
