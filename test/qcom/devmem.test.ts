// The pure devmem pieces: formatting, typed-row parsing, flags, alignment and overlaps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_LISTED_PER_KIND, alignmentProblems, cellCountProblem, flagNames, flagProblems, overlapProblems, rowProblems, rowsFromCells,
} from '../../src/qcom/devmem.js';
import { formatBytes, parseCInteger, parseSize, rangeText } from '../../src/qcom/format.js';
import { parseFlagList, parseTypedCells } from '../../src/qcom/parse-rows.js';

describe('number formatting and parsing', () => {
  test('sizes print in the largest whole unit', () => {
    assert.deepEqual([0, 4096, 0x4000, 0xe000, 0x1e00000, 2 ** 30, 6000].map(formatBytes),
      ['0 B', '4 KiB', '16 KiB', '56 KiB', '30 MiB', '1 GiB', '6000 B']);
  });
  test('sizes parse with K/M/G suffixes', () => {
    assert.deepEqual(['16K', '16KiB', '2M', '0x4000', '4096', '1G', '3 kb'].map(parseSize), [16384, 16384, 2097152, 16384, 4096, 2 ** 30, 3072]);
    assert.equal(parseSize('16Q'), undefined);
    assert.equal(parseSize(''), undefined);
  });
  test('C integers: hex, octal, decimal, suffixes', () => {
    assert.deepEqual(['0x10', '010', '10', '0', '0x1fUL', '7u'].map(parseCInteger), [16, 8, 10, 0, 31, 7]);
    assert.equal(parseCInteger('08'), undefined);
  });
  test('ranges are inclusive', () => {
    assert.equal(rangeText(0x110000, 0x4000), '0x110000-0x113fff');
    assert.equal(rangeText(0x110000, 0), '0x110000 (empty)');
  });
});

describe('typed rows', () => {
  test('DTS cell lists with macros and expressions', () => {
    const r = parseTypedCells('qcom,devmem = <0x110000 0x110000 0x4000 QCOM_DEVMEM_READ>,\n  <0x123000 0x123000 (4 << 10) (IOMMU_READ | QCOM_DEVMEM_WRITE)>;');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.cells, [0x110000, 0x110000, 0x4000, 1, 0x123000, 0x123000, 0x1000, 3]);
    assert.deepEqual(r.spans.map((s) => [s.line, s.column]), [[1, 16], [1, 25], [1, 34], [1, 41], [2, 4], [2, 13], [2, 22], [2, 32]]);
  });
  test('bare numbers', () => {
    assert.deepEqual(parseTypedCells('0x110000 0x110000 0x1000 1').cells, [0x110000, 0x110000, 0x1000, 1]);
    assert.deepEqual(parseTypedCells('0x110000, 0x110000, 0x1000, 1').cells, [0x110000, 0x110000, 0x1000, 1]);
  });
  test('a value past 32 bits is refused where it was typed', () => {
    const r = parseTypedCells('<0x110000 0x100000000 0x1000 0x1>');
    assert.deepEqual(r.diagnostics.map((d) => [d.rule, d.message, d.span?.column]), [
      ['qcom_devmem_format', 'cell 1 (row 0): 0x100000000 does not fit in 32 bits', 11],
    ]);
  });
  test('expressions wrap at 64 bits like dtc, and huge shifts do not blow up', () => {
    assert.deepEqual(parseTypedCells('<(1 << 100000000) (0 - 1) 0x1000 0x1>').diagnostics.map((d) => d.message), [
      'cell 1 (row 0): 0xffffffffffffffff does not fit in 32 bits',
    ]);
    assert.deepEqual(parseTypedCells('<((1 << 63) * 2) 0 (0x800 + 0x800) 0x1>').cells, [0, 0, 0x1000, 1]);
  });
  test('/bits/ 64 rows are refused, /bits/ 32 is accepted', () => {
    assert.deepEqual(parseTypedCells('<0x1000 0x1000 0x1000 0x1>, /bits/ 64 <0x100000000 0x1>').diagnostics.map((d) => [d.message, d.span?.column]), [
      ['row 1 is written with /bits/ 64; every qcom,devmem value is a 32-bit cell', 29],
    ]);
    assert.deepEqual(parseTypedCells('/bits/ 32 <0x1000 0x1000 0x1000 0x1>').cells, [0x1000, 0x1000, 0x1000, 1]);
  });
  test('unknown names, stray characters and an unclosed list', () => {
    assert.match(parseTypedCells('<0x1 FOO 0x1000 0x1>').diagnostics[0].message, /^unknown name 'FOO' \(flag macros: QCOM_DEVMEM_READ, /);
    assert.deepEqual(parseTypedCells('<0x1 $ 0x1>').diagnostics.map((d) => [d.message, d.span?.column]), [["unexpected character '$'", 6]]);
    assert.equal(parseTypedCells('<0x1 0x2 0x3 0x4').diagnostics[0].message, "missing '>'");
  });
  test('flag lists from the command line', () => {
    assert.deepEqual(parseFlagList('read,write'), { flags: 3 });
    assert.deepEqual(parseFlagList('READ|MMIO'), { flags: 0x11 });
    assert.deepEqual(parseFlagList('QCOM_DEVMEM_NOEXEC,iommu_cache'), { flags: 0xc });
    assert.deepEqual(parseFlagList('0x3'), { flags: 3 });
    assert.deepEqual(parseFlagList('read,priv'), { error: "unknown flag 'priv' (known: read, write, cache, noexec, mmio)" });
  });
});

