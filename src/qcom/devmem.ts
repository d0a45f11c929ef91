// `qcom,devmem` rows: the device-memory mappings a Qualcomm PAS remote processor needs in
// its IOMMU stream when Linux (a KVM host at EL2) programs that stream itself. Each row is
// four u32 cells: device address (IOVA), physical address, size, IOMMU attribute flags.
// Everything here is pure: the check rows (checks.ts) and `dtkit devmem` share it.
import { formatBytes, rangeText } from './format.js';
import { hex } from '../tree/value.js';

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
  /** the message without its `row N: ` (what `devmem encode` says of the one row it builds) */
  detail?: string;
  /** set on the one finding that stands for this many more of its kind, not listed */
  more?: number;
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
  if (rest) names.push(hex(rest));
  return names.length ? names.join('|') : '0';
}

function describeRejectedBits(bits: number): string {
  const parts: string[] = [];
  for (let b = 0x20; b !== 0 && b <= bits; b = (b * 2) >>> 0) {
    if (!(bits & b)) continue;
    const known = REJECTED_KNOWN_BITS[b];
    parts.push(known ? `${hex(b)} (${known})` : hex(b));
  }
  return parts.join(', ');
}

/** A problem's message about row `index`, and the same without the row. */
function atRow(index: number, detail: string): { message: string; detail: string } {
  return { message: `row ${index}: ${detail}`, detail };
}

export function flagProblems(row: DevmemRow, index: number): DevmemProblem[] {
  if (row.flags === 0) {
    return [{
      rule: 'qcom_devmem_flags', row: index, cell: 3,
      ...atRow(index, 'flags are 0; a mapping needs at least one of READ, WRITE, CACHE, NOEXEC, MMIO'),
    }];
  }
  const bad = (row.flags & ~DEVMEM_FLAG_MASK) >>> 0;
  if (!bad) return [];
  return [{
    rule: 'qcom_devmem_flags', row: index, cell: 3,
    ...atRow(index, `flags ${hex(row.flags)} set bits outside READ|WRITE|CACHE|NOEXEC|MMIO (0x1f): ${describeRejectedBits(bad)}`),
  }];
}

export function alignmentProblems(row: DevmemRow, index: number, pageSize: number): DevmemProblem[] {
  const out: DevmemProblem[] = [];
  const page = formatBytes(pageSize);
  const fields: Array<[RowCell, string, number]> = [[0, 'device address', row.da], [1, 'physical address', row.pa], [2, 'size', row.size]];
  for (const [cell, what, v] of fields) {
    if (cell === 2 && v === 0) {
      out.push({ rule: 'qcom_devmem_alignment', row: index, cell, ...atRow(index, 'size is 0') });
    } else if (v % pageSize !== 0) {
      out.push({
        rule: 'qcom_devmem_alignment', row: index, cell,
        ...atRow(index, `${what} ${hex(v)} is not a multiple of the ${page} IOMMU page (off by ${hex(v % pageSize)})`),
      });
    }
  }
  for (const [cell, what, base] of [[0, 'device', row.da], [1, 'physical', row.pa]] as Array<[RowCell, string, number]>) {
    const end = base + row.size;
    if (end > FOUR_GIB) {
      out.push({
        rule: 'qcom_devmem_alignment', row: index, cell,
        ...atRow(index, `${what} range ${hex(base)} + size ${hex(row.size)} ends at 0x${end.toString(16)}, past the 32-bit address space`),
      });
    }
  }
  return out;
}

/** Findings of one kind listed before the rest are summed up in one "N more" finding: a
 *  user fixes the first ones and runs again; thousands of copies say nothing more. */
export const MAX_LISTED_PER_KIND = 25;

interface Range {
  start: number;
  end: number;
  index: number;
  /** ranges overlap only ranges of another group (physical ranges: other flags) */
  group?: number;
}

/**
 * Intersecting pairs, each row reported at most once: ranges sorted by start, each one is
 * checked against the earlier-starting range that reaches furthest (per other group, when
 * groups are given). Every range that overlaps some other range is in a pair, found in
 * O(n log n) (times the number of groups); a range overlapping several others names one.
 * A pair is [earlier row, later row].
 */
function overlappingPairs(ranges: readonly Range[]): Array<[number, number]> {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.index - b.index);
  /** per group: the range reaching furthest so far */
  const furthest = new Map<number | undefined, Range>();
  const pairs: Array<[number, number]> = [];
  for (const r of sorted) {
    let cover: Range | undefined;
    for (const [group, f] of furthest) {
      if (r.group !== undefined && group === r.group) continue;
      if (f.end > r.start && (!cover || f.index < cover.index)) cover = f;
    }
    if (cover) pairs.push(cover.index < r.index ? [cover.index, r.index] : [r.index, cover.index]);
    const own = furthest.get(r.group);
    if (!own || r.end > own.end) furthest.set(r.group, r);
  }
  return pairs.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

