// Every Qualcomm board of the kernel corpus compiled by cpp + dtc and by dtkit: the DTBs
// must be byte-identical, and where dtc refuses a board dtkit must refuse it too. Oracle
// outputs are cached under the OS temp folder (the corpus does not change).
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { listBoards } from './kernel.js';
import { runBoardsInPool } from './run.js';

test('qcom boards compile byte-identical to cpp + dtc', { timeout: 15 * 60_000 }, async (t) => {
  const skip = skipUnless({ corpus: true, dtc: true, cpp: true });
  if (skip) return t.skip(skip);
  const linuxDt = linuxDtDir()!;
  const files = listBoards(linuxDt, { vendor: 'qcom' });
  assert.ok(files.length > 300, `expected the qcom boards, found ${files.length}`);
  const outcomes = await runBoardsInPool(linuxDt, files, {
    jobs: Math.max(1, os.cpus().length),
    cacheDir: path.join(os.tmpdir(), 'dtkit-oracle-cache', 'dtc-1.6.1'),
  });
  const bad = outcomes.filter((o) => o.verdict !== 'identical' && o.verdict !== 'both-rejected' && o.verdict !== 'newer-dtc-syntax');
  assert.deepEqual(bad.map((o) => `${o.verdict} ${o.file}: ${o.detail ?? ''}`), []);
});
