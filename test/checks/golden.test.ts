// dtc 1.8.1's findings (corpus golden/dtc-1.8.1-checks/arm64.tsv) on the Qualcomm boards:
// dtkit's default table must report exactly them (id, severity, node, property, message,
// file:line), and the kernel preset exactly them minus the rows the kernel build switches
// off. The whole arm64 corpus (1,525 boards) is `node dist/test/checks/golden.js`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPreprocessCache } from '../../src/preprocessor/index.js';
import { linuxDtDir } from '../support/corpus.js';
import { compareWithGolden, goldenBoards, goldenFile, readGolden } from './golden.js';

/** A board outside qcom whose findings survive the kernel preset (spi_bus_bridge). */
const KERNEL_SURVIVOR = 'src/arm64/renesas/r8a779g3-sparrow-hawk.dts';

const linuxDt = linuxDtDir();
const file = goldenFile();
const golden = file ? readGolden(file) : undefined;
/** headers lexed once for both runs */
const ppCache = createPreprocessCache();
const skip = !linuxDt || !golden ? 'corpus or golden/dtc-1.8.1-checks not found (set DTKIT_CORPUS)' : false;

test('golden file: every dtc 1.8.1 finding of the 1,525 boards', { skip }, () => {
  const all = [...golden!.values()].flat();
  assert.equal(goldenBoards(linuxDt!).length, 1525);
  assert.equal(all.length, 9251);
  assert.equal(all.filter((f) => f.rule === 'unique_unit_address').length, 7880);
});

test('default table = dtc 1.8.1 on the qcom boards', { skip, timeout: 5 * 60_000 }, () => {
  const boards = goldenBoards(linuxDt!, 'qcom');
  assert.ok(boards.length > 300, `expected the qcom boards, found ${boards.length}`);
  const r = compareWithGolden(linuxDt!, golden!, boards, undefined, ppCache);
  assert.deepEqual(r.unparsed, []);
  assert.deepEqual(r.differences, []);
  assert.equal(r.matched, r.total);
  assert.ok(r.total > 7000, `qcom findings ${r.total}`);
});

test('kernel preset = dtc 1.8.1 minus the kernel build\'s -Wno rows', { skip, timeout: 5 * 60_000 }, () => {
  const boards = [...goldenBoards(linuxDt!, 'qcom'), KERNEL_SURVIVOR];
  const r = compareWithGolden(linuxDt!, golden!, boards, 'kernel', ppCache);
  assert.deepEqual(r.unparsed, []);
  assert.deepEqual(r.differences, []);
  // what is left: dtc's spi_bus_bridge findings on the one board that has them
  assert.deepEqual([...r.perRule].map(([rule, t]) => [rule, t.matched]), [['spi_bus_bridge', 2], ['spi_bus_reg', 1]]);
});
