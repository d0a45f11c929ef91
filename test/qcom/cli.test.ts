// `dtkit devmem`: decode (the proposal's 18-row example), encode, check and map, through
// the action functions with captured output, and the exit codes through main().
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import type { DevmemIo } from '../../src/cli/devmem.js';
import { devmemCheck, devmemDecode, devmemEncode, devmemMap } from '../../src/cli/devmem.js';
import { main } from '../../src/cli/main.js';
import { projectRoot } from '../support/corpus.js';
import { elements, parseXml } from './xml.js';
import { example18File, fixturesDir, scratchDir, writeVariant } from './support.js';

/** The original proposal's example rows, as it wrote them (flags 0x1 and 0x3). */
export const EXAMPLE_18_ROWS = `qcom,devmem = <0x00110000 0x00110000 0x4000 0x1>,
              <0x00123000 0x00123000 0x1000 0x3>,
              <0x00124000 0x00124000 0x3000 0x3>,
              <0x00127000 0x00127000 0x2000 0x3>,
              <0x0012a000 0x0012a000 0x3000 0x3>,
              <0x0012e000 0x0012e000 0x1000 0x3>,
              <0x0012f000 0x0012f000 0x1000 0x1>,
              <0x00144000 0x00144000 0x1000 0x1>,
              <0x00148000 0x00148000 0x1000 0x1>,
              <0x00149000 0x00149000 0xe000 0x3>,
              <0x00157000 0x00157000 0x1000 0x3>,
              <0x00158000 0x00158000 0xd000 0x3>,
              <0x00165000 0x00165000 0x1000 0x3>,
              <0x00172000 0x00172000 0x1000 0x3>,
              <0x00173000 0x00173000 0x8000 0x3>,
              <0x0017b000 0x0017b000 0x2000 0x3>,
              <0x0017f000 0x0017f000 0x1000 0x3>,
              <0x00184000 0x00184000 0x1000 0x1>;`;

const EXAMPLE_18_TABLE = `qcom,devmem: 18 rows
 #  IOVA (device address)  physical address       size    flags       mapping
 0  0x00110000-0x00113fff  0x00110000-0x00113fff  16 KiB  READ        identity
 1  0x00123000-0x00123fff  0x00123000-0x00123fff  4 KiB   READ|WRITE  identity
 2  0x00124000-0x00126fff  0x00124000-0x00126fff  12 KiB  READ|WRITE  identity
 3  0x00127000-0x00128fff  0x00127000-0x00128fff  8 KiB   READ|WRITE  identity
 4  0x0012a000-0x0012cfff  0x0012a000-0x0012cfff  12 KiB  READ|WRITE  identity
 5  0x0012e000-0x0012efff  0x0012e000-0x0012efff  4 KiB   READ|WRITE  identity
 6  0x0012f000-0x0012ffff  0x0012f000-0x0012ffff  4 KiB   READ        identity
 7  0x00144000-0x00144fff  0x00144000-0x00144fff  4 KiB   READ        identity
 8  0x00148000-0x00148fff  0x00148000-0x00148fff  4 KiB   READ        identity
 9  0x00149000-0x00156fff  0x00149000-0x00156fff  56 KiB  READ|WRITE  identity
10  0x00157000-0x00157fff  0x00157000-0x00157fff  4 KiB   READ|WRITE  identity
11  0x00158000-0x00164fff  0x00158000-0x00164fff  52 KiB  READ|WRITE  identity
12  0x00165000-0x00165fff  0x00165000-0x00165fff  4 KiB   READ|WRITE  identity
13  0x00172000-0x00172fff  0x00172000-0x00172fff  4 KiB   READ|WRITE  identity
14  0x00173000-0x0017afff  0x00173000-0x0017afff  32 KiB  READ|WRITE  identity
15  0x0017b000-0x0017cfff  0x0017b000-0x0017cfff  8 KiB   READ|WRITE  identity
16  0x0017f000-0x0017ffff  0x0017f000-0x0017ffff  4 KiB   READ|WRITE  identity
17  0x00184000-0x00184fff  0x00184000-0x00184fff  4 KiB   READ        identity

no problems found
`;

interface Captured extends DevmemIo {
  stdout: string;
  stderr: string;
  written: Map<string, string>;
}

