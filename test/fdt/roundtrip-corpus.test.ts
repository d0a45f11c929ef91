// Round trip on real blobs: readFdt then writeFdt must give back the input byte for byte.
// Full run over every kernel board: `node dist/test/fdt/roundtrip-full.js --run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFdt } from '../../src/fdt/reader.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { skipUnless } from '../support/corpus.js';
import { buildKernelDtb, goldenDtbs, kernelSources, sample } from './corpus-dtbs.js';

function assertRoundTrip(file: string): void {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const r = readFdt(bytes, file);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], file);
  const again = writeFdt(r.tree!);
  assert.equal(Buffer.compare(Buffer.from(again), Buffer.from(bytes)), 0, `${path.basename(file)}: rewritten blob differs`);
}

test('round trip: every dtc-tests golden DTB', (t) => {
  const files = goldenDtbs();
  if (files.length === 0) return t.skip('corpus not found (set DTKIT_CORPUS)');
  for (const f of files) assertRoundTrip(f);
});

test('round trip: sampled Qualcomm boards and overlays built with cpp + dtc', (t) => {
  const why = skipUnless({ corpus: true, dtc: true, cpp: true });
  if (why) return t.skip(why);
  const sources = [...sample(kernelSources({ vendor: 'qcom' }), 6), ...sample(kernelSources({ vendor: 'qcom', overlays: true }), 2)];
  let n = 0;
  for (const s of sources) {
    const dtb = buildKernelDtb(s);
    if (!dtb) continue;
    assertRoundTrip(dtb);
    n++;
  }
  assert.ok(n >= 4, `only ${n} corpus blobs could be built`);
});