describe('row problems', () => {
  test('cell counts', () => {
    assert.equal(cellCountProblem(8), undefined);
    assert.match(cellCountProblem(0)!.message, /^qcom,devmem is empty;/);
    assert.match(cellCountProblem(5)!.message, /^qcom,devmem has 5 cells;/);
  });
  test('flag names', () => {
    assert.equal(flagNames(0x1f), 'READ|WRITE|CACHE|NOEXEC|MMIO');
    assert.equal(flagNames(0x21), 'READ|0x20');
    assert.equal(flagNames(0), '0');
  });
  test('flags: zero and foreign bits', () => {
    assert.deepEqual(flagProblems({ da: 0, pa: 0, size: 0x1000, flags: 0x3 }, 0), []);
    assert.equal(flagProblems({ da: 0, pa: 0, size: 0x1000, flags: 0xffffffff }, 2)[0].message,
      'row 2: flags 0xffffffff set bits outside READ|WRITE|CACHE|NOEXEC|MMIO (0x1f): 0x20 (IOMMU_PRIV), 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000, 0x800000, 0x1000000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000, 0x80000000');
  });
  test('alignment with a larger page', () => {
    const ps = alignmentProblems({ da: 0x11000, pa: 0x20000, size: 0x10000, flags: 1 }, 0, 0x10000);
    assert.deepEqual(ps.map((p) => [p.cell, p.message]), [[0, 'row 0: device address 0x11000 is not a multiple of the 64 KiB IOMMU page (off by 0x1000)']]);
  });
  test('a row ending exactly at 4 GiB is fine, one page more is not', () => {
    assert.deepEqual(alignmentProblems({ da: 0xfffff000, pa: 0x1000, size: 0x1000, flags: 1 }, 0, 4096), []);
    assert.equal(alignmentProblems({ da: 0xfffff000, pa: 0x1000, size: 0x2000, flags: 1 }, 0, 4096).length, 1);
  });
  test('overlaps: each overlapping row once (with the earlier row reaching furthest), in row order, and the carveout', () => {
    const rows = rowsFromCells([0x1000, 0x1000, 0x3000, 1, 0x2000, 0x9000, 0x1000, 1, 0x3000, 0xa000, 0x1000, 1, 0x8000, 0x8000, 0x1000, 1]);
    const ps = overlapProblems(rows, { pa: 0x8000, size: 0x1000, description: 'memory-region[0] (/c)' });
    assert.deepEqual(ps.map((p) => [p.row, p.otherRow]), [[1, 0], [2, 0], [3, undefined]]);
    assert.equal(ps[2].message, 'row 3: device addresses 0x8000-0x8fff overlap the carveout memory-region[0] (/c), mapped at IOVA 0x8000-0x8fff');
  });
  test('4,000 identical rows: 25 overlaps listed, the rest counted in one finding, fast', () => {
    const cells: number[] = [];
    for (let i = 0; i < 4000; i++) cells.push(0x110000, 0x110000, 0x4000, 1);
    const t0 = performance.now();
    const ps = rowProblems(rowsFromCells(cells));
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(ps.length, MAX_LISTED_PER_KIND + 1);
    assert.deepEqual(ps.slice(0, 2).map((p) => [p.row, p.otherRow, p.message]), [
      [1, 0, 'row 1: device addresses 0x110000-0x113fff overlap row 0 (0x110000-0x113fff)'],
      [2, 0, 'row 2: device addresses 0x110000-0x113fff overlap row 0 (0x110000-0x113fff)'],
    ]);
    assert.deepEqual([ps[25].row, ps[25].more, ps[25].message], [26, 3974, 'row 26: and 3974 more rows (up to row 3999) whose device addresses overlap an earlier row, not listed']);
  });
  test('a physical range mapped again with other flags is found even behind a same-flags row', () => {
    const rows = rowsFromCells([0x1000, 0x1000, 0x1000, 1, 0x2000, 0x1000, 0x4000, 1, 0x9000, 0x3000, 0x1000, 3]);
    assert.deepEqual(overlapProblems(rows).map((p) => [p.row, p.otherRow, p.cell]), [[2, 1, 1]]);
  });
  test('many disjoint rows stay fast (sweep, not all pairs)', () => {
    const cells: number[] = [];
    for (let i = 0; i < 20000; i++) cells.push(i * 0x2000, i * 0x2000, 0x1000, 1);
    const t0 = performance.now();
    assert.deepEqual(rowProblems(rowsFromCells(cells)), []);
    assert.ok(performance.now() - t0 < 2000);
  });
});