/** `stdin` null: standard input cannot be read. */
function capture(stdin: string | null = ''): Captured {
  const io: Captured = {
    host: nodeHost, stdout: '', stderr: '', written: new Map(),
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
    readStdin: () => stdin ?? undefined,
    writeFile: (f, t) => void io.written.set(f, t),
  };
  return io;
}

const common = { format: 'text' as const, pageSize: '4K' };
const board = { ...common, overlay: [] as string[], include: [fixturesDir] };

describe('dtkit devmem decode', () => {
  test("the proposal's 18-row example decodes to its table with flag names", () => {
    const io = capture();
    assert.equal(devmemDecode(EXAMPLE_18_ROWS, common, io), 0);
    assert.equal(io.stdout, EXAMPLE_18_TABLE);
    assert.equal(io.stderr, '');
  });

  test('JSON: 18 identity rows between 0x110000 and 0x185000, flags 0x1 or 0x3', () => {
    const io = capture();
    assert.equal(devmemDecode(EXAMPLE_18_ROWS, { ...common, format: 'json' }, io), 0);
    const out = JSON.parse(io.stdout) as { rows: Array<{ da: number; pa: number; size: number; flags: number; flagNames: string[]; identity: boolean }>; diagnostics: unknown[] };
    assert.equal(out.rows.length, 18);
    assert.deepEqual(out.diagnostics, []);
    assert.ok(out.rows.every((r) => r.identity && r.da === r.pa && r.da % 4096 === 0 && (r.flags === 1 || r.flags === 3)));
    assert.equal(out.rows[0].da, 0x110000);
    assert.equal(out.rows[17].da + out.rows[17].size, 0x185000);
    assert.deepEqual(out.rows[1].flagNames, ['READ', 'WRITE']);
  });

  test('stdin with `-`, and every problem pointed at in the typed text', () => {
    const io = capture('<0x110000 0x110000 0x4000 0x1>\n<0x112800 0x112800 0x1000 0x40>\n');
    assert.equal(devmemDecode('-', common, io), 1);
    assert.equal(io.stdout.split('\n\n')[1], [
      "<stdin>:2:2: error: row 1: device address 0x112800 is not a multiple of the 4 KiB IOMMU page (off by 0x800) [qcom_devmem_alignment]",
      '  <0x112800 0x112800 0x1000 0x40>',
      '   ^~~~~~~~',
      "<stdin>:2:2: error: row 1: device addresses 0x112800-0x1137ff overlap row 0 (0x110000-0x113fff) [qcom_devmem_overlap]",
      '  <0x112800 0x112800 0x1000 0x40>',
      '   ^~~~~~~~',
      '<stdin>:1:2: note: row 0 is here',
      "<stdin>:2:11: error: row 1: physical address 0x112800 is not a multiple of the 4 KiB IOMMU page (off by 0x800) [qcom_devmem_alignment]",
      '  <0x112800 0x112800 0x1000 0x40>',
      '            ^~~~~~~~',
      "<stdin>:2:11: error: row 1: physical range 0x112800-0x1137ff is also mapped by row 0 with different flags (0x40 vs READ) [qcom_devmem_overlap]",
      '  <0x112800 0x112800 0x1000 0x40>',
      '            ^~~~~~~~',
      '<stdin>:1:11: note: row 0 is here',
      "<stdin>:2:27: error: row 1: flags 0x40 set bits outside READ|WRITE|CACHE|NOEXEC|MMIO (0x1f): 0x40 [qcom_devmem_flags]",
      '  <0x112800 0x112800 0x1000 0x40>',
      '                            ^~~~',
      '',
    ].join('\n'));
  });

  test('unreadable standard input is an input error', () => {
    const io = capture(null);
    assert.equal(devmemDecode('-', common, io), 1);
    assert.equal(io.stderr, 'dtkit: error: cannot read standard input\n');
  });

  test('a bad page size is a usage error', () => {
    const io = capture();
    assert.equal(devmemDecode('1 2 3 4', { ...common, pageSize: '3K' }, io), 2);
    assert.equal(io.stderr, "dtkit: error: --page-size '3K' is not a power of two such as 4K or 64K\n");
  });
});

