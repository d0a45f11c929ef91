// dtkit's shipped <dt-bindings/iommu/qcom,devmem.h> is found by default; a user's copy in
// an -I folder wins, and dtkit says so once (an info note), only when it was really used.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cellsOf } from '../../src/tree/value.js';
import { SHADOWED_HEADER_RULE, includeDirsWithShipped, shippedIncludeDir } from '../../src/input/shipped.js';
import { buildBoard, fixturesDir, scratchDir, writeVariant } from './support.js';

const HEADER = path.join('dt-bindings', 'iommu', 'qcom,devmem.h');

describe('shipped dt-bindings header', () => {
  const dir = scratchDir('include');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const userDir = path.join(dir, 'user-include');
  fs.mkdirSync(path.join(userDir, 'dt-bindings', 'iommu'), { recursive: true });
  fs.writeFileSync(path.join(userDir, HEADER), '#define QCOM_DEVMEM_READ 0x3\n#define QCOM_DEVMEM_WRITE 0x2\n');
  const body = '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x110000 0x1000 QCOM_DEVMEM_READ>;\n};';
  const { file } = writeVariant(dir, 'uses-header', body);
  const flagsOf = (b: ReturnType<typeof buildBoard>) =>
    cellsOf(b.tree!.labelIndex().get('remoteproc_adsp')!.getProperty('qcom,devmem')!.value)![3];

  test('the shipped folder holds the header and comes after the user folders', () => {
    const shipped = shippedIncludeDir();
    assert.ok(shipped && fs.existsSync(path.join(shipped, HEADER)));
    assert.deepEqual(includeDirsWithShipped(['/a', '/b'], '/s'), ['/a', '/b', '/s']);
    assert.deepEqual(includeDirsWithShipped(['/s', '/a'], '/s'), ['/s', '/a']);
    assert.deepEqual(includeDirsWithShipped(['/a'], '/x'), ['/a', '/x']);
    assert.equal(shippedIncludeDir({ DTKIT_SCHEMAS: '/opt/dtkit/schemas' }), '/opt/dtkit/schemas/include');
  });

  test('found by default: QCOM_DEVMEM_READ is 0x1, and nothing is said', () => {
    const b = buildBoard(file, [], [fixturesDir]);
    assert.equal(flagsOf(b), 0x1);
    assert.deepEqual(b.diagnostics.filter((d) => d.rule === SHADOWED_HEADER_RULE), []);
  });

  test("a user's copy wins and dtkit says so once", () => {
    const b = buildBoard(file, [], [userDir, fixturesDir]);
    assert.equal(flagsOf(b), 0x3);
    assert.deepEqual(b.diagnostics.filter((d) => d.rule === SHADOWED_HEADER_RULE).map((d) => [d.severity, d.message, d.file]), [
      ['info', `using ${path.join(userDir, HEADER)} instead of dtkit's shipped <${HEADER}>`, path.join(userDir, HEADER)],
    ]);
  });

  test("a user's copy that is never included goes unmentioned", () => {
    const { file: plain } = writeVariant(dir, 'no-header', '/ { model = "no devmem"; };');
    fs.writeFileSync(plain, '/dts-v1/;\n/ { model = "no devmem"; };\n');
    const b = buildBoard(plain, [], [userDir]);
    assert.deepEqual(b.diagnostics.filter((d) => d.rule === SHADOWED_HEADER_RULE), []);
  });
});
