// `dtkit decompile` against `dtc -I dtb -O dts` on real blobs, text for text.
// Full run: `node dist/test/decompile/decompile-full.js --run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFdt } from '../../src/fdt/reader.js';
import { printDts } from '../../src/dts/print.js';
import { skipUnless } from '../support/corpus.js';
import { buildKernelDtb, DTC_161_CANNOT_READ, dtcDecompile, goldenDtbs, kernelSources, sample } from '../fdt/corpus-dtbs.js';

function assertSameAsDtc(file: string): boolean {
  const expected = dtcDecompile(file);
  if (expected === undefined) return false;
  const r = readFdt(new Uint8Array(fs.readFileSync(file)), file);
  assert.ok(r.tree, `${file}: ${r.diagnostics[0]?.message}`);
  assert.equal(printDts(r.tree), expected, `${path.basename(file)}: text differs from dtc`);
  return true;
}

test('decompile: sampled dtc-tests golden DTBs match dtc', (t) => {
  const why = skipUnless({ corpus: true, dtc: true });
  if (why) return t.skip(why);
  const files = sample(goldenDtbs().filter((f) => !DTC_161_CANNOT_READ.has(path.basename(f))), 40);
  let n = 0;
  for (const f of files) if (assertSameAsDtc(f)) n++;
  assert.ok(n >= 30, `dtc decompiled only ${n} of ${files.length}`);
});

test('decompile: sampled Qualcomm boards and overlays match dtc', (t) => {
  const why = skipUnless({ corpus: true, dtc: true, cpp: true });
  if (why) return t.skip(why);
  const sources = [...sample(kernelSources({ vendor: 'qcom' }), 4), ...sample(kernelSources({ vendor: 'qcom', overlays: true }), 2)];
  let n = 0;
  for (const s of sources) {
    const dtb = buildKernelDtb(s);
    if (dtb && assertSameAsDtc(dtb)) n++;
  }
  assert.ok(n >= 4, `only ${n} corpus blobs could be compared`);
});