describe('dtkit devmem encode', () => {
  test('a valid row, with the header macros', () => {
    const io = capture();
    assert.equal(devmemEncode({ ...common, da: '0x110000', size: '16K', flags: 'read,write' }, io), 0);
    assert.equal(io.stdout, '<0x00110000 0x00110000 0x4000 (QCOM_DEVMEM_READ | QCOM_DEVMEM_WRITE)>\n');
  });
  test('numeric flags, explicit PA, 2M, JSON', () => {
    const io = capture();
    assert.equal(devmemEncode({ ...common, format: 'json', da: '0x200000', pa: '0x80000000', size: '2M', flags: 'mmio', numeric: true }, io), 0);
    const out = JSON.parse(io.stdout) as { cells: number[]; dts: string; identity: boolean };
    assert.deepEqual(out.cells, [0x200000, 0x80000000, 0x200000, 0x10]);
    assert.equal(out.dts, '<0x00200000 0x80000000 0x200000 0x10>');
    assert.equal(out.identity, false);
  });
  test('refuses invalid input and says why (exit 1)', () => {
    const io = capture();
    assert.equal(devmemEncode({ ...common, da: '0x110800', size: '6000', flags: 'read,priv' }, io), 1);
    assert.equal(io.stdout, '');
    assert.equal(io.stderr, "dtkit: error: --flags: unknown flag 'priv' (known: read, write, cache, noexec, mmio)\n");
    const io2 = capture();
    assert.equal(devmemEncode({ ...common, da: '0x110800', size: '0x1000', flags: 'read' }, io2), 1);
    assert.equal(io2.stderr, [
      'dtkit: error: device address 0x110800 is not a multiple of the 4 KiB IOMMU page (off by 0x800)',
      'dtkit: error: physical address 0x110800 is not a multiple of the 4 KiB IOMMU page (off by 0x800)',
      '',
    ].join('\n'));
    const io3 = capture();
    assert.equal(devmemEncode({ ...common, da: '0x1_0000', size: '8G', flags: '0' }, io3), 1);
    assert.equal(io3.stderr, [
      "dtkit: error: --da '0x1_0000' is not a number (0x.., decimal, or with K/M/G)",
      'dtkit: error: --size 8G does not fit in 32 bits',
      '',
    ].join('\n'));
  });
});