/** The first MAX_LISTED_PER_KIND problems, then one that counts the rest (at the first of them). */
function listed(problems: DevmemProblem[], more: (n: number, first: number, last: number) => string): DevmemProblem[] {
  if (problems.length <= MAX_LISTED_PER_KIND) return problems;
  const rest = problems.slice(MAX_LISTED_PER_KIND);
  const first = rest[0];
  return [
    ...problems.slice(0, MAX_LISTED_PER_KIND),
    { rule: first.rule, row: first.row, cell: first.cell, more: rest.length, message: more(rest.length, first.row ?? 0, rest[rest.length - 1].row ?? 0) },
  ];
}

/**
 * Device-address overlaps between rows (they collide in the one IOMMU domain), physical
 * ranges mapped twice with different flags, and rows overlapping the carveout's IOVA range.
 */
export function overlapProblems(rows: readonly DevmemRow[], carveout?: CarveoutRange): DevmemProblem[] {
  const da: DevmemProblem[] = [];
  const daRanges = rows.map((r, index) => ({ start: r.da, end: r.da + r.size, index }));
  for (const [a, b] of overlappingPairs(daRanges)) {
    da.push({
      rule: 'qcom_devmem_overlap', row: b, cell: 0, otherRow: a,
      message: `row ${b}: device addresses ${rangeText(rows[b].da, rows[b].size)} overlap row ${a} (${rangeText(rows[a].da, rows[a].size)})`,
    });
  }
  const pa: DevmemProblem[] = [];
  const paRanges = rows.map((r, index) => ({ start: r.pa, end: r.pa + r.size, index, group: r.flags }));
  for (const [a, b] of overlappingPairs(paRanges)) {
    pa.push({
      rule: 'qcom_devmem_overlap', row: b, cell: 1, otherRow: a,
      message: `row ${b}: physical range ${rangeText(rows[b].pa, rows[b].size)} is also mapped by row ${a} with different flags (${flagNames(rows[b].flags)} vs ${flagNames(rows[a].flags)})`,
    });
  }
  const carve: DevmemProblem[] = [];
  if (carveout && carveout.size > 0) {
    const cStart = carveout.pa, cEnd = carveout.pa + carveout.size;
    rows.forEach((r, i) => {
      if (r.size > 0 && r.da < cEnd && cStart < r.da + r.size) {
        carve.push({
          rule: 'qcom_devmem_overlap', row: i, cell: 0,
          message: `row ${i}: device addresses ${rangeText(r.da, r.size)} overlap the carveout ${carveout.description}, mapped at IOVA ${rangeText(cStart, carveout.size)}`,
        });
      }
    });
  }
  return [
    ...listed(da, (n, first, last) => `row ${first}: and ${n} more rows (up to row ${last}) whose device addresses overlap an earlier row, not listed`),
    ...listed(pa, (n, first, last) => `row ${first}: and ${n} more rows (up to row ${last}) whose physical range is also mapped with different flags, not listed`),
    ...listed(carve, (n, first, last) => `row ${first}: and ${n} more rows (up to row ${last}) that overlap the carveout, not listed`),
  ];
}

export interface RowCheckOptions {
  pageSize?: number;
  carveout?: CarveoutRange;
}

/** Every row-level problem (flags, alignment, overlap), in rule then row order; beyond
 *  MAX_LISTED_PER_KIND of one kind, the rest are counted in one finding. */
export function rowProblems(rows: readonly DevmemRow[], opts: RowCheckOptions = {}): DevmemProblem[] {
  const pageSize = opts.pageSize ?? DEFAULT_IOMMU_PAGE_SIZE;
  const flags: DevmemProblem[] = [];
  const alignment: DevmemProblem[] = [];
  rows.forEach((r, i) => flags.push(...flagProblems(r, i)));
  rows.forEach((r, i) => alignment.push(...alignmentProblems(r, i, pageSize)));
  return [
    ...listed(flags, (n, first, last) => `row ${first}: and ${n} more flag problems (up to row ${last}), not listed`),
    ...listed(alignment, (n, first, last) => `row ${first}: and ${n} more alignment problems (up to row ${last}), not listed`),
    ...overlapProblems(rows, opts.carveout),
  ];
}

/** True when a row maps its IOVA straight onto the same physical address. */
export function isIdentity(row: DevmemRow): boolean {
  return row.da === row.pa;
}
