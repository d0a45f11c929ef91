// `dtkit devmem map`: an SVG of each PAS remote processor's IOVA space (what the DSP
// sees) above its physical space, with the carveout, the devmem rows, the links between
// them and overlaps in red. Addresses span 4 GiB while rows are a few KiB, so the axis is
// compressed: every stretch some range covers gets a width growing with the log of its
// size, and every empty stretch a fixed narrow gap mark.
import type { CarveoutRange, DevmemRow } from './devmem.js';
import { flagNames, overlapProblems } from './devmem.js';
import { formatBytes, rangeText } from './format.js';
import { hex } from '../tree/value.js';

export interface MapProcessor {
  title: string;
  /** a line under the title, e.g. the IOMMU stream */
  subtitle?: string;
  rows: readonly DevmemRow[];
  carveout?: { pa: number; size: number; name: string };
}

const W = 1100;
const LEFT = 80;
const PLOT = W - LEFT - 90; // room on the right for the last rotated tick
const LANE_H = 26;
const IOVA_Y = 44;
const PA_Y = IOVA_Y + LANE_H + 44;
const BLOCK_H = PA_Y + LANE_H + 96;
const LEGEND_H = 34;
const GAP_W = 14;

type Space = 'iova' | 'pa';

interface Segment {
  start: number;
  end: number;
  x: number;
  w: number;
  covered: boolean;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The compressed axis over every range of both spaces. */
function buildAxis(ranges: Array<[number, number]>): Segment[] {
  const live = ranges.filter(([s, e]) => e > s);
  const bounds = [...new Set(live.flatMap(([s, e]) => [s, e]))].sort((a, b) => a - b);
  const segs: Segment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i], end = bounds[i + 1];
    const covered = live.some(([s, e]) => s <= start && end <= e);
    const w = covered ? Math.min(140, 8 + 10 * Math.log2(1 + (end - start) / 4096)) : GAP_W;
    segs.push({ start, end, x: 0, w, covered });
  }
  const total = segs.reduce((n, s) => n + s.w, 0) || 1;
  const scale = PLOT / total;
  let x = LEFT;
  for (const s of segs) {
    s.w *= scale;
    s.x = x;
    x += s.w;
  }
  return segs;
}

function xOf(axis: Segment[], addr: number): number {
  let lo = 0, hi = axis.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (axis[mid].start <= addr) lo = mid;
    else hi = mid - 1;
  }
  const s = axis[lo];
  if (!s) return LEFT;
  const f = s.end > s.start ? (Math.min(Math.max(addr, s.start), s.end) - s.start) / (s.end - s.start) : 0;
  return s.x + f * s.w;
}

function rowFill(flags: number): string {
  if (flags & 0x10) return '#e39b3b';
  if (flags & 0x2) return '#3a8f4a';
  return '#9fd49f';
}

interface Piece {
  space: Space;
  start: number;
  size: number;
}

/** Intersections of overlapping ranges, from the same rules qcom_devmem_overlap reports. */
function overlapPieces(rows: readonly DevmemRow[], carveout?: CarveoutRange): Piece[] {
  const out: Piece[] = [];
  const cut = (space: Space, a: [number, number], b: [number, number]) => {
    const s = Math.max(a[0], b[0]), e = Math.min(a[1], b[1]);
    if (e > s) out.push({ space, start: s, size: e - s });
  };
  for (const p of overlapProblems(rows, carveout)) {
    if (p.row === undefined || p.more) continue; // "N more" stands for pieces not listed
    const r = rows[p.row];
    if (p.otherRow === undefined && carveout) cut('iova', [r.da, r.da + r.size], [carveout.pa, carveout.pa + carveout.size]);
    else if (p.otherRow !== undefined) {
      const o = rows[p.otherRow];
      if (p.cell === 1) cut('pa', [r.pa, r.pa + r.size], [o.pa, o.pa + o.size]);
      else cut('iova', [r.da, r.da + r.size], [o.da, o.da + o.size]);
    }
  }
  return out;
}