describe('dtkit devmem check and map', () => {
  const dir = scratchDir('cli');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('check: the 18-row board shows stream, carveout and rows, and passes on a KVM host', () => {
    const io = capture();
    assert.equal(devmemCheck(example18File, { ...board, host: 'kvm', node: 'remoteproc_adsp' }, io), 0);
    const lines = io.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 7), [
      `${example18File}: 1 PAS remote processor`,
      '',
      '/soc@0/remoteproc@30000000 (&remoteproc_adsp): qcom,sa8775p-adsp-pas',
      '  iommus: &apps_smmu stream 0x3000 mask 0x0',
      '  carveout: /reserved-memory/pil-adsp@95900000: 0x95900000-0x976fffff (30 MiB), mapped READ|WRITE at IOVA = PA',
      '  qcom,devmem: 18 rows',
      '     #  IOVA (device address)  physical address       size    flags       mapping',
    ]);
    assert.equal(lines.at(-2), 'no problems found');
  });

  test('check: findings at the source line, JSON records, exit 1', () => {
    const { file } = writeVariant(dir, 'check-bad', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x110000 0x1000 0x0>;\n};');
    const io = capture();
    assert.equal(devmemCheck(file, { ...board, format: 'json' }, io), 1);
    const out = JSON.parse(io.stdout) as { remoteprocs: Array<{ path: string }>; diagnostics: Array<Record<string, unknown>> };
    assert.equal(out.remoteprocs.length, 5);
    assert.deepEqual(out.diagnostics.map((d) => [d.rule, d.file, d.line, d.column, d.node, d.property_path]), [
      ['qcom_devmem_flags', file, 7, 42, '/soc@0/remoteproc@30000000', ['qcom,devmem']],
    ]);
  });

  test('check: a 64-bit value truncated into a row is shown where it was written', () => {
    const { file } = writeVariant(dir, 'check-overflow', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x100110000 0x1000 0x1>;\n};');
    const io = capture();
    assert.equal(devmemCheck(file, { ...board, format: 'json', node: 'remoteproc_adsp' }, io), 0);
    const out = JSON.parse(io.stdout) as { remoteprocs: Array<{ devmem: Array<{ pa: number }> }>; diagnostics: Array<Record<string, unknown>> };
    assert.equal(out.remoteprocs[0].devmem[0].pa, 0x110000);
    assert.deepEqual(out.diagnostics.map((d) => [d.rule, d.level, d.line, d.column]), [['cell_overflow', 'warning', 7, 26]]);
  });

  test('check: an unknown --node is an input error', () => {
    const io = capture();
    assert.equal(devmemCheck(example18File, { ...board, node: 'remoteproc_nope' }, io), 1);
    assert.equal(io.stderr, `dtkit: error: --node 'remoteproc_nope' matches no node of ${example18File}\n`);
  });

  test('map: well-formed SVG with the carveout, 18 rows in both spaces and no overlap', () => {
    const io = capture();
    const out = path.join(dir, 'map.svg');
    assert.equal(devmemMap(example18File, { ...board, node: 'remoteproc_adsp', output: out }, io), 0);
    const svg = parseXml(io.written.get(out)!);
    assert.equal(svg.name, 'svg');
    const all = [...elements(svg)];
    const rects = (cls: string, space?: string) => all.filter((e) => e.name === 'rect' && e.attrs.class === cls && (!space || e.attrs['data-space'] === space));
    assert.equal(rects('devmem', 'iova').length, 18);
    assert.equal(rects('devmem', 'pa').length, 18);
    assert.equal(rects('carveout').length, 2);
    assert.equal(rects('overlap').length, 0);
    assert.deepEqual(rects('devmem', 'iova').map((r) => r.attrs['data-row']), Array.from({ length: 18 }, (_, i) => String(i)));
    const texts = all.filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.includes('/soc@0/remoteproc@30000000 (&remoteproc_adsp)'));
    assert.ok(texts.includes('iommus: &apps_smmu 0x3000/0x0; 18 qcom,devmem rows'));
    assert.ok(texts.includes('0x110000') && texts.includes('0x185000') && texts.includes('0x95900000'));
    assert.equal(rects('devmem', 'iova')[1].children[0].text,
      'row 1: IOVA 0x123000-0x123fff -> PA 0x123000-0x123fff, 4 KiB, READ|WRITE');
    // identity rows sit at the same x in both spaces
    for (const [a, b] of rects('devmem', 'iova').map((r, i) => [r, rects('devmem', 'pa')[i]])) assert.equal(a.attrs.x, b.attrs.x);
  });

  test('map: docs/devmem-map.svg is the current render of the 18-row example', () => {
    const io = capture();
    assert.equal(devmemMap(example18File, { ...board, node: 'remoteproc_adsp', output: '-' }, io), 0);
    assert.equal(fs.readFileSync(path.join(projectRoot, 'docs', 'devmem-map.svg'), 'utf8'), io.stdout,
      're-render with: dtkit devmem map test/qcom/fixtures/adsp-devmem-18.dts --node remoteproc_adsp -o docs/devmem-map.svg');
  });

  test('map: overlaps are drawn in red, escaped names stay well-formed', () => {
    const { file } = writeVariant(dir, 'map-bad', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x110000 0x4000 0x1>,\n\t\t<0x112000 0x200000 0x1000 0x3>,\n\t\t<0x96000000 0x300000 0x1000 0x1>;\n};');
    const io = capture();
    assert.equal(devmemMap(file, { ...board, node: '/soc@0/remoteproc@30000000', output: '-' }, io), 1);
    const all = [...elements(parseXml(io.stdout))];
    const overlaps = all.filter((e) => e.attrs.class === 'overlap');
    assert.deepEqual(overlaps.map((e) => [e.attrs['data-space'], e.attrs.fill, e.children[0].text]), [
      ['iova', '#d62728', 'overlap: 0x112000-0x112fff'],
      ['iova', '#d62728', 'overlap: 0x96000000-0x96000fff'],
    ]);
    assert.match(io.stderr, /qcom_devmem_overlap/);
  });
});

describe('dtkit devmem through main()', () => {
  test('exit codes: 0 ok, 1 input error, 2 usage error', async () => {
    const quiet = { out: process.stdout.write, err: process.stderr.write };
    process.stdout.write = () => true;
    process.stderr.write = () => true;
    try {
      assert.equal(await main(['devmem', 'decode', '<0x110000 0x110000 0x1000 0x1>']), 0);
      assert.equal(await main(['devmem', 'decode', '<0x110000 0x110000 0x1000 0x0>']), 1);
      assert.equal(await main(['devmem', 'decode', '--format', 'yaml', '1 2 3 4']), 2);
      assert.equal(await main(['devmem', 'encode', '--da', '0x1000']), 2);
    } finally {
      process.stdout.write = quiet.out;
      process.stderr.write = quiet.err;
    }
  });
});