function renderProcessor(proc: MapProcessor, top: number): string[] {
  const out: string[] = [];
  const rows = proc.rows;
  const c = proc.carveout;
  const ranges: Array<[number, number]> = rows.flatMap((r) => [[r.da, r.da + r.size], [r.pa, r.pa + r.size]] as Array<[number, number]>);
  if (c) ranges.push([c.pa, c.pa + c.size]);
  const axis = buildAxis(ranges);
  const laneY = (s: Space) => top + (s === 'iova' ? IOVA_Y : PA_Y);
  const rect = (cls: string, space: Space, start: number, size: number, fill: string, title: string, extra = '') => {
    const x = xOf(axis, start), w = Math.max(1, xOf(axis, start + size) - x);
    return `<rect class="${cls}" data-space="${space}"${extra} x="${num(x)}" y="${num(laneY(space))}" width="${num(w)}" height="${LANE_H}" fill="${fill}" stroke="#333" stroke-width="0.5"><title>${escapeXml(title)}</title></rect>`;
  };

  out.push(`<g class="remoteproc">`);
  out.push(`<text class="title" x="${LEFT}" y="${top + 18}" font-weight="bold">${escapeXml(proc.title)}</text>`);
  if (proc.subtitle) out.push(`<text class="subtitle" x="${LEFT}" y="${top + 33}" font-size="11" fill="#444">${escapeXml(proc.subtitle)}</text>`);
  for (const s of ['iova', 'pa'] as Space[]) {
    out.push(`<text class="lane-label" x="${LEFT - 8}" y="${num(laneY(s) + 17)}" text-anchor="end">${s === 'iova' ? 'IOVA' : 'PA'}</text>`);
    out.push(`<rect class="lane" x="${LEFT}" y="${num(laneY(s))}" width="${PLOT}" height="${LANE_H}" fill="#f4f4f4"/>`);
  }
  for (const seg of axis) {
    if (seg.covered) continue;
    for (const s of ['iova', 'pa'] as Space[]) {
      const y = laneY(s), mx = seg.x + seg.w / 2;
      out.push(`<path class="gap" d="M${num(mx - 3)},${num(y - 2)} L${num(mx + 3)},${num(y + LANE_H / 2)} L${num(mx - 3)},${num(y + LANE_H + 2)}" fill="none" stroke="#999"/>`);
    }
  }
  // links first, so the ranges are drawn over them
  const link = (da: number, pa: number, size: number) => {
    const x1 = xOf(axis, da), x2 = xOf(axis, da + size), x3 = xOf(axis, pa + size), x4 = xOf(axis, pa);
    const y1 = laneY('iova') + LANE_H, y2 = laneY('pa');
    return `<polygon class="link" points="${num(x1)},${num(y1)} ${num(x2)},${num(y1)} ${num(x3)},${num(y2)} ${num(x4)},${num(y2)}" fill="#cfd8e8" fill-opacity="0.7"/>`;
  };
  if (c) out.push(link(c.pa, c.pa, c.size));
  rows.forEach((r) => out.push(link(r.da, r.pa, r.size)));
  if (c) {
    const title = `carveout ${c.name}: ${rangeText(c.pa, c.size)} (${formatBytes(c.size)}), READ|WRITE, IOVA = PA`;
    for (const s of ['iova', 'pa'] as Space[]) out.push(rect('carveout', s, c.pa, c.size, '#6f8fcf', title));
    const x = xOf(axis, c.pa), w = xOf(axis, c.pa + c.size) - x;
    if (w >= 90) out.push(`<text class="carveout-label" x="${num(x + w / 2)}" y="${num(laneY('iova') + 17)}" text-anchor="middle" font-size="10" fill="#fff">carveout ${formatBytes(c.size)}</text>`);
  }
  rows.forEach((r, i) => {
    const title = `row ${i}: IOVA ${rangeText(r.da, r.size)} -> PA ${rangeText(r.pa, r.size)}, ${formatBytes(r.size)}, ${flagNames(r.flags)}`;
    out.push(rect('devmem', 'iova', r.da, r.size, rowFill(r.flags), title, ` data-row="${i}"`));
    out.push(rect('devmem', 'pa', r.pa, r.size, rowFill(r.flags), title, ` data-row="${i}"`));
    const x = xOf(axis, r.da), w = xOf(axis, r.da + r.size) - x;
    if (w >= 12) out.push(`<text class="row-label" x="${num(x + w / 2)}" y="${num(laneY('iova') + 17)}" text-anchor="middle" font-size="10">${i}</text>`);
  });
  const carveRange: CarveoutRange | undefined = c && { pa: c.pa, size: c.size, description: c.name };
  for (const p of overlapPieces(rows, carveRange)) {
    out.push(rect('overlap', p.space, p.start, p.size, '#d62728', `overlap: ${rangeText(p.start, p.size)}`));
  }
  // address ticks where a covered stretch begins or ends
  const ticks = new Set<number>();
  axis.forEach((seg, i) => {
    if (!seg.covered) return;
    if (i === 0 || !axis[i - 1].covered) ticks.add(seg.start);
    if (i === axis.length - 1 || !axis[i + 1].covered) ticks.add(seg.end);
  });
  const tickY = laneY('pa') + LANE_H + 10;
  for (const t of [...ticks].sort((a, b) => a - b)) {
    const x = xOf(axis, t);
    out.push(`<text class="tick" x="${num(x)}" y="${num(tickY)}" font-size="9" transform="rotate(50 ${num(x)} ${num(tickY)})">${hex(t)}</text>`);
  }
  out.push('</g>');
  return out;
}

function legend(): string[] {
  const items: Array<[string, string]> = [
    ['#6f8fcf', 'carveout (memory-region[0])'], ['#9fd49f', 'READ'], ['#3a8f4a', 'READ|WRITE'], ['#e39b3b', 'MMIO'], ['#d62728', 'overlap'],
  ];
  const out = ['<g class="legend">'];
  let x = LEFT;
  for (const [fill, text] of items) {
    out.push(`<rect class="legend-swatch" x="${x}" y="10" width="14" height="14" fill="${fill}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text class="legend-label" x="${x + 20}" y="22">${escapeXml(text)}</text>`);
    x += 40 + text.length * 7;
  }
  out.push('</g>');
  return out;
}

/** A standalone SVG document mapping every given remote processor. */
export function renderDevmemMap(procs: readonly MapProcessor[]): string {
  const height = LEGEND_H + Math.max(1, procs.length) * BLOCK_H;
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect class="background" x="0" y="0" width="${W}" height="${height}" fill="#ffffff"/>`,
    ...legend(),
  ];
  procs.forEach((p, i) => out.push(...renderProcessor(p, LEGEND_H + i * BLOCK_H)));
  if (procs.length === 0) out.push(`<text class="empty" x="${LEFT}" y="${LEGEND_H + 30}">no PAS remote processor with an IOVA layout</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}
